// Black-box coverage for network fuzzing: a target we cannot instrument is
// covered by the protocol states it shows. A transition is (phase, request
// kind) -> (answer kind and its codes), as AFLNet uses response codes, with
// iSCSI's richer answers: Login status class/detail, Reject reason, SCSI
// status and sense key/ASC/ASCQ, TMF and Logout responses, a close, silence
// or a broken stream. The state graph counts each transition, says which
// are new, stays within a cap (beyond it: counted as overflow, never grown)
// and writes DOT and JSON. Nothing here does I/O except the writers.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "touchstone/conformance/observation.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::net {

enum class phase : std::uint8_t {
  login_security,     // Login, CSG SecurityNegotiation
  login_operational,  // Login, CSG LoginOperationalNegotiation
  full_feature,       // a Normal session's Full Feature Phase
  discovery_ffp,      // a Discovery session's Full Feature Phase
  logout,             // after a Logout Request
};
std::string_view name(phase p);
// The phase a Login Request is sent in: its CSG (login-operational for any
// CSG but SecurityNegotiation).
phase login_phase(const pdu::pdu& login_request);

// What was asked: the opcode and, where it matters, one byte more: the CDB
// opcode of a SCSI Command, the function of a TMF, CSG/NSG/T/C of a Login.
struct request_kind {
  std::uint8_t opcode = 0;
  std::uint8_t detail = 0;
  friend bool operator==(const request_kind&, const request_kind&) = default;
};
request_kind request_of(const pdu::pdu& p);
std::string describe(request_kind r);

enum class answer_kind : std::uint8_t { pdu, close, silence, stream_error };
std::string_view name(answer_kind k);

// What came back. For a PDU: its opcode and
//   Login Response: code = Status-Class, detail = Status-Detail;
//   Reject: code = reason; TMF Response, Logout Response: code = response;
//   SCSI Response: code = status, detail = sense key, asc/ascq from the
//     sense data; when the iSCSI response is not Command Completed the
//     status is not valid: code = the response byte, detail = 0x80;
//   Data-In with S: code = status; Async Message: code = AsyncEvent.
struct answer {
  answer_kind kind = answer_kind::silence;
  std::uint8_t opcode = 0;
  std::uint8_t code = 0;
  std::uint8_t detail = 0;
  std::uint8_t asc = 0;
  std::uint8_t ascq = 0;
  friend bool operator==(const answer&, const answer&) = default;
};
answer answer_of(const pdu::pdu& p);
// A PDU (a bad data digest counts as a stream error), a close or socket
// error, silence (the deadline passed) or a framing error.
answer answer_of(const conformance::observation& o);
std::string describe(const answer& a);

struct transition {
  phase from = phase::full_feature;
  request_kind request;
  answer to;

  // Every field packed into 57 bits: the graph's key, and back.
  std::uint64_t key() const;
  static transition from_key(std::uint64_t key);
  // "full-feature: SCSI Command cdb 0x28 -> SCSI Response status 0x02 ..."
  std::string label() const;
  friend bool operator==(const transition&, const transition&) = default;
};

transition make_transition(phase from, const pdu::pdu& request, const conformance::observation& seen);

enum class recorded : std::uint8_t { seen_before, new_transition, overflow };

class state_graph {
 public:
  static constexpr std::size_t default_cap = 65536;
  explicit state_graph(std::size_t cap = default_cap) : cap_(cap) {}

  // Counts t; new_transition the first time, overflow when the cap is
  // reached (t is then not kept).
  recorded record(const transition& t);

  std::size_t distinct() const { return counts_.size(); }
  std::uint64_t total() const { return total_; }
  std::uint64_t overflow() const { return overflow_; }
  std::size_t cap() const { return cap_; }
  std::uint64_t count(const transition& t) const;

  // The scheduler's weight: 1 / count, 1 for a transition never seen (and
  // for one beyond the cap), so rare transitions weigh most.
  double rarity(const transition& t) const;
  // A program's weight: the rarest transition it reached (0 for none).
  double rarity(const std::vector<transition>& reached) const;

  // Graphviz: one node per phase and per answer, edges labelled with the
  // request and the count. JSON: every transition with its fields and count.
  void write_dot(std::ostream& out) const;
  void write_json(std::ostream& out) const;

 private:
  std::vector<std::pair<std::uint64_t, std::uint64_t>> sorted() const;

  std::size_t cap_;
  std::unordered_map<std::uint64_t, std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t overflow_ = 0;
};

}  // namespace touchstone::fuzz::net
