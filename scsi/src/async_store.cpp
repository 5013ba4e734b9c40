// Backend names and the choice between them (async_store.hpp).
#include "touchstone/scsi/async_store.hpp"

#include <cstdlib>

namespace touchstone::scsi {

std::string_view name(async_backend b) {
  switch (b) {
    case async_backend::io_uring: return "io_uring";
    case async_backend::thread_pool: return "thread-pool";
    case async_backend::automatic: break;
  }
  return "auto";
}

std::optional<async_backend> parse_async_backend(std::string_view text) {
  for (auto b : {async_backend::automatic, async_backend::io_uring, async_backend::thread_pool})
    if (text == name(b)) return b;
  return std::nullopt;
}

async_backend effective_backend(async_backend requested) {
  if (requested != async_backend::automatic) return requested;
  const char* forced = std::getenv("TOUCHSTONE_IO_BACKEND");
  if (forced == nullptr) return async_backend::automatic;
  return parse_async_backend(forced).value_or(async_backend::automatic);
}

std::optional<store_result> async_store::try_read(std::uint64_t, std::span<std::uint8_t>) {
  return std::nullopt;
}

std::optional<store_result> async_store::try_write(std::uint64_t, bytes_view) { return std::nullopt; }

}  // namespace touchstone::scsi
