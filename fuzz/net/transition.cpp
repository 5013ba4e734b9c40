// Classifying requests and answers into transitions, packing them into keys,
// and the labels reports and graphs show.
#include <cstdio>

#include "touchstone/conformance/scsi_task.hpp"
#include "touchstone/fuzz/net/transitions.hpp"
#include "touchstone/pdu/all.hpp"

namespace touchstone::fuzz::net {

std::string_view name(phase p) {
  switch (p) {
    case phase::login_security: return "login-security";
    case phase::login_operational: return "login-operational";
    case phase::full_feature: return "full-feature";
    case phase::discovery_ffp: return "discovery-ffp";
    case phase::logout: return "logout";
  }
  return "unknown-phase";
}

phase login_phase(const pdu::pdu& login_request) {
  return pdu::login_request_view(login_request).csg() == pdu::login_stage::security_negotiation
             ? phase::login_security
             : phase::login_operational;
}

std::string_view name(answer_kind k) {
  switch (k) {
    case answer_kind::pdu: return "pdu";
    case answer_kind::close: return "close";
    case answer_kind::silence: return "silence";
    case answer_kind::stream_error: return "stream-error";
  }
  return "unknown-answer";
}

namespace {

std::string hex(unsigned v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", v);
  return text;
}

std::string opcode_text(std::uint8_t code) {
  return std::string(pdu::code_name(code)) + " (" + hex(code) + ")";
}

// The CDB's operation code: byte 0 of the CDB, at BHS offset 32.
constexpr std::size_t cdb_opcode_offset = 32;

// CSG, NSG, T and C of a Login Request in one byte: 00CC NNTC.
std::uint8_t login_detail(const pdu::pdu& p) {
  const pdu::login_request_view v(p);
  return static_cast<std::uint8_t>((v.raw_csg() << 4) | (v.raw_nsg() << 2) | (v.transit() << 1) |
                                   v.continue_bit());
}

answer scsi_response_answer(const pdu::pdu& p) {
  const pdu::scsi_response_view v(p);
  answer a{answer_kind::pdu, p.header().raw_opcode()};
  //= rfc7143#section-11.4.2
  //# The Status field is used to report the SCSI status of the command (as
  //# specified in [SAM2]) and is only valid if the response code is
  //# Command Completed at Target.
  if (v.raw_response() != 0) {
    a.code = v.raw_response();
    a.detail = 0x80;
    return a;
  }
  a.code = v.raw_status();
  if (auto segment = v.sense_and_response_data())
    if (const auto sense = conformance::parse_sense(segment->sense)) {
      a.detail = sense->key;
      a.asc = sense->asc;
      a.ascq = sense->ascq;
    }
  return a;
}

}  // namespace

request_kind request_of(const pdu::pdu& p) {
  request_kind r{p.header().raw_opcode(), 0};
  switch (p.op()) {
    case pdu::opcode::scsi_command: r.detail = p.bhs[cdb_opcode_offset]; break;
    case pdu::opcode::task_mgmt_request: r.detail = pdu::task_mgmt_request_view(p).raw_function(); break;
    case pdu::opcode::login_request: r.detail = login_detail(p); break;
    default: break;
  }
  return r;
}

std::string describe(request_kind r) {
  auto text = opcode_text(r.opcode);
  switch (static_cast<pdu::opcode>(r.opcode)) {
    case pdu::opcode::scsi_command: return text + " cdb " + hex(r.detail);
    case pdu::opcode::task_mgmt_request: return text + " function " + std::to_string(r.detail);
    case pdu::opcode::login_request:
      return text + " CSG " + std::to_string(r.detail >> 4) + " NSG " + std::to_string((r.detail >> 2) & 3) +
             " T " + std::to_string((r.detail >> 1) & 1) + " C " + std::to_string(r.detail & 1);
    default: return text;
  }
}

answer answer_of(const pdu::pdu& p) {
  answer a{answer_kind::pdu, p.header().raw_opcode()};
  switch (p.op()) {
    case pdu::opcode::login_response: {
      const pdu::login_response_view v(p);
      a.code = v.status_class();
      a.detail = v.status_detail();
      break;
    }
    case pdu::opcode::reject: a.code = pdu::reject_view(p).raw_reason(); break;
    case pdu::opcode::task_mgmt_response: a.code = pdu::task_mgmt_response_view(p).raw_response(); break;
    case pdu::opcode::logout_response: a.code = pdu::logout_response_view(p).raw_response(); break;
    case pdu::opcode::scsi_response: return scsi_response_answer(p);
    case pdu::opcode::data_in: {
      const pdu::data_in_view v(p);
      if (v.has_status()) a.code = v.raw_status();
      break;
    }
    case pdu::opcode::async_message: a.code = p.header().u8(pdu::async_message_offset::async_event); break;
    default: break;
  }
  return a;
}

answer answer_of(const conformance::observation& o) {
  using conformance::observed;
  switch (o.what) {
    case observed::pdu: return answer_of(o.received);
    case observed::closed: case observed::io_error: return {answer_kind::close};
    case observed::timeout: return {answer_kind::silence};
    case observed::data_digest_error: case observed::stream_error: return {answer_kind::stream_error};
  }
  return {answer_kind::stream_error};
}

std::string describe(const answer& a) {
  if (a.kind != answer_kind::pdu) return std::string(name(a.kind));
  auto text = opcode_text(a.opcode);
  switch (static_cast<pdu::opcode>(a.opcode)) {
    case pdu::opcode::login_response: return text + " status " + hex(a.code) + "/" + hex(a.detail);
    case pdu::opcode::reject: return text + " reason " + hex(a.code);
    case pdu::opcode::task_mgmt_response: case pdu::opcode::logout_response:
      return text + " response " + std::to_string(a.code);
    case pdu::opcode::scsi_response:
      if (a.detail == 0x80) return text + " iSCSI response " + hex(a.code);
      return text + " status " + hex(a.code) +
             (a.code == 0x02 ? " sense " + hex(a.detail) + "/" + hex(a.asc) + "/" + hex(a.ascq) : "");
    case pdu::opcode::data_in: return a.code ? text + " status " + hex(a.code) : text;
    case pdu::opcode::async_message: return text + " event " + std::to_string(a.code);
    default: return text;
  }
}

// Bits: phase 3 | request opcode 6 | request detail 8 | answer kind 2 |
// answer opcode 6 | code 8 | detail 8 | asc 8 | ascq 8  (57 in all).
std::uint64_t transition::key() const {
  std::uint64_t k = static_cast<std::uint64_t>(from) & 0x7;
  k = (k << 6) | (request.opcode & 0x3f);
  k = (k << 8) | request.detail;
  k = (k << 2) | (static_cast<std::uint64_t>(to.kind) & 0x3);
  k = (k << 6) | (to.opcode & 0x3f);
  k = (k << 8) | to.code;
  k = (k << 8) | to.detail;
  k = (k << 8) | to.asc;
  k = (k << 8) | to.ascq;
  return k;
}

transition transition::from_key(std::uint64_t k) {
  const auto take = [&k](unsigned bits) {
    const auto v = static_cast<std::uint8_t>(k & ((1u << bits) - 1));
    k >>= bits;
    return v;
  };
  transition t;
  t.to.ascq = take(8);
  t.to.asc = take(8);
  t.to.detail = take(8);
  t.to.code = take(8);
  t.to.opcode = take(6);
  t.to.kind = static_cast<answer_kind>(take(2));
  t.request.detail = take(8);
  t.request.opcode = take(6);
  t.from = static_cast<phase>(take(3));
  return t;
}

std::string transition::label() const {
  return std::string(name(from)) + ": " + describe(request) + " -> " + describe(to);
}

transition make_transition(phase from, const pdu::pdu& request, const conformance::observation& seen) {
  return {from, request_of(request), answer_of(seen)};
}

}  // namespace touchstone::fuzz::net
