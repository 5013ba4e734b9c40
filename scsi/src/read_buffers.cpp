// READ buffers reused within a thread (see read_buffers.hpp).
#include "touchstone/scsi/read_buffers.hpp"

#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#define TOUCHSTONE_KEEP_READ_BUFFERS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TOUCHSTONE_KEEP_READ_BUFFERS 0
#endif
#endif
#ifndef TOUCHSTONE_KEEP_READ_BUFFERS
#define TOUCHSTONE_KEEP_READ_BUFFERS 1
#endif

namespace touchstone::scsi {
namespace {

byte_buffer& kept() {
  thread_local byte_buffer buffer;
  return buffer;
}

}  // namespace

byte_buffer take_read_buffer(std::size_t size) {
  auto& k = kept();
  if (k.capacity() < size || size < min_reused_read_buffer) return byte_buffer(size);
  byte_buffer b = std::exchange(k, byte_buffer{});
  // Shrinking writes nothing; growing within the capacity fills only the
  // new tail, in pages already faulted in.
  b.resize(size);
  return b;
}

void give_back_read_buffer(byte_buffer&& b) {
  const std::size_t capacity = b.capacity();
  if (!TOUCHSTONE_KEEP_READ_BUFFERS || capacity < min_reused_read_buffer || capacity > max_reused_read_buffer) return;
  auto& k = kept();
  if (capacity > k.capacity()) k = std::move(b);
}

std::size_t kept_read_buffer_capacity() { return kept().capacity(); }

}  // namespace touchstone::scsi
