// The management methods on an instance, through the JSON-RPC dispatcher
// (no sockets): targets and LUNs at runtime, the unit attention initiators
// see, "in use" refusals, sessions, stats, routing and config reloads.
#include "support.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/management.hpp"

using namespace touchstone;
using namespace touchstone::target;
using json = nlohmann::json;

namespace {

constexpr auto disk = "iqn.2026-11.org.touchstone:disk";

target_definition definition(const std::string& text) {
  auto t = parse_target(json::parse(text), "t");
  REQUIRE(t);
  return *t;
}

struct fixture {
  instance targets{{"127.0.0.1:3260"}, {}};
  rpc_dispatcher rpc;
  int reloads = 0;

  fixture() {
    REQUIRE(targets.create_target(definition(
        R"({"iqn": "iqn.2026-11.org.touchstone:disk", "luns": [{"store": "mem", "size": "1MiB"}]})")));
    management_context c;
    c.targets = &targets;
    c.reload = [this]() -> app_result<std::vector<std::string>> {
      ++reloads;
      return std::vector<std::string>{"nothing"};
    };
    c.info = {{"pid", 1}};
    register_management(rpc, c);
  }

  json call(const std::string& method, const json& params = json::object()) {
    const json request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    const auto out = rpc.handle(request.dump());
    REQUIRE(out);
    return json::parse(*out);
  }
  json result(const std::string& method, const json& params = json::object()) {
    auto r = call(method, params);
    INFO(r.dump());
    REQUIRE(r.contains("result"));
    return r["result"];
  }
  std::pair<int, std::string> error(const std::string& method, const json& params = json::object()) {
    auto r = call(method, params);
    INFO(r.dump());
    REQUIRE(r.contains("error"));
    return {r["error"]["code"].get<int>(), r["error"]["message"].get<std::string>()};
  }

  // A logged-in normal session of `iqn`, registered as a live connection.
  struct session {
    connection_entry* entry;
    std::unique_ptr<test::driver> driver;
    bool disconnected = false;
  };
  std::unique_ptr<session> log_in(const std::string& iqn = disk) {
    auto s = std::make_unique<session>();
    auto* raw = s.get();
    s->entry = &targets.connected("127.0.0.1:3260", "127.0.0.1:50000", [raw] { raw->disconnected = true; });
    const auto first = test::login(pdu::login_stage::operational_negotiation,
                                   {{"InitiatorName", std::string(test::initiator_iqn)}, {"TargetName", iqn}})
                           .build();
    s->driver = std::make_unique<test::driver>(targets.route(*s->entry, first));
    s->entry->conn = &s->driver->core();
    test::login_normal(*s->driver);
    REQUIRE(s->driver->core().current_phase() == phase::ffp_normal);
    return s;
  }
};

scsi::it_nexus some_nexus() { return {"iqn.2026-11.org.touchstone:initiator,i,0x1", "t,0x1"}; }

}  // namespace

TEST_CASE("target.list, target.create and target.remove", "[target][management]") {
  fixture f;
  auto list = f.result("target.list");
  REQUIRE(list.size() == 1);
  CHECK(list[0]["iqn"] == disk);
  CHECK(list[0]["luns"] == json::array({0}));
  CHECK(list[0]["portals"] == json::array({"127.0.0.1:3260"}));
  CHECK(list[0]["sessions"] == 0);

  CHECK(f.result("target.create", {{"iqn", "iqn.2026-11.org.touchstone:two"}, {"alias", "second"}}) ==
        json{{"created", "iqn.2026-11.org.touchstone:two"}});
  CHECK(f.result("target.list").size() == 2);
  CHECK(list[0]["redirect"].is_null());
  CHECK(f.result("target.create", {{"iqn", "iqn.2026-11.org.touchstone:moved"},
                                   {"redirect", {{"to", {"192.0.2.7:3260"}}}}}) ==
        json{{"created", "iqn.2026-11.org.touchstone:moved"}});
  CHECK(f.result("target.list")[1]["redirect"] == json::array({"192.0.2.7:3260"}));
  CHECK(f.error("target.create", {{"iqn", "iqn.2026-11.org.touchstone:bad"},
                                  {"redirect", {{"to", {"192.0.2.7:3260,1"}}}}}).second ==
        "params.redirect.to[0]: '192.0.2.7:3260,1' has a portal group tag; a redirect must omit it");
  f.result("target.remove", {{"iqn", "iqn.2026-11.org.touchstone:moved"}});
  CHECK(f.error("target.create", {{"iqn", disk}}) == std::pair{-32002, "target " + std::string(disk) + " exists already"});
  CHECK(f.error("target.create", {{"iqn", "nope"}}) ==
        std::pair{-32602, std::string("params.iqn: 'nope' is not a valid iSCSI name")});
  CHECK(f.error("target.create", {{"iqn", "iqn.2026-11.org.touchstone:x"}, {"luns", {{{"store", "mem"}}}}}) ==
        std::pair{-32602, std::string("params.luns[0].size: missing (expected a size like 64MiB)")});
  CHECK(f.error("target.create", {{"iqn", "iqn.2026-11.org.touchstone:x"},
                                  {"luns", {{{"store", "file"}, {"path", "/nonexistent/dir/x.img"}, {"size", "1MiB"}}}}})
            .first == -32006);

  CHECK(f.result("target.remove", {{"iqn", "iqn.2026-11.org.touchstone:two"}}) ==
        json{{"removed", "iqn.2026-11.org.touchstone:two"}});
  CHECK(f.error("target.remove", {{"iqn", "iqn.2026-11.org.touchstone:two"}}).first == -32001);
  CHECK(f.error("target.remove", json::object()) == std::pair{-32602, std::string("params.iqn: missing (expected a string)")});
  CHECK(f.error("target.list", {{"x", 1}}) == std::pair{-32602, std::string("params.x: unknown key")});
}

TEST_CASE("lun.add serves a new LUN and raises REPORTED LUNS DATA HAS CHANGED", "[target][management]") {
  fixture f;
  auto devices = f.targets.find(disk)->node->devices;
  devices->find_lu(0)->touch(some_nexus());
  (void)devices->find_lu(0)->pop_ua(some_nexus());  // the power-on condition

  const auto added = f.result("lun.add", {{"target", disk}, {"store", "mem"}, {"size", "2MiB"}});
  CHECK(added == json{{"lun", 1}, {"store", "mem"}, {"size", 2u << 20}, {"block_size", 512}, {"read_only", false}});
  REQUIRE(devices->find_lu(1));
  CHECK(devices->find_lu(1)->block_count() == 4096);
  //= spc4#6.33
  //# REPORTED LUNS DATA HAS CHANGED
  CHECK(devices->find_lu(0)->peek_ua(some_nexus()) == scsi::unit_attention::reported_luns_changed);

  CHECK(f.result("lun.add", {{"target", disk}, {"lun", 7}, {"store", "null"}, {"size", "1GiB"}, {"block_size", 4096}})["lun"] == 7);
  const auto luns = f.result("lun.list", {{"target", disk}});
  REQUIRE(luns.size() == 3);
  CHECK(luns[2]["store"] == "null");
  CHECK(f.error("lun.add", {{"target", disk}, {"lun", 7}, {"store", "mem"}, {"size", "1MiB"}}) ==
        std::pair{-32004, std::string("LUN 7 exists already")});
  CHECK(f.error("lun.add", {{"target", disk}, {"store", "mem"}, {"size", "lots"}}) ==
        std::pair{-32602, std::string("params.size: expected a size like 64MiB")});
  CHECK(f.error("lun.add", {{"target", "iqn.2026-11.org.touchstone:none"}, {"store", "mem"}, {"size", "1MiB"}}).first == -32001);
  CHECK(f.error("lun.add", {{"store", "mem"}, {"size", "1MiB"}}) ==
        std::pair{-32602, std::string("params.target: missing (expected a string)")});
}

TEST_CASE("lun.remove and target.remove refuse a target in use unless forced", "[target][management]") {
  fixture f;
  CHECK(f.error("lun.remove", {{"target", disk}, {"lun", 4}}) == std::pair{-32003, std::string("no LUN 4")});
  CHECK(f.error("lun.remove", {{"target", disk}}) == std::pair{-32602, std::string("params.lun: missing (expected a LUN number)")});
  auto s = f.log_in();
  CHECK(f.targets.sessions_of(disk) == 1);
  CHECK(f.error("lun.remove", {{"target", disk}, {"lun", 0}}).first == -32005);
  CHECK(f.result("lun.remove", {{"target", disk}, {"lun", 0}, {"force", true}}) == json{{"removed", 0}, {"target", disk}});
  CHECK(f.result("lun.list", {{"target", disk}}).empty());
  CHECK(f.error("target.remove", {{"iqn", disk}}).first == -32005);
  CHECK_FALSE(s->disconnected);
  CHECK(f.result("target.remove", {{"iqn", disk}, {"force", true}}) == json{{"removed", disk}});
  CHECK(s->disconnected);
}

TEST_CASE("session.list shows negotiated parameters and violations, stats count traffic", "[target][management]") {
  fixture f;
  auto s = f.log_in();
  s->entry->traffic.commands = 3;
  s->entry->traffic.bytes_in = 100;
  const auto sessions = f.result("session.list");
  REQUIRE(sessions.size() == 1);
  const auto& one = sessions[0];
  CHECK(one["target"] == disk);
  CHECK(one["type"] == "normal");
  CHECK(one["initiator"] == test::initiator_iqn);
  CHECK(one["isid"] == "80123456789a");
  CHECK(one["tsih"].get<int>() != 0);
  CHECK(one["parameters"]["HeaderDigest"] == "None");
  CHECK(one["parameters"].contains("MaxBurstLength"));
  CHECK(one["violations"] == 0);
  REQUIRE(one["connections"].size() == 1);
  CHECK(one["connections"][0]["phase"] == "full-feature(normal)");
  CHECK(one["connections"][0]["cid"] == 1);

  auto stats = f.result("stats");
  CHECK(stats["total"]["commands"] == 3);
  CHECK(stats["targets"][disk]["bytes_in"] == 100);
  CHECK(stats["connections"] == 1);
  f.targets.disconnected(s->entry->id);
  stats = f.result("stats", {{"target", disk}});
  CHECK(stats["total"]["commands"] == 3);  // kept after the connection went
  CHECK(stats["connections"] == 0);
  CHECK(f.error("stats", {{"target", "iqn.2026-11.org.touchstone:none"}}).first == -32001);
  CHECK(f.result("session.list").empty());
}

TEST_CASE("session.list counts violations by requirement id, allowed ones apart", "[target][management]") {
  fixture f;
  f.targets.find(disk)->node->config.leniencies.insert("nop-out-ttt");
  auto s = f.log_in();
  // A NOP-Out answering no ping (allowed by nop-out-ttt), then a SNACK at
  // ErrorRecoveryLevel 0 (rejected, counted).
  s->driver->feed(pdu::nop_out_builder().initiator_task_tag(pdu::reserved_tag).target_transfer_tag(0x99)
                      .cmd_sn(10).immediate().build());
  s->driver->feed(pdu::snack_builder().initiator_task_tag(1).build());
  const auto one = f.result("session.list").at(0);
  CHECK(one["violations"] == 2);
  CHECK(one["violations_by_requirement"] ==
        json{{"rfc7143#section-11.18.2/unknown-ttt", 1}, {"rfc7143#section-7.8/snack-at-erl0", 1}});
  CHECK(one["violations_allowed"] == json{{"rfc7143#section-11.18.2/unknown-ttt", 1}});
  CHECK(f.result("stats")["total"]["violations"] == 2);
}

TEST_CASE("config.reload and server.info", "[target][management]") {
  fixture f;
  CHECK(f.result("config.reload") == json{{"applied", {"nothing"}}});
  CHECK(f.reloads == 1);
  CHECK(f.result("server.info") == json{{"pid", 1}});
  rpc_dispatcher bare;
  instance none({"127.0.0.1:3260"}, {});
  register_management(bare, management_context{&none, nullptr, json::object()});
  const auto out = bare.handle(R"({"jsonrpc": "2.0", "id": 1, "method": "config.reload"})");
  REQUIRE(out);
  CHECK(json::parse(*out)["error"]["code"] == -32007);
}

TEST_CASE("routing: target name, discovery CHAP, allow-lists", "[target][management]") {
  discovery_settings discovery;
  discovery.chap = chap_account{"disc", "discovery-secret"};
  instance in({"127.0.0.1:3260"}, discovery);
  REQUIRE(in.create_target(definition(R"({"iqn": "iqn.2026-11.org.touchstone:a"})")));
  REQUIRE(in.create_target(definition(
      R"({"iqn": "iqn.2026-11.org.touchstone:b", "initiators": ["iqn.2026-11.org.touchstone:initiator"]})")));
  auto first = [](pdu::text_pairs pairs) {
    return test::login(pdu::login_stage::security_negotiation, pairs).build();
  };
  auto& e = in.connected("l", "r", {});
  auto node = in.route(e, first({{"InitiatorName", "iqn.2026-11.org.touchstone:other"},
                                 {"TargetName", "iqn.2026-11.org.touchstone:a"}}));
  CHECK(node == in.find("iqn.2026-11.org.touchstone:a")->node);
  CHECK(e.target == "iqn.2026-11.org.touchstone:a");
  auto& d = in.connected("l", "r", {});
  node = in.route(d, first({{"InitiatorName", "iqn.2026-11.org.touchstone:other"}, {"SessionType", "Discovery"}}));
  CHECK(d.discovery);
  REQUIRE(node->config.chap);
  CHECK(node->config.chap->user == "disc");
  auto& denied = in.connected("l", "r", {});
  node = in.route(denied, first({{"InitiatorName", "iqn.2026-11.org.touchstone:other"},
                                 {"TargetName", "iqn.2026-11.org.touchstone:b"}}));
  // The target's own node: the core answers "authorization failure" (0202).
  CHECK(node == in.find("iqn.2026-11.org.touchstone:b")->node);
  auto& allowed = in.connected("l", "r", {});
  node = in.route(allowed, first({{"InitiatorName", std::string(test::initiator_iqn)},
                                  {"TargetName", "iqn.2026-11.org.touchstone:b"}}));
  CHECK(node == in.find("iqn.2026-11.org.touchstone:b")->node);
}

TEST_CASE("routing: a target removed at runtime is answered 0204 until it comes back",
          "[target][management][login]") {
  instance in({"127.0.0.1:3260"}, {});
  const std::string gone = "iqn.2026-11.org.touchstone:gone";
  REQUIRE(in.create_target(definition(R"({"iqn": "iqn.2026-11.org.touchstone:gone"})")));
  REQUIRE(in.remove_target(gone, false));
  auto status_for = [&](const std::string& name) {
    const pdu::text_pairs names{{"InitiatorName", std::string(test::initiator_iqn)}, {"TargetName", name}};
    auto first = test::login(pdu::login_stage::operational_negotiation, names)
                     .transit_to(pdu::login_stage::full_feature_phase).build();
    auto& e = in.connected("l", "r", {});
    test::driver d(in.route(e, first));
    return test::status_of(d.feed(first));
  };
  //= rfc7143#section-11.13.5
  //= type=test
  //# Target removed| 0204 | The requested ITN has been removed, and
  //# no forwarding address is provided.
  CHECK(status_for(gone) == pdu::login_status::target_removed);
  //= rfc7143#section-11.13.5
  //= type=test
  //# Not found     | 0203 | The requested ITN does not
  //# exist at this address.
  CHECK(status_for("iqn.2026-11.org.touchstone:never") == pdu::login_status::not_found);
  REQUIRE(in.create_target(definition(R"({"iqn": "iqn.2026-11.org.touchstone:gone"})")));
  CHECK(status_for(gone) == pdu::login_status::success);
}

TEST_CASE("apply: a new config adds, removes and replaces targets and LUNs", "[target][management]") {
  fixture f;
  auto s = f.log_in();
  auto next = parse_config(R"({"targets": [
      {"iqn": "iqn.2026-11.org.touchstone:disk", "chap": {"user": "u", "secret": "a-long-secret"},
       "luns": [{"store": "mem", "size": "2MiB"}, {"store": "mem", "size": "1MiB"}]},
      {"iqn": "iqn.2026-11.org.touchstone:new"}]})");
  REQUIRE(next);
  auto applied = f.targets.apply(*next);
  REQUIRE(applied);
  CHECK(*applied == std::vector<std::string>{"removed LUN 0 of iqn.2026-11.org.touchstone:disk",
                                             "added LUN 0 to iqn.2026-11.org.touchstone:disk",
                                             "added LUN 1 to iqn.2026-11.org.touchstone:disk",
                                             "added target iqn.2026-11.org.touchstone:new"});
  const auto* t = f.targets.find(disk);
  CHECK(t->node->devices->find_lu(0)->block_count() == 4096);
  CHECK(t->node->config.chap->user == "u");
  CHECK(t->node->config.portals == std::vector<std::string>{"127.0.0.1:3260"});
  CHECK_FALSE(s->disconnected);

  auto fewer = parse_config(R"({"targets": [{"iqn": "iqn.2026-11.org.touchstone:new"}]})");
  REQUIRE(fewer);
  applied = f.targets.apply(*fewer);
  REQUIRE(applied);
  CHECK(*applied == std::vector<std::string>{"removed target iqn.2026-11.org.touchstone:disk"});
  CHECK(s->disconnected);

  auto broken = parse_config(R"({"targets": [{"iqn": "iqn.2026-11.org.touchstone:new",
      "luns": [{"store": "file", "path": "/nonexistent/dir/x.img", "size": "1MiB"}]}]})");
  REQUIRE(broken);
  auto refused = f.targets.apply(*broken);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == app_error_code::store_failed);
  CHECK(f.targets.find("iqn.2026-11.org.touchstone:new")->node->devices->luns().empty());
}
