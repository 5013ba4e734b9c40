// The external oracle: one legal PDU of every type, built with our builders,
// written into a pcap as a TCP conversation with port 3260, and dissected
// by Wireshark's iSCSI dissector (tshark). tshark must name exactly the
// opcodes we meant, in order, find no malformed packet and raise no expert
// warning or error; with CRC32C digests it must find every digest good.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "session.hpp"
#include "tcp_capture.hpp"
#include "touchstone/pdu/all.hpp"

namespace fs = std::filesystem;
using namespace touchstone::pdu;
using touchstone::pdu::test::direction;

namespace {

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs{path ? path : ""};
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

// Removed at the end unless KEEP is set in the environment (to look at the
// pcap by hand: KEEP=1 TMPDIR=/some/dir pdu_interop_tests).
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "touchstone-tshark-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    if (!path.empty()) if (!std::getenv("KEEP")) fs::remove_all(path, ec);
  }
};

struct command_result {
  int status = -1;
  std::string out;
};

// Runs a shell command; stdout only (tshark's "running as root" notice goes
// to stderr, which the command discards).
command_result run(const std::string& command) {
  command_result r;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  while (const std::size_t n = std::fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in{text};
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

bool is_login(const pdu& p) {
  return p.op() == opcode::login_request || p.op() == opcode::login_response;
}

// Digests start after the Login Final-Response (RFC 7143 section 13.1); the
// login PDUs themselves travel without them.
digest_config digests_for(const pdu& p, bool digests) {
  return digests && !is_login(p) ? digest_config{true, true} : digest_config{};
}

// One PDU per TCP segment; initiator opcodes go to port 3260, target opcodes come from it.
std::string write_session(const fs::path& dir, const std::vector<pdu>& session, bool digests) {
  touchstone::pdu::test::tcp_capture capture;
  for (const auto& p : session) {
    const auto d = is_initiator_code(p.header().raw_opcode()) ? direction::to_target : direction::to_initiator;
    capture.send(d, encode(p, digests_for(p, digests)));
  }
  const auto file = (dir / (digests ? "session-digests.pcap" : "session.pcap")).string();
  REQUIRE(capture.write(file));
  return file;
}

std::string tshark_command(const std::string& tshark, const std::string& file, const std::string& args) {
  return "'" + tshark + "' -n -r '" + file + "' " + args + " 2>/dev/null";
}

std::vector<unsigned> opcodes_seen(const std::string& tshark, const std::string& file) {
  const auto r = run(tshark_command(tshark, file, "-Y iscsi -T fields -E occurrence=f -e iscsi.opcode"));
  REQUIRE(r.status == 0);
  std::vector<unsigned> out;
  for (const auto& line : lines(r.out)) out.push_back(static_cast<unsigned>(std::stoul(line, nullptr, 0)));
  return out;
}

// Every frame with a malformed-packet marker or an expert item of severity
// warning or error, as "frame: message" lines.
std::vector<std::string> complaints(const std::string& tshark, const std::string& file) {
  const auto r = run(tshark_command(
      tshark, file,
      "-Y '_ws.malformed || _ws.expert.severity >= 0x00600000' -T fields -e frame.number "
      "-e _ws.expert.message -e _ws.malformed"));
  REQUIRE(r.status == 0);
  return lines(r.out);
}

std::vector<unsigned> opcodes_meant(const std::vector<pdu>& session) {
  std::vector<unsigned> out;
  for (const auto& p : session) out.push_back(p.header().raw_opcode());
  return out;
}

std::string require_tshark() {
  const auto tshark = find_on_path("tshark");
  INFO("tshark is not on PATH; ci/setup installs it (Debian package tshark)");
  REQUIRE_FALSE(tshark.empty());
  return tshark;
}

}  // namespace

// rfc7143 section 11, in our words:
// iSCSI PDU formats: every opcode of section 11 as an independent dissector reads it
TEST_CASE("tshark names every opcode of a session and finds nothing malformed", "[interop][tshark]") {
  const auto tshark = require_tshark();
  const auto session = touchstone::pdu::test::every_type_session(false);
  for (const auto& p : session) {
    INFO("our own validator on " << name(p.op()));
    CHECK(validate(p).empty());
  }
  std::vector<unsigned> distinct = opcodes_meant(session);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  REQUIRE(distinct.size() == 18);

  temp_dir dir;
  REQUIRE_FALSE(dir.path.empty());
  const auto file = write_session(dir.path, session, false);
  CHECK(opcodes_seen(tshark, file) == opcodes_meant(session));
  CHECK(complaints(tshark, file).empty());
}

// rfc7143 section 13.1, in our words:
// HeaderDigest and DataDigest CRC32C: the digest an independent dissector computes matches ours
TEST_CASE("tshark finds every CRC32C header and data digest good", "[interop][tshark][digest]") {
  const auto tshark = require_tshark();
  const auto session = touchstone::pdu::test::every_type_session(true);
  temp_dir dir;
  REQUIRE_FALSE(dir.path.empty());
  const auto file = write_session(dir.path, session, true);
  CHECK(opcodes_seen(tshark, file) == opcodes_meant(session));
  CHECK(complaints(tshark, file).empty());

  const auto verbose = run(tshark_command(tshark, file, "-V"));
  REQUIRE(verbose.status == 0);
  const auto with_digests = static_cast<std::size_t>(
      std::count_if(session.begin(), session.end(), [](const pdu& p) { return !is_login(p); }));
  const auto with_data = static_cast<std::size_t>(std::count_if(
      session.begin(), session.end(), [](const pdu& p) { return !is_login(p) && !p.data.empty(); }));
  // tshark dissects the Reject's data segment (the rejected BHS) as a PDU of
  // its own, so it shows the Reject's data digest as that header's
  // "HeaderDigest": count both kinds together.
  CHECK(count(verbose.out, "Digest: 0x") == with_digests + with_data);
  CHECK(count(verbose.out, "Good CRC32") == with_digests + with_data);
  CHECK(count(verbose.out, "Bad CRC32") == 0);
}
