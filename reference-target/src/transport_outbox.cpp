// The gather list of a connection's pending PDUs (see transport_outbox.hpp).
#include "transport_outbox.hpp"

#include "touchstone/pdu/digest.hpp"

namespace touchstone::target {

namespace {

// Above this the head buffer is given back after a write (idle connections
// stay small: RSS with many sessions).
constexpr std::size_t kept_capacity = 256 * 1024;

void append(pdu::byte_buffer& out, pdu::bytes_view bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace

std::size_t outbox::add(pdu::pdu&& p, pdu::digest_config digests) {
  const std::size_t size = pdu::encoded_size(p, digests);
  bytes_ += size;
  if (p.data.size() <= inline_limit) {
    pdu::encode_into(p, digests, head_);
    return size;
  }
  // The same bytes as pdu::encode_into, with the data segment left in place.
  const std::size_t header_start = head_.size();
  append(head_, p.bhs);
  append(head_, p.ahs);
  //= rfc7143#section-11.2.3
  //# The digests ... cover, respectively, the header and the PDU data, each including the padding bytes
  if (digests.header)
    append(head_, pdu::digest_bytes(pdu::crc32c(pdu::bytes_view{head_}.subspan(header_start))));
  splits_.push_back({head_.size(), bodies_.size()});
  //= rfc7143#section-11.1
  //# The padding bytes SHOULD be sent as 0.
  const pdu::bytes_view pad(p.padding.data(), pdu::padding_of(p.data.size()));
  append(head_, pad);
  //= rfc7143#section-13.1
  //# Padding bytes, when present in a segment covered by a CRC, ... are included in the CRC.
  if (digests.data)
    append(head_, pdu::digest_bytes(pdu::crc32c_extend(pdu::crc32c(p.data), pad)));
  bodies_.push_back(std::move(p.data));
  return size;
}

void outbox::gather(std::vector<asio::const_buffer>& out) const {
  out.clear();
  std::size_t from = 0;
  for (const auto& s : splits_) {
    if (s.head_end > from) out.emplace_back(head_.data() + from, s.head_end - from);
    const auto& body = bodies_[s.body];
    out.emplace_back(body.data(), body.size());
    from = s.head_end;
  }
  if (head_.size() > from) out.emplace_back(head_.data() + from, head_.size() - from);
}

void outbox::clear() {
  head_.clear();
  if (head_.capacity() > kept_capacity) head_.shrink_to_fit();
  bodies_.clear();
  splits_.clear();
  bytes_ = 0;
}

void send_queue::push(pdu::pdu&& p, pdu::digest_config digests) {
  items_.push_back({std::move(p), nullptr, digests});
}

void send_queue::push(std::shared_ptr<data_in_stream> stream, pdu::digest_config digests) {
  if (stream->done()) return;
  items_.push_back({{}, std::move(stream), digests});
}

send_queue::moved send_queue::refill(outbox& box, std::size_t bound) {
  moved out;
  while (!items_.empty() && box.size() < bound) {
    auto& front = items_.front();
    if (front.stream) {
      while (!front.stream->done() && box.size() < bound) {
        out.bytes += box.add(front.stream->next(), front.digests);
        ++out.pdus;
      }
      if (!front.stream->done()) break;
    } else {
      out.bytes += box.add(std::move(front.pdu), front.digests);
      ++out.pdus;
    }
    items_.pop_front();
  }
  return out;
}

}  // namespace touchstone::target
