// A JSON-RPC 2.0 dispatcher, free of I/O: request text in, response text out.
// Single requests, batches and notifications (no "id": no response), the
// standard error objects (-32700 parse error, -32600 invalid request, -32601
// method not found, -32602 invalid params, -32603 internal error) and the
// methods' own application codes.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "touchstone/pdu/result.hpp"

namespace touchstone::target {

namespace rpc_code {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
}  // namespace rpc_code

struct rpc_error {
  int code = rpc_code::internal_error;
  std::string message;
};

using rpc_outcome = result<nlohmann::json, rpc_error>;
// `params` is the request's params object ({} when absent).
using rpc_method = std::function<rpc_outcome(const nlohmann::json& params)>;

class rpc_dispatcher {
 public:
  void add(std::string name, rpc_method method);
  bool has(std::string_view name) const { return methods_.contains(name); }

  // One message (a request object or a batch array); the response text, or
  // nothing when every request was a notification.
  std::optional<std::string> handle(std::string_view text) const;

 private:
  std::optional<nlohmann::json> handle_one(const nlohmann::json& request) const;

  std::map<std::string, rpc_method, std::less<>> methods_;
};

// Builds the error object of a response (for tests and the client).
nlohmann::json rpc_error_response(const nlohmann::json& id, const rpc_error& e);

}  // namespace touchstone::target
