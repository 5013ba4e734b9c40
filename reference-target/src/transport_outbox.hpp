// The PDUs waiting to be written on one connection, as a gather list: the
// connection's writer sends everything that accumulated while its previous
// write was in flight in one writev. Headers, digests, padding and small data
// segments are copied into one contiguous buffer; large data segments are
// moved in from their PDUs and referenced where they are (no copy).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include <asio/buffer.hpp>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/target/data_in.hpp"

namespace touchstone::target {

class outbox {
 public:
  // Data segments up to this size are copied next to their header.
  static constexpr std::size_t inline_limit = 8192;

  // Appends p's wire form (BHS, AHS, digests, padding); returns its size.
  std::size_t add(pdu::pdu&& p, pdu::digest_config digests);

  bool empty() const { return bytes_ == 0; }
  std::size_t size() const { return bytes_; }

  // The buffers to write, in order; valid until clear() or add().
  void gather(std::vector<asio::const_buffer>& out) const;
  // Forgets the PDUs (after they were written), keeping modest capacity.
  void clear();

 private:
  // A data segment in bodies_[body] follows head_'s bytes up to head_end.
  struct split {
    std::size_t head_end = 0;
    std::size_t body = 0;
  };

  pdu::byte_buffer head_;
  std::vector<pdu::byte_buffer> bodies_;
  std::vector<split> splits_;
  std::size_t bytes_ = 0;
};

// What waits to enter the outbox behind a read's Data-In stream: the
// stream itself (its PDUs built a batch at a time) and every PDU the core
// sent after it, in order. A batch stops once the outbox holds `bound`
// bytes, so a 32 MiB READ is never built ahead of the wire by more than
// about one batch.
class send_queue {
 public:
  // What one refill moved into the outbox.
  struct moved {
    std::size_t pdus = 0;
    std::size_t bytes = 0;
  };

  bool empty() const { return items_.empty(); }
  void push(pdu::pdu&& p, pdu::digest_config digests);
  void push(std::shared_ptr<data_in_stream> stream, pdu::digest_config digests);
  // Moves what waits into `box`, in order, until `box` holds at least
  // `bound` bytes or nothing waits.
  moved refill(outbox& box, std::size_t bound);

 private:
  struct item {
    pdu::pdu pdu;
    std::shared_ptr<data_in_stream> stream;  // set: the item is this stream
    pdu::digest_config digests;
  };
  std::deque<item> items_;
};

}  // namespace touchstone::target
