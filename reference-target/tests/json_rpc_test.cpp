// The JSON-RPC 2.0 dispatcher, without sockets: requests, notifications,
// batches, and every standard error object.
#include <catch2/catch.hpp>

#include "touchstone/target/json_rpc.hpp"

using namespace touchstone;
using namespace touchstone::target;
using json = nlohmann::json;

namespace {

rpc_dispatcher make_dispatcher() {
  rpc_dispatcher d;
  d.add("echo", [](const json& params) -> rpc_outcome { return params; });
  d.add("fail", [](const json&) -> rpc_outcome { return fail(rpc_error{-32005, "in use"}); });
  d.add("needs_x", [](const json& params) -> rpc_outcome {
    if (!params.contains("x")) return fail(rpc_error{rpc_code::invalid_params, "params.x: missing"});
    return json{{"x", params["x"]}};
  });
  return d;
}

json answer(const rpc_dispatcher& d, const std::string& text) {
  const auto out = d.handle(text);
  REQUIRE(out);
  const json parsed = json::parse(*out, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

int error_code(const json& response) {
  REQUIRE(response.contains("error"));
  return response["error"]["code"].get<int>();
}

}  // namespace

TEST_CASE("a request is answered with its result and id", "[target][management]") {
  const auto d = make_dispatcher();
  const auto r = answer(d, R"({"jsonrpc": "2.0", "method": "echo", "params": {"a": 1}, "id": 7})");
  CHECK(r == json{{"jsonrpc", "2.0"}, {"result", {{"a", 1}}}, {"id", 7}});
  const auto s = answer(d, R"({"jsonrpc": "2.0", "method": "echo", "id": "abc"})");
  CHECK(s["result"] == json::object());  // no params: {}
  CHECK(s["id"] == "abc");
  CHECK(answer(d, R"({"jsonrpc": "2.0", "method": "echo", "id": null})")["id"].is_null());
}

TEST_CASE("notifications get no response, errors included", "[target][management]") {
  const auto d = make_dispatcher();
  CHECK_FALSE(d.handle(R"({"jsonrpc": "2.0", "method": "echo", "params": {}})"));
  CHECK_FALSE(d.handle(R"({"jsonrpc": "2.0", "method": "nope"})"));
  CHECK_FALSE(d.handle(R"({"jsonrpc": "2.0", "method": "fail"})"));
  CHECK_FALSE(d.handle(R"([{"jsonrpc": "2.0", "method": "echo"}])"));
}

TEST_CASE("JSON-RPC parse error (-32700)", "[target][management]") {
  const auto d = make_dispatcher();
  const auto r = answer(d, R"({"jsonrpc": "2.0", "method": "echo", "id": 1)");
  CHECK(error_code(r) == rpc_code::parse_error);
  CHECK(r["id"].is_null());
  CHECK(error_code(answer(d, "")) == rpc_code::parse_error);
}

TEST_CASE("JSON-RPC invalid request (-32600)", "[target][management]") {
  const auto d = make_dispatcher();
  for (const char* bad : {R"(1)", R"("echo")", R"({"method": "echo", "id": 1})",
                          R"({"jsonrpc": "1.0", "method": "echo", "id": 1})",
                          R"({"jsonrpc": 2.0, "method": "echo", "id": 1})",
                          R"({"jsonrpc": "2.0", "id": 1})", R"({"jsonrpc": "2.0", "method": 5, "id": 1})",
                          R"({"jsonrpc": "2.0", "method": "echo", "id": {}})",
                          R"({"jsonrpc": "2.0", "method": "echo", "id": [1]})",
                          R"({"jsonrpc": "2.0", "method": "echo", "params": 3, "id": 1})",
                          R"({"jsonrpc": "2.0", "method": "echo", "id": 1, "extra": true})", R"([])"}) {
    INFO(bad);
    CHECK(error_code(answer(d, bad)) == rpc_code::invalid_request);
  }
  // The id is echoed when it can be read, null otherwise.
  CHECK(answer(d, R"({"jsonrpc": "1.0", "method": "echo", "id": 9})")["id"] == 9);
  CHECK(answer(d, R"({"jsonrpc": "2.0", "method": "echo", "id": {}})")["id"].is_null());
}

TEST_CASE("JSON-RPC method not found (-32601)", "[target][management]") {
  const auto d = make_dispatcher();
  const auto r = answer(d, R"({"jsonrpc": "2.0", "method": "nope", "id": 2})");
  CHECK(error_code(r) == rpc_code::method_not_found);
  CHECK(r["error"]["message"] == "no method \"nope\"");
  CHECK(r["id"] == 2);
}

TEST_CASE("JSON-RPC invalid params (-32602) and application codes", "[target][management]") {
  const auto d = make_dispatcher();
  CHECK(error_code(answer(d, R"({"jsonrpc": "2.0", "method": "echo", "params": [1], "id": 3})")) ==
        rpc_code::invalid_params);
  const auto r = answer(d, R"({"jsonrpc": "2.0", "method": "needs_x", "params": {}, "id": 4})");
  CHECK(error_code(r) == rpc_code::invalid_params);
  CHECK(r["error"]["message"] == "params.x: missing");
  const auto f = answer(d, R"({"jsonrpc": "2.0", "method": "fail", "id": 5})");
  CHECK(error_code(f) == -32005);
  CHECK(f["error"]["message"] == "in use");
}

TEST_CASE("a batch is answered in order, notifications left out", "[target][management]") {
  const auto d = make_dispatcher();
  const auto r = answer(d, R"([{"jsonrpc": "2.0", "method": "echo", "params": {"n": 1}, "id": 1},
                              {"jsonrpc": "2.0", "method": "echo", "params": {"n": 2}},
                              1,
                              {"jsonrpc": "2.0", "method": "nope", "id": 3}])");
  REQUIRE(r.is_array());
  REQUIRE(r.size() == 3);
  CHECK(r[0]["result"]["n"] == 1);
  CHECK(error_code(r[1]) == rpc_code::invalid_request);
  CHECK(error_code(r[2]) == rpc_code::method_not_found);
}
