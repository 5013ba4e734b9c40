// Medium helpers shared by the SBC-3 families (see medium_ops.hpp).
#include "medium_ops.hpp"

#include <algorithm>

namespace touchstone::scsi::medium {
namespace {

// Large ranges move through a bounded buffer, never one allocation per range.
constexpr std::uint64_t chunk_bytes = 256 * 1024;

std::uint64_t chunk_blocks(const block_store& store) {
  return std::max<std::uint64_t>(1, chunk_bytes / store.block_size());
}

std::optional<std::uint64_t> first_difference(bytes_view a, bytes_view b) {
  auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (ia == a.end()) return std::nullopt;
  return static_cast<std::uint64_t>(ia - a.begin());
}

}  // namespace

bool in_range(const logical_unit& lu, std::uint64_t lba, std::uint64_t blocks) {
  const std::uint64_t capacity = lu.block_count();
  return lba <= capacity && capacity - lba >= blocks;
}

std::optional<response> check_data_out(const command_context& ctx, std::uint64_t needed) {
  //= sam5#5.4.3 (fcp4#9.4.2 b)
  //# less data-out than the CDB asks for: ILLEGAL REQUEST, INVALID FIELD IN
  //# COMMAND INFORMATION UNIT
  if (ctx.req.data_out.size() >= needed) return std::nullopt;
  response r = ctx.check_condition(sense_key::illegal_request,
                                   asc::invalid_field_in_command_information_unit);
  r.data_out_length = needed;
  return r;
}

write_extent writable_extent(const command_context& ctx, std::uint64_t needed) {
  const std::uint64_t got = ctx.req.data_out.size();
  if (got >= needed) return {needed, std::nullopt};
  //= sbc3#5.35
  //# WRITE: the device server transfers the TRANSFER LENGTH blocks from the
  //# Data-Out Buffer and writes them; each logical block is written whole
  // rfc7143 section 11.4.5.2, in our words:
  // SPDTL > EDTL: the target signals an overflow with residual SPDTL - EDTL
  // Policy: a data-out short by whole blocks is carried out on the blocks it
  // holds (they are written, the rest is untouched) and the command ends
  // GOOD; the response keeps data_out_length at the CDB's full length so the
  // transport reports the residual (overflow). A data-out ending inside a
  // block cannot be written whole: ILLEGAL REQUEST, INVALID FIELD IN COMMAND
  // INFORMATION UNIT (sam5#5.4.3, fcp4#9.4.2 b), nothing written.
  const std::uint64_t bs = ctx.lu->block_size();
  if (got % bs == 0) return {got, std::nullopt};
  return {0, check_data_out(ctx, needed)};
}

response miscompare(const command_context& ctx, std::uint64_t offset) {
  //= sbc3#5.2
  //# MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION; INFORMATION = the offset
  //# of the first byte that was not equal
  sense s = make_sense(sense_key::miscompare, asc::miscompare_during_verify);
  s.information = offset;
  return ctx.check_condition(s);
}

std::optional<response> commit(command_context& ctx, bool fua) {
  //= sbc3#4.13 (sbc3#6.4.5 WCE)
  //# WCE=0: every write is on the medium before GOOD; WCE=1: FUA=1 writes are
  if (!fua && ctx.lu->pages().wce()) return std::nullopt;
  if (ctx.lu->store().sync()) return std::nullopt;
  return ctx.check_condition(sense_key::medium_error, asc::write_error);
}

bool all_zero(bytes_view data) {
  return std::all_of(data.begin(), data.end(), [](std::uint8_t b) { return b == 0; });
}

compare_outcome compare(block_store& store, std::uint64_t lba, std::uint64_t blocks,
                        const compare_source& source) {
  const std::uint64_t bs = store.block_size();
  const std::uint64_t step = chunk_blocks(store);
  byte_buffer buffer(static_cast<std::size_t>(std::min(blocks, step) * bs));
  for (std::uint64_t done = 0; done < blocks;) {
    const std::uint64_t n = std::min(step, blocks - done);
    std::span<std::uint8_t> chunk(buffer.data(), static_cast<std::size_t>(n * bs));
    if (auto r = store.read(lba + done, chunk); !r) return {std::nullopt, r.error()};
    for (std::uint64_t i = 0; i < n; ++i) {
      bytes_view got =
          bytes_view(chunk).subspan(static_cast<std::size_t>(i * bs), static_cast<std::size_t>(bs));
      const std::uint64_t at = (done + i) * bs;
      bytes_view want =
          source.repeat_one_block
              ? source.expected.first(static_cast<std::size_t>(bs))
              : source.expected.subspan(static_cast<std::size_t>(at), static_cast<std::size_t>(bs));
      if (auto d = first_difference(want, got)) return {at + *d, std::nullopt};
    }
    done += n;
  }
  return {};
}

store_result read_through(block_store& store, std::uint64_t lba, std::uint64_t blocks) {
  const std::uint64_t bs = store.block_size();
  const std::uint64_t step = chunk_blocks(store);
  byte_buffer buffer(static_cast<std::size_t>(std::min(blocks, step) * bs));
  for (std::uint64_t done = 0; done < blocks;) {
    const std::uint64_t n = std::min(step, blocks - done);
    if (auto r = store.read(lba + done, std::span(buffer.data(), static_cast<std::size_t>(n * bs)));
        !r)
      return r;
    done += n;
  }
  return ok;
}

store_result write_repeated(block_store& store, std::uint64_t lba, std::uint64_t blocks,
                            bytes_view block) {
  const std::uint64_t bs = store.block_size();
  const std::uint64_t step = std::min(blocks, chunk_blocks(store));
  byte_buffer buffer(static_cast<std::size_t>(step * bs));
  for (std::uint64_t i = 0; i < step; ++i)
    std::copy(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(bs),
              buffer.begin() + static_cast<std::ptrdiff_t>(i * bs));
  for (std::uint64_t done = 0; done < blocks;) {
    const std::uint64_t n = std::min(step, blocks - done);
    if (auto r =
            store.write(lba + done, bytes_view(buffer).first(static_cast<std::size_t>(n * bs)));
        !r)
      return r;
    done += n;
  }
  return ok;
}

}  // namespace touchstone::scsi::medium
