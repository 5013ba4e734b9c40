// Per-task answers of one run, for the data-integrity oracle.
#include "touchstone/fuzz/net/task_data.hpp"

#include <algorithm>

#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/scsi_response.hpp"

namespace touchstone::fuzz::net {
namespace {

// The data segment of a SCSI Response: SenseLength (2 bytes), then sense
// data in fixed (0x70/0x71: key in byte 2) or descriptor (0x72/0x73: key in
// byte 1) format (spc4#section-4.5, from memory).
std::optional<std::uint8_t> sense_key_in(const pdu::byte_buffer& d) {
  if (d.size() < 5) return std::nullopt;
  const std::size_t length = std::size_t{d[0]} << 8 | d[1];
  const auto code = d[2] & 0x7f;
  if ((code == 0x70 || code == 0x71) && length >= 3 && d.size() >= 5) return d[4] & 0x0f;
  if ((code == 0x72 || code == 0x73) && length >= 2) return d[3] & 0x0f;
  return std::nullopt;
}

}  // namespace

void task_data::on_answer(const pdu::pdu& p) {
  const bool data_in = p.op() == pdu::opcode::data_in;
  if (!data_in && p.op() != pdu::opcode::scsi_response) return;
  if (answers.size() >= max_task_answers || (data_in && data_bytes + p.data.size() > max_task_data_bytes)) {
    truncated = true;
    return;
  }
  task_answer a;
  a.itt = p.header().initiator_task_tag();
  if (data_in) {
    const pdu::data_in_view v(p);
    a.offset = v.buffer_offset();
    a.data = p.data;
    data_bytes += p.data.size();
    if (v.has_status()) a.status = v.raw_status();
  } else {
    a.status = pdu::scsi_response_view(p).raw_status();
    a.sense_key = sense_key_in(p.data);
  }
  answers.push_back(std::move(a));
}

pdu::byte_buffer task_data::data_of(std::uint32_t itt, std::size_t length) const {
  pdu::byte_buffer out(length, 0);
  std::vector<bool> seen(length, false);
  for (const auto& a : answers) {
    if (a.itt != itt || a.offset >= length) continue;
    const auto n = std::min(a.data.size(), length - a.offset);
    std::copy_n(a.data.begin(), n, out.begin() + a.offset);
    std::fill_n(seen.begin() + a.offset, n, true);
  }
  const auto first_gap = std::find(seen.begin(), seen.end(), false) - seen.begin();
  out.resize(static_cast<std::size_t>(first_gap));
  return out;
}

std::optional<std::uint8_t> task_data::status_of(std::uint32_t itt) const {
  std::optional<std::uint8_t> s;
  for (const auto& a : answers)
    if (a.itt == itt && a.status) s = a.status;
  return s;
}

std::optional<std::uint8_t> task_data::sense_key_of(std::uint32_t itt) const {
  std::optional<std::uint8_t> k;
  for (const auto& a : answers)
    if (a.itt == itt && a.status) k = a.sense_key;
  return k;
}

}  // namespace touchstone::fuzz::net
