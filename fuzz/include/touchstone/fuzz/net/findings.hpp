// Findings a maintainer can act on. A finding's signature is its kind, the
// kind of the last request and the answer it got (and, for a protocol
// departure, the requirement id): the store writes each distinct signature
// (signature::key(): a protocol finding by its requirement id alone) once
// under its directory,
//   DIR/<kind>-<16 hex digits of the signature's hash>/finding.json
//                                                     /traffic.pcap
// and counts the repeats. Distinct signatures are bounded (max_findings);
// past the bound a finding is counted, not written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "touchstone/conformance/connection.hpp"
#include "touchstone/fuzz/net/oracles.hpp"
#include "touchstone/fuzz/net/transitions.hpp"

namespace touchstone::fuzz::net {

// leak: a supervised target's memory (VmRSS) grew past the run's limit.
// integrity: a canary block read back wrong (integrity.hpp).
enum class finding_kind : std::uint8_t { crash, hang, stall, protocol, leak, integrity };
std::string_view name(finding_kind k);

struct signature {
  finding_kind kind = finding_kind::protocol;
  phase at = phase::full_feature;
  request_kind last_request;
  answer last_answer;
  std::string requirement;  // protocol findings: the departure's id

  // "protocol full-feature SCSI Command (0x01) cdb 0x28 -> ... rfc7143#..."
  std::string text() const;
  // What makes findings distinct: text(), but for a protocol finding only
  // the kind and the requirement id (the issue deduplicates departures by
  // requirement; the last request and answer are wherever the run ended,
  // not where the departure showed; an integrity finding likewise).
  std::string key() const;
  std::string directory_name() const;  // "<kind>-<hash of key()>"
  friend bool operator==(const signature&, const signature&) = default;
};

// One connection's bytes both ways, as the engine recorded them.
struct captured_connection {
  std::vector<conformance::traffic_chunk> traffic;
  std::uint16_t initiator_port = 0;
  std::uint16_t target_port = 0;
};

struct finding {
  signature sig;
  std::uint64_t seed = 0;
  std::string target;                   // the URL without secrets, or host:port
  std::vector<pdu::byte_buffer> requests;  // every PDU sent, as encoded
  std::vector<std::string> answers;        // observation::describe() lines
  std::vector<departure> departures;
  std::string liveness;                 // the classifier's summary, if any
  std::vector<captured_connection> connections;
  std::string capture_host = "127.0.0.1";  // for the capture's addresses
  std::string command_line;             // the run's, secrets hidden
  std::string time;                     // UTC ISO 8601; empty: when written
  // Supervised targets: how the target process went away, its last stderr lines.
  std::string target_exit;
  std::vector<std::string> stderr_tail;
};

enum class stored : std::uint8_t { written, repeat, over_limit, failed };
std::string_view name(stored s);

struct store_result {
  stored what = stored::failed;
  std::filesystem::path where;  // the finding's directory when written
  std::string error;            // when failed
};

class findings_store {
 public:
  static constexpr std::size_t default_max_findings = 1000;
  explicit findings_store(std::filesystem::path dir, std::size_t max_findings = default_max_findings);

  store_result add(const finding& f);

  std::size_t distinct() const { return seen_.size(); }
  std::uint64_t repeats(const signature& s) const;  // times seen after the first
  std::uint64_t over_limit() const { return over_limit_; }

 private:
  std::filesystem::path dir_;
  std::size_t max_findings_;
  std::unordered_map<std::string, std::uint64_t> seen_;  // signature text -> repeats
  std::uint64_t over_limit_ = 0;
};

// finding.json's document (written by the store; for reports and tests):
// "requests" holds each PDU sent as hex, "pdus_sent" the same PDUs annotated
// (annotate.hpp: opcode, BHS fields by name, AHS, digests, data as hex lines).
std::string finding_json(const finding& f);

}  // namespace touchstone::fuzz::net
