// Readable one-line descriptions of observations, for verdict messages.
#include "touchstone/conformance/observation.hpp"

#include <cstdio>

#include "touchstone/pdu/all.hpp"

namespace touchstone::conformance {

std::string_view name(observed o) {
  switch (o) {
    case observed::pdu: return "pdu";
    case observed::data_digest_error: return "data digest error";
    case observed::closed: return "connection closed";
    case observed::timeout: return "timeout";
    case observed::stream_error: return "stream error";
    case observed::io_error: return "I/O error";
  }
  return "unknown";
}

namespace {

std::string hex(std::uint32_t v, int width = 0) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*x", width, v);
  return text;
}

std::string fields(const pdu::pdu& p) {
  using namespace pdu;
  switch (p.op()) {
    case opcode::login_response: {
      const login_response_view v(p);
      return " T=" + std::to_string(v.transit()) + " C=" + std::to_string(v.continue_bit()) +
             " CSG=" + std::to_string(v.raw_csg()) + " NSG=" + std::to_string(v.raw_nsg()) +
             " status " + hex(static_cast<std::uint16_t>(v.status()), 4) + " TSIH " +
             std::to_string(v.tsih()) + " StatSN " + std::to_string(v.stat_sn());
    }
    case opcode::scsi_response: {
      const scsi_response_view v(p);
      return " response " + hex(v.raw_response(), 2) + " status " + hex(v.raw_status(), 2) +
             " StatSN " + std::to_string(v.stat_sn()) + " residual " +
             std::to_string(v.residual_count());
    }
    case opcode::data_in: {
      const data_in_view v(p);
      return " DataSN " + std::to_string(v.data_sn()) + " offset " +
             std::to_string(v.buffer_offset()) + (v.has_status() ? " S status " + hex(v.raw_status(), 2) : "");
    }
    case opcode::reject: {
      const reject_view v(p);
      return " reason " + hex(v.raw_reason(), 2) + " StatSN " + std::to_string(v.stat_sn());
    }
    case opcode::logout_response:
      return " response " + std::to_string(logout_response_view(p).raw_response());
    case opcode::nop_in: {
      const nop_in_view v(p);
      return " TTT " + hex(v.target_transfer_tag()) + " StatSN " + std::to_string(v.stat_sn());
    }
    case opcode::r2t: {
      const r2t_view v(p);
      return " TTT " + hex(v.target_transfer_tag()) + " offset " +
             std::to_string(v.buffer_offset()) + " length " +
             std::to_string(v.desired_data_transfer_length());
    }
    default: return {};
  }
}

}  // namespace

std::string describe(const pdu::pdu& p) {
  const auto h = p.header();
  return std::string(pdu::code_name(h.raw_opcode())) + " (" + hex(h.raw_opcode(), 2) + ") ITT " +
         hex(h.initiator_task_tag()) + fields(p) +
         (p.data.empty() ? "" : ", " + std::to_string(p.data.size()) + " data bytes");
}

std::string observation::describe() const {
  switch (what) {
    case observed::pdu: return conformance::describe(received);
    case observed::data_digest_error:
      return "a PDU with a bad data digest: " + conformance::describe(received);
    case observed::closed: return detail.empty() ? "the connection closed" : detail;
    case observed::timeout: return "nothing before the deadline";
    case observed::stream_error: return "a broken stream: " + detail;
    case observed::io_error: return "a socket error: " + detail;
  }
  return "?";
}

}  // namespace touchstone::conformance
