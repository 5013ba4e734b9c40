// The config file model: a complete document, defaults, and every error path
// with the JSON path it names.
#include <catch2/catch.hpp>

#include "touchstone/target/config_file.hpp"

using namespace touchstone::target;

namespace {

constexpr auto full = R"({
  "portals": ["127.0.0.1:3260", "[::1]:3261"],
  "discovery": {"chap": {"user": "disc", "secret": "discovery-secret"}},
  "limits": {"queue_depth": 32, "header_digest": "required"},
  "strict": true,
  "allow": ["data-sn"],
  "targets": [
    {"iqn": "iqn.2026-11.org.touchstone:disk1", "alias": "disk one", "portal_group_tag": 2,
     "chap": {"user": "alice", "secret": "alice-secret-123"},
     "mutual_chap": {"user": "target", "secret": "target-secret-12"},
     "initiators": ["iqn.2026-11.org.touchstone:initiator"],
     "limits": {"max_sessions": 4, "max_recv_data_segment_length": 65536, "max_burst_length": 1048576,
                "first_burst_length": 65536, "immediate_data": false, "initial_r2t": true,
                "data_digest": "off", "nop_in_interval": 5, "nop_in_timeout": 10, "login_timeout": 15,
                "max_outstanding_r2t": 4},
     "luns": [{"store": "mem", "size": "64MiB"},
              {"lun": 5, "store": "file", "path": "/tmp/x.img", "size": 1048576, "read_only": true},
              {"store": "null", "size": "1GiB", "block_size": 4096}]},
    {"iqn": "iqn.2026-11.org.touchstone:disk2"}
  ]
})";

// The error of a document, as "path: message".
std::string error_of(const std::string& text) {
  auto c = parse_config(text);
  REQUIRE_FALSE(c);
  return c.error().text();
}

// A document with one target whose body is `target`.
std::string with_target(const std::string& target) {
  return R"({"targets": [)" + target + "]}";
}

std::string with_lun(const std::string& lun) {
  return with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "luns": [{"store": "mem", "size": "1MiB"},)" + lun +
                     "]}");
}

std::string with_limits(const std::string& limits) {
  return with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "limits": )" + limits + "}");
}

}  // namespace

TEST_CASE("a complete config file is read into the model", "[target][config]") {
  auto c = parse_config(full);
  REQUIRE(c);
  REQUIRE(c->portals.size() == 2);
  CHECK(c->portals[0].portal() == "127.0.0.1:3260");
  CHECK(c->portals[1].portal() == "[::1]:3261");
  REQUIRE(c->discovery.chap);
  CHECK(c->discovery.chap->user == "disc");
  CHECK_FALSE(c->discovery.mutual_chap);
  REQUIRE(c->targets.size() == 2);
  const auto& t = c->targets[0];
  CHECK(t.settings.iqn == "iqn.2026-11.org.touchstone:disk1");
  CHECK(t.settings.alias == "disk one");
  CHECK(t.settings.portal_group_tag == 2);
  CHECK(t.settings.chap->secret == "alice-secret-123");
  CHECK(t.settings.mutual_chap->user == "target");
  CHECK(t.settings.allowed_initiators == std::vector<std::string>{"iqn.2026-11.org.touchstone:initiator"});
  CHECK(t.settings.strict);
  CHECK(t.settings.leniencies == std::set<std::string>{"data-sn"});
  const auto& l = t.settings.limits;
  CHECK(l.queue_depth == 32);               // from the top-level defaults
  CHECK(l.header_digest == "CRC32C");       // required
  CHECK(l.data_digest == "None");           // off
  CHECK(l.max_sessions == 4);
  CHECK(l.max_recv_data_segment_length == 65536);
  CHECK(l.first_burst_length == 65536);
  CHECK_FALSE(l.immediate_data);
  CHECK(l.initial_r2t);
  CHECK(l.max_outstanding_r2t == 4);
  CHECK(l.nop_in_interval == std::chrono::seconds(5));
  CHECK(l.nop_in_timeout == std::chrono::seconds(10));
  CHECK(l.login_timeout == std::chrono::seconds(15));
  REQUIRE(t.luns.size() == 3);
  CHECK(t.luns[0] == lun_definition{0, store_kind::memory, "", 64u << 20, 512, false, ""});
  CHECK(t.luns[1] == lun_definition{5, store_kind::file, "/tmp/x.img", 1u << 20, 512, true, ""});
  CHECK(t.luns[2] == lun_definition{6, store_kind::null, "", 1u << 30, 4096, false, ""});  // numbered on
  const auto& second = c->targets[1];
  CHECK(second.luns.empty());
  CHECK(second.settings.limits.queue_depth == 32);
  CHECK(second.settings.limits.header_digest == "CRC32C");
  CHECK(second.settings.limits.data_digest == "None,CRC32C");
}

TEST_CASE("an empty document gives the defaults", "[target][config]") {
  auto c = parse_config("{}");
  REQUIRE(c);
  REQUIRE(c->portals.size() == 1);
  CHECK(c->portals[0].portal() == "127.0.0.1:3260");
  CHECK(c->targets.empty());
}

TEST_CASE("config: syntax and document errors", "[target][config]") {
  CHECK(error_of("{") == "config: not valid JSON: parse error at line 1, column 2: syntax error while "
                         "parsing object key - unexpected end of input; expected string literal");
  CHECK(error_of("{\n  \"a\": 1,\n}") == "config: not valid JSON: parse error at line 3, column 1: syntax error "
                                         "while parsing object key - unexpected '}'; expected string literal");
  CHECK(error_of("[]") == "config: expected an object, got an array");
  CHECK(error_of(R"({"target": []})") == "target: unknown key");
  CHECK(error_of(R"({"strict": "yes"})") == "strict: expected true or false, got a string");
  CHECK(error_of(R"({"allow": "x"})") == "allow: expected an array of strings, got a string");
  CHECK(error_of(R"({"allow": [1]})") == "allow[0]: expected a string, got an integer");
  CHECK(error_of(R"({"allow": ["no-such-rule"]})") ==
        "allow[0]: expected one of the leniency names: initial-r2t, immediate-data, first-burst, "
        "data-sn, nop-out-ttt, protocol-level, text-outstanding, login-outstanding, unsolicited-order");
  CHECK(error_of(R"({"targets": {}})") == "targets: expected an array, got an object");
  CHECK(error_of(R"({"targets": [1]})") == "targets[0]: expected an object, got an integer");
}

TEST_CASE("config: portal errors", "[target][config]") {
  CHECK(error_of(R"({"portals": []})") == "portals: expected a non-empty array of \"HOST:PORT\" strings");
  CHECK(error_of(R"({"portals": "127.0.0.1"})") == "portals: expected a non-empty array of \"HOST:PORT\" strings");
  CHECK(error_of(R"({"portals": [3260]})") == "portals[0]: expected \"HOST:PORT\", got an integer");
  CHECK(error_of(R"({"portals": ["127.0.0.1:70000"]})") == "portals[0]: port out of range in 127.0.0.1:70000");
  CHECK(error_of(R"({"portals": ["127.0.0.1:x"]})") == "portals[0]: bad port in 127.0.0.1:x");
  CHECK(error_of(R"({"portals": ["[::1:3260"]})") == "portals[0]: missing ']' in [::1:3260");
}

TEST_CASE("config: discovery errors", "[target][config]") {
  CHECK(error_of(R"({"discovery": []})") == "discovery: expected an object, got an array");
  CHECK(error_of(R"({"discovery": {"chap": {"user": "u"}}})") == "discovery.chap.secret: missing (expected a string)");
  CHECK(error_of(R"({"discovery": {"chap": {"user": "", "secret": "s"}}})") == "discovery.chap.user: must not be empty");
  CHECK(error_of(R"({"discovery": {"chap": {"user": "u", "secret": "s", "x": 1}}})") ==
        "discovery.chap.x: unknown key");
  CHECK(error_of(R"({"discovery": {"mutual_chap": {"user": "u", "secret": "s"}}})") ==
        "discovery.mutual_chap: mutual CHAP needs chap (the initiator's account) too");
  CHECK(error_of(R"({"discovery": {"chap": {"user": "u", "secret": "s"}, "mutual_chap": {"user": "t", "secret": "s"}}})") ==
        "discovery.mutual_chap.secret: must differ from the initiator's secret");
  CHECK(error_of(R"({"discovery": {"limits": {"header_digest": "sometimes"}}})") ==
        "discovery.limits.header_digest: expected one of optional, required, off, got 'sometimes'");
  // The keys of SCSI data and of a target's sessions are not a discovery session's.
  CHECK(error_of(R"({"discovery": {"limits": {"max_burst_length": 65536}}})") ==
        "discovery.limits.max_burst_length: unknown key");
  CHECK(error_of(R"({"discovery": {"limits": {"login_timeout": 0}}})") ==
        "discovery.limits.login_timeout: must be at least 1 second");
}

TEST_CASE("config: discovery limits are the instance's own and not the targets' defaults",
          "[target][config][discovery]") {
  auto c = parse_config(R"({"limits": {"header_digest": "required"},
    "discovery": {"limits": {"data_digest": "off", "max_recv_data_segment_length": 8192,
                             "login_timeout": 5, "nop_in_interval": 20, "nop_in_timeout": 4}},
    "targets": [{"iqn": "iqn.2026-11.org.touchstone:t"}]})");
  REQUIRE(c);
  const auto& d = c->discovery.limits;
  CHECK(d.header_digest == "None,CRC32C");  // the top-level "limits" are the targets'
  CHECK(d.data_digest == "None");
  CHECK(d.max_recv_data_segment_length == 8192);
  CHECK(d.login_timeout == std::chrono::seconds(5));
  CHECK(d.nop_in_interval == std::chrono::seconds(20));
  CHECK(d.nop_in_timeout == std::chrono::seconds(4));
  CHECK(c->targets[0].settings.limits.header_digest == "CRC32C");
}

//= rfc7143#section-4.2.7.1 type=test
//# Each iSCSI node, whether it is an initiator, a target, or both, MUST have an iSCSI name.
TEST_CASE("config: target errors", "[target][config]") {
  CHECK(error_of(with_target("{}")) == "targets[0].iqn: missing (expected a string)");
  CHECK(error_of(with_target(R"({"iqn": 5})")) == "targets[0].iqn: expected a string, got an integer");
  CHECK(error_of(with_target(R"({"iqn": "disk"})")) == "targets[0].iqn: 'disk' is not a valid iSCSI name");
  CHECK(error_of(with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "lun": []})")) == "targets[0].lun: unknown key");
  CHECK(error_of(with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "portal_group_tag": 0})")) ==
        "targets[0].portal_group_tag: expected an integer from 1 to 65535, got 0");
  CHECK(error_of(with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "initiators": ["nope"]})")) ==
        "targets[0].initiators[0]: not a valid iSCSI name");
  CHECK(error_of(with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "chap": "u:s"})")) ==
        "targets[0].chap: expected an object, got a string");
  CHECK(error_of(with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "mutual_chap": {"user": "t", "secret": "s"}})")) ==
        "targets[0].mutual_chap: mutual CHAP needs chap (the initiator's account) too");
  CHECK(error_of(with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "chap": {"user": "u", "secret": "same"},
                                 "mutual_chap": {"user": "t", "secret": "same"}})")) ==
        "targets[0].mutual_chap.secret: must differ from the initiator's secret");
  CHECK(error_of(R"({"targets": [{"iqn": "iqn.2026-11.org.touchstone:t"}, {"iqn": "iqn.2026-11.org.touchstone:t"}]})") ==
        "targets[1].iqn: target iqn.2026-11.org.touchstone:t is defined twice");
  CHECK(error_of(with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "luns": {}})")) ==
        "targets[0].luns: expected an array, got an object");
}

TEST_CASE("config: LUN errors", "[target][config]") {
  CHECK(error_of(with_lun("7")) == "targets[0].luns[1]: expected an object, got an integer");
  CHECK(error_of(with_lun("{}")) == "targets[0].luns[1].store: missing (expected mem, file or null)");
  CHECK(error_of(with_lun(R"({"store": "disk"})")) ==
        "targets[0].luns[1].store: expected one of mem, file, null, got 'disk'");
  CHECK(error_of(with_lun(R"({"store": "mem"})")) == "targets[0].luns[1].size: missing (expected a size like 64MiB)");
  CHECK(error_of(with_lun(R"({"store": "mem", "size": "64 MB"})")) == "targets[0].luns[1].size: expected a size like 64MiB");
  CHECK(error_of(with_lun(R"({"store": "mem", "size": -1})")) == "targets[0].luns[1].size: expected a size like 64MiB");
  CHECK(error_of(with_lun(R"({"store": "mem", "size": "0"})")) == "targets[0].luns[1].size: expected a size like 64MiB");
  CHECK(error_of(with_lun(R"({"store": "mem", "size": 1000})")) ==
        "targets[0].luns[1].size: 1000 is not a multiple of the block size 512");
  CHECK(error_of(with_lun(R"({"store": "mem", "size": "1MiB", "block_size": 1024})")) ==
        "targets[0].luns[1].block_size: expected 512 or 4096");
  CHECK(error_of(with_lun(R"({"store": "mem", "size": "1MiB", "block_size": "4096"})")) ==
        "targets[0].luns[1].block_size: expected an integer from 0 to 4294967295, got a string");
  CHECK(error_of(with_lun(R"({"store": "file"})")) == "targets[0].luns[1].path: missing (expected a string)");
  CHECK(error_of(with_lun(R"({"store": "file", "path": ""})")) == "targets[0].luns[1].path: must not be empty");
  CHECK(error_of(with_lun(R"({"store": "mem", "size": "1MiB", "path": "/x"})")) ==
        "targets[0].luns[1].path: only a file store has a path");
  CHECK(error_of(with_lun(R"({"store": "file", "path": "/x", "read_only": 1})")) ==
        "targets[0].luns[1].read_only: expected true or false, got an integer");
  CHECK(error_of(with_lun(R"({"lun": 0, "store": "mem", "size": "1MiB"})")) ==
        "targets[0].luns[1].lun: LUN 0 is defined twice");
  CHECK(error_of(with_lun(R"({"lun": 16384, "store": "mem", "size": "1MiB"})")) ==
        "targets[0].luns[1].lun: expected an integer from 0 to 16383, got 16384");
  CHECK(error_of(with_lun(R"({"lun": -1, "store": "mem", "size": "1MiB"})")) ==
        "targets[0].luns[1].lun: expected an integer from 0 to 16383, got -1");
  CHECK(error_of(with_lun(R"({"store": "mem", "size": "1MiB", "sise": 1})")) == "targets[0].luns[1].sise: unknown key");
}

TEST_CASE("config: limit errors", "[target][config]") {
  CHECK(error_of(with_limits("[]")) == "targets[0].limits: expected an object, got an array");
  CHECK(error_of(with_limits(R"({"queue_depth": 0})")) ==
        "targets[0].limits.queue_depth: expected an integer from 1 to 65536, got 0");
  CHECK(error_of(with_limits(R"({"max_recv_data_segment_length": 511})")) ==
        "targets[0].limits.max_recv_data_segment_length: expected an integer from 512 to 16777215, got 511");
  CHECK(error_of(with_limits(R"({"max_burst_length": 16777216})")) ==
        "targets[0].limits.max_burst_length: expected an integer from 512 to 16777215, got 16777216");
  CHECK(error_of(with_limits(R"({"first_burst_length": 1.5})")) ==
        "targets[0].limits.first_burst_length: expected an integer from 512 to 16777215, got a number with a fraction");
  CHECK(error_of(with_limits(R"({"first_burst_length": 65536, "max_burst_length": 4096})")) ==
        "targets[0].limits.first_burst_length: must not exceed max_burst_length");
  CHECK(error_of(with_limits(R"({"max_outstanding_r2t": 0})")) ==
        "targets[0].limits.max_outstanding_r2t: expected an integer from 1 to 65535, got 0");
  CHECK(error_of(with_limits(R"({"immediate_data": "Yes"})")) ==
        "targets[0].limits.immediate_data: expected true or false, got a string");
  CHECK(error_of(with_limits(R"({"header_digest": "CRC32C"})")) ==
        "targets[0].limits.header_digest: expected one of optional, required, off, got 'CRC32C'");
  CHECK(error_of(with_limits(R"({"data_digest": true})")) ==
        "targets[0].limits.data_digest: expected a string, got a boolean");
  CHECK(error_of(with_limits(R"({"login_timeout": 0})")) == "targets[0].limits.login_timeout: must be at least 1 second");
  CHECK(error_of(with_limits(R"({"nop_in_interval": 5, "nop_in_timeout": 0})")) ==
        "targets[0].limits.nop_in_timeout: must be positive when NOP-In pings are on");
  CHECK(error_of(with_limits(R"({"max_sessions": 70000})")) ==
        "targets[0].limits.max_sessions: expected an integer from 0 to 65535, got 70000");
  CHECK(error_of(with_limits(R"({"max_tracked_nexuses": 0})")) ==
        "targets[0].limits.max_tracked_nexuses: expected an integer from 1 to 1048576, got 0");
  CHECK(error_of(with_limits(R"({"queue-depth": 1})")) == "targets[0].limits.queue-depth: unknown key");
  CHECK(error_of(R"({"limits": {"queue_depth": 0}})") == "limits.queue_depth: expected an integer from 1 to 65536, got 0");
}

TEST_CASE("sizes", "[target][config]") {
  CHECK(parse_size("4096") == 4096u);
  CHECK(parse_size("64MiB") == 64u << 20);
  CHECK(parse_size("64M") == 64u << 20);
  CHECK(parse_size("2K") == 2048u);
  CHECK(parse_size("1GiB") == 1u << 30);
  CHECK(parse_size("3TiB") == 3ull << 40);
  CHECK_FALSE(parse_size(""));
  CHECK_FALSE(parse_size("MiB"));
  CHECK_FALSE(parse_size("64mb"));
  CHECK_FALSE(parse_size("99999999999999999999"));
  CHECK_FALSE(parse_size("17179869184TiB"));  // 2^34 TiB overflows
}

TEST_CASE("command-line LUN and account options build the same model", "[target][config]") {
  auto mem = parse_lun_option("mem:64MiB", 0);
  REQUIRE(mem);
  CHECK(*mem == lun_definition{0, store_kind::memory, "", 64u << 20, 512, false, ""});
  auto file = parse_lun_option("file:/tmp/d.img,size=1GiB,ro,bs=4096", 3);
  REQUIRE(file);
  CHECK(*file == lun_definition{3, store_kind::file, "/tmp/d.img", 1u << 30, 4096, true, ""});
  auto null = parse_lun_option("null:1TiB", 1);
  REQUIRE(null);
  CHECK(null->store == store_kind::null);
  CHECK(parse_lun_option("disk:1M", 0).error().text() ==
        "--lun disk:1M: expected mem:SIZE, null:SIZE or file:PATH[,size=SIZE][,ro][,bs=512|4096][,aptpl=STATE]");
  CHECK(parse_lun_option("mem:lots", 0).error().text() == "--lun mem:lots: expected a size like 64MiB");
  CHECK(parse_lun_option("mem:1M,rw", 0).error().text() == "--lun mem:1M,rw: unknown option 'rw'");
  CHECK(parse_lun_option("mem:1M,bs=1024", 0).error().text() == "--lun mem:1M,bs=1024.block_size: expected 512 or 4096");
  CHECK(parse_lun_option("file:", 0).error().text() == "--lun file:.path: a file store needs a path");
  REQUIRE(parse_account_option("user:secret"));
  CHECK(parse_account_option("user:se:cret")->secret == "se:cret");
  CHECK_FALSE(parse_account_option("user"));
  CHECK_FALSE(parse_account_option(":secret"));
  CHECK_FALSE(parse_account_option("user:"));
}

TEST_CASE("secrets shorter than 96 bits are warned about", "[target][config]") {
  auto c = parse_config(with_target(R"({"iqn": "iqn.2026-11.org.touchstone:t", "chap": {"user": "u", "secret": "short"}})"));
  REQUIRE(c);
  const auto warnings = weak_secret_warnings(*c);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "targets[0].chap: the CHAP secret of u is shorter than 96 bits (rfc7143#section-9.2.1)");
}

TEST_CASE("config: logging (the bound on lines about initiators)", "[target][config]") {
  auto defaults = parse_config("{}");
  REQUIRE(defaults);
  CHECK(defaults->logging == log_limits{std::chrono::seconds(10), 20, 200});
  auto c = parse_config(R"({"logging": {"interval": 30, "lines_per_second": 0, "burst": 5}})");
  REQUIRE(c);
  CHECK(c->logging == log_limits{std::chrono::seconds(30), 0, 5});
  CHECK(error_of(R"({"logging": {"interval": 3601}})") ==
        "logging.interval: expected an integer from 0 to 3600, got 3601");
  CHECK(error_of(R"({"logging": {"burst": 0}})") == "logging.burst: expected an integer from 1 to 1000000, got 0");
  CHECK(error_of(R"({"logging": {"rate": 1}})") == "logging.rate: unknown key");
}
