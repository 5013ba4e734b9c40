// File I/O the file store and its asynchronous backends share. Private to
// scsi/src.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "touchstone/scsi/block_store.hpp"

namespace touchstone::scsi::file_io {

// An errno as a store error at `lba` (EIO: a medium error there).
store_error os_failure(std::uint64_t lba, int err);

// pread/pwrite until `out`/`in` is done, from byte `from` on (EINTR
// retried); a read past the end of a short file gives zeros.
store_result read_blocks(int fd, std::uint32_t block_size, std::uint64_t lba,
                         std::span<std::uint8_t> out, std::size_t from = 0);
store_result write_blocks(int fd, std::uint32_t block_size, std::uint64_t lba,
                          std::span<const std::uint8_t> in, std::size_t from = 0);
store_result datasync(int fd);

// Reads [lba, ...) of `fd` with RWF_NOWAIT: the result if the page cache
// held it all, nullopt if reading would block. Past the end of a short file
// the rest is zeros.
std::optional<store_result> read_nowait(int fd, std::uint32_t block_size, std::uint64_t lba,
                                        std::span<std::uint8_t> out);

}  // namespace touchstone::scsi::file_io
