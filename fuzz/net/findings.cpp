// The findings store: one directory per distinct signature, finding.json
// and traffic.pcap inside; repeats counted, the number of findings bounded.
#include "touchstone/fuzz/net/findings.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "touchstone/conformance/pcap_writer.hpp"
#include "touchstone/fuzz/annotate.hpp"

namespace touchstone::fuzz::net {

std::string_view name(finding_kind k) {
  switch (k) {
    case finding_kind::crash: return "crash";
    case finding_kind::hang: return "hang";
    case finding_kind::stall: return "stall";
    case finding_kind::protocol: return "protocol";
    case finding_kind::leak: return "leak";
    case finding_kind::integrity: return "integrity";
  }
  return "unknown";
}

std::string_view name(stored s) {
  switch (s) {
    case stored::written: return "written";
    case stored::repeat: return "repeat";
    case stored::over_limit: return "over limit";
    case stored::failed: return "failed";
  }
  return "?";
}

namespace {

std::string hex_bytes(const std::uint8_t* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 0xf];
  }
  return out;
}

// The first 8 bytes of the SHA-256 of the signature's text: a directory
// name stable across runs and machines.
std::string short_hash(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1 || length < 8)
    return "0000000000000000";
  return hex_bytes(digest, 8);
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

bool write_text(const std::filesystem::path& path, const std::string& text, std::string& why) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (out) return true;
  why = "cannot write " + path.string();
  return false;
}

using ojson = nlohmann::ordered_json;

std::string hex_number(std::uint64_t v, int digits) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%0*llx", digits, static_cast<unsigned long long>(v));
  return text;
}

// A PDU sent, field by field (wide fields as hex, as in program files).
ojson annotated(const pdu::byte_buffer& encoded) {
  const auto a = annotate(encoded);
  ojson fields = ojson::object();
  for (const auto& f : a.fields) {
    if (f.width > 32)
      fields[std::string(f.name)] = hex_number(f.value, (f.width + 3) / 4);
    else
      fields[std::string(f.name)] = f.value;
  }
  ojson out{{"opcode", a.opcode}, {"fields", std::move(fields)}};
  if (!a.ahs.empty()) out["ahs"] = a.ahs;
  if (!a.header_digest.empty()) out["header_digest"] = a.header_digest;
  out["data"] = a.data;
  if (!a.data_digest.empty()) out["data_digest"] = a.data_digest;
  if (!a.trailing.empty()) out["trailing"] = a.trailing;
  out["bytes"] = a.size;
  return out;
}

}  // namespace

std::string signature::text() const {
  auto t = std::string(name(kind)) + " " + std::string(name(at)) + " " + describe(last_request) + " -> " +
           describe(last_answer);
  return requirement.empty() ? t : t + " " + requirement;
}

std::string signature::key() const {
  const bool by_requirement = kind == finding_kind::protocol || kind == finding_kind::integrity;
  return by_requirement ? std::string(name(kind)) + " " + requirement : text();
}

std::string signature::directory_name() const { return std::string(name(kind)) + "-" + short_hash(key()); }

std::string finding_json(const finding& f) {
  auto requests = ojson::array();
  for (const auto& r : f.requests) requests.push_back(hex_bytes(r.data(), r.size()));
  auto departures = ojson::array();
  for (const auto& d : f.departures)
    departures.push_back(
        {{"requirement", d.requirement}, {"summary", d.summary}, {"pdu", d.pdu}, {"count", d.count}});
  auto sent = ojson::array();
  for (const auto& r : f.requests) sent.push_back(annotated(r));
  const ojson doc{
      {"kind", name(f.sig.kind)},
      {"signature", f.sig.text()},
      {"phase", name(f.sig.at)},
      {"last_request", describe(f.sig.last_request)},
      {"answer", describe(f.sig.last_answer)},
      {"requirement", f.sig.requirement},
      {"time", f.time.empty() ? utc_now() : f.time},
      {"seed", f.seed},
      {"command_line", f.command_line},
      {"target", f.target},
      {"requests", std::move(requests)},
      {"pdus_sent", std::move(sent)},
      {"answers", f.answers},
      {"departures", std::move(departures)},
      {"liveness", f.liveness},
      {"target_exit", f.target_exit},
      {"stderr_tail", f.stderr_tail},
  };
  return doc.dump(2) + "\n";
}

findings_store::findings_store(std::filesystem::path dir, std::size_t max_findings)
    : dir_(std::move(dir)), max_findings_(max_findings) {}

std::uint64_t findings_store::repeats(const signature& s) const {
  const auto found = seen_.find(s.key());
  return found == seen_.end() ? 0 : found->second;
}

store_result findings_store::add(const finding& f) {
  const auto text = f.sig.key();
  if (const auto found = seen_.find(text); found != seen_.end()) {
    ++found->second;
    return {stored::repeat, dir_ / f.sig.directory_name(), {}};
  }
  if (seen_.size() >= max_findings_) {
    ++over_limit_;
    return {stored::over_limit, {}, {}};
  }
  seen_.emplace(text, 0);
  const auto where = dir_ / f.sig.directory_name();
  std::error_code ec;
  std::filesystem::create_directories(where, ec);
  if (ec) return {stored::failed, where, "cannot create " + where.string() + ": " + ec.message()};
  std::string why;
  if (!write_text(where / "finding.json", finding_json(f), why)) return {stored::failed, where, why};
  conformance::pcap_capture capture;
  const auto addresses = conformance::capture_addresses(f.capture_host);
  for (const auto& c : f.connections)
    capture.add_connection(c.traffic, c.initiator_port, c.target_port, addresses);
  if (!capture.write((where / "traffic.pcap").string(), why)) return {stored::failed, where, why};
  return {stored::written, where, {}};
}

}  // namespace touchstone::fuzz::net
