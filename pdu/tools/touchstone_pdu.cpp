// touchstone-pdu: decodes one direction of an iSCSI TCP stream and prints
// every PDU field by field with the strict validator's findings.
//
//   touchstone-pdu capture.bin
//   touchstone-pdu --hex --header-digest --data-digest stream.hex
//   cat stream.bin | touchstone-pdu --json -
//
// Exit status: 0 decoded cleanly (violations do not change it), 1 malformed
// input (truncated, digest error, over-long segment, bad hex), 2 usage or an
// unreadable input file.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "input.hpp"
#include "render.hpp"
#include "stream.hpp"

namespace {

using namespace touchstone;

constexpr int exit_malformed = 1;
constexpr int exit_usage = 2;

struct options {
  std::string path = "-";
  bool hex = false;
  bool json = false;
  pdu::framer_limits limits;
};

void add_options(CLI::App& app, options& o) {
  app.add_option("file", o.path,
                 "raw bytes of ONE direction of an iSCSI TCP stream ('-' or none: stdin)");
  app.add_flag("--hex", o.hex, "the input is hex text (whitespace and newlines ignored)");
  app.add_flag("--header-digest", o.limits.digests.header, "HeaderDigest=CRC32C for the whole stream");
  app.add_flag("--data-digest", o.limits.digests.data, "DataDigest=CRC32C for the whole stream");
  app.add_option("--mrdsl,--max-recv-data-segment-length", o.limits.max_recv_data_segment_length,
                 "MaxRecvDataSegmentLength the receiver of this direction declared (default 8192, "
                 "the login-phase value; after login the peer's declared value applies)")
      ->check(CLI::Range(1u, 0xffffffu));
  app.add_flag("--json", o.json, "print one JSON document instead of the listing");
}

int report(const pdu_tool::stream_report& r, bool json) {
  if (json) {
    pdu_tool::print_json(r, stdout);
    if (r.error) fmt::print(stderr, "touchstone-pdu: error: {}\n", r.error->message);
  } else {
    pdu_tool::print_text(r, stdout, stderr);
  }
  return r.error ? exit_malformed : 0;
}

int run(const options& o) {
  auto raw = pdu_tool::read_all(o.path);
  if (!raw) {
    fmt::print(stderr, "touchstone-pdu: {}\n", raw.error().message);
    return exit_usage;
  }
  if (!o.hex) return report(pdu_tool::decode_stream(*raw, o.limits), o.json);
  const std::string_view text{reinterpret_cast<const char*>(raw->data()), raw->size()};
  const auto bytes = pdu_tool::parse_hex(text);
  if (!bytes) {
    fmt::print(stderr, "touchstone-pdu: error: {}\n", bytes.error().message);
    return exit_malformed;
  }
  return report(pdu_tool::decode_stream(*bytes, o.limits), o.json);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Decode one direction of an iSCSI (RFC 7143) TCP stream, PDU by PDU, with strict checks"};
  app.name("touchstone-pdu");
  options o;
  add_options(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_usage;
  }
  return run(o);
}
