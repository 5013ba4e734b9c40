// Buffers for READ data, reused within a thread. A READ's buffer is as long
// as the data it moves (32 MiB for 65,535 blocks of 512 bytes), and a fresh
// one of that size is a new mapping: the kernel zeroes and faults in every
// 4 KiB page, then std::vector zero-fills it again, all before the store
// writes a byte (under touchstone-fuzz, 31% of the reference target's CPU).
// A buffer whose READ was sent is handed back and the thread's next READ
// takes it. Bounded: one buffer per thread, of at least 1 MiB (smaller ones
// come from the allocator's free lists cheaply) and at most 32 MiB. Under
// AddressSanitizer nothing is kept, so a use after the hand-back is caught.
#pragma once

#include <cstddef>

#include "touchstone/scsi/bytes.hpp"

namespace touchstone::scsi {

inline constexpr std::size_t min_reused_read_buffer = std::size_t{1} << 20;
inline constexpr std::size_t max_reused_read_buffer = std::size_t{32} << 20;

// A buffer of `size` bytes whose contents are unspecified (the store
// overwrites them all): the thread's kept buffer when it is large enough,
// else a new one.
byte_buffer take_read_buffer(std::size_t size);
// Offers a READ's buffer for the thread's next READ (kept when its capacity
// is within the bounds and larger than the one kept; otherwise freed).
void give_back_read_buffer(byte_buffer&& b);
// The capacity of the buffer the calling thread keeps (0: none).
std::size_t kept_read_buffer_capacity();

}  // namespace touchstone::scsi
