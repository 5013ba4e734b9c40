// JSON-RPC 2.0 (https://www.jsonrpc.org/specification), without exceptions:
// the text is parsed with json::parse(..., nullptr, false) and every member is
// checked before use.
#include "touchstone/target/json_rpc.hpp"

namespace touchstone::target {

using json = nlohmann::json;

void rpc_dispatcher::add(std::string name, rpc_method method) {
  methods_[std::move(name)] = std::move(method);
}

json rpc_error_response(const json& id, const rpc_error& e) {
  return json{{"jsonrpc", "2.0"}, {"error", {{"code", e.code}, {"message", e.message}}}, {"id", id}};
}

namespace {

// Invalid UTF-8 in a string is replaced, never thrown about.
std::string to_text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// "An identifier ... MUST contain a String, Number, or NULL value if included."
bool valid_id(const json& id) { return id.is_string() || id.is_number() || id.is_null(); }

const json* member(const json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<rpc_error> check_request(const json& request) {
  if (!request.is_object()) return rpc_error{rpc_code::invalid_request, "a request must be an object"};
  const json* version = member(request, "jsonrpc");
  if (version == nullptr || !version->is_string() || *version->get_ptr<const std::string*>() != "2.0")
    return rpc_error{rpc_code::invalid_request, "\"jsonrpc\" must be \"2.0\""};
  const json* method = member(request, "method");
  if (method == nullptr || !method->is_string())
    return rpc_error{rpc_code::invalid_request, "\"method\" must be a string"};
  const json* id = member(request, "id");
  if (id != nullptr && !valid_id(*id))
    return rpc_error{rpc_code::invalid_request, "\"id\" must be a string, a number or null"};
  const json* params = member(request, "params");
  if (params != nullptr && !params->is_object() && !params->is_array())
    return rpc_error{rpc_code::invalid_request, "\"params\" must be an object or an array"};
  for (const auto& [key, value] : request.items()) {
    (void)value;
    if (key != "jsonrpc" && key != "method" && key != "id" && key != "params")
      return rpc_error{rpc_code::invalid_request, "unknown member \"" + key + "\""};
  }
  return std::nullopt;
}

}  // namespace

std::optional<json> rpc_dispatcher::handle_one(const json& request) const {
  const json* id_member = request.is_object() ? member(request, "id") : nullptr;
  const json id = id_member != nullptr && valid_id(*id_member) ? *id_member : json(nullptr);
  if (auto bad = check_request(request)) return rpc_error_response(id, *bad);
  const bool notification = id_member == nullptr;
  const auto& name = *member(request, "method")->get_ptr<const std::string*>();
  const auto found = methods_.find(name);
  if (found == methods_.end()) {
    if (notification) return std::nullopt;
    return rpc_error_response(id, {rpc_code::method_not_found, "no method \"" + name + "\""});
  }
  const json* params = member(request, "params");
  rpc_outcome outcome = fail(rpc_error{rpc_code::invalid_params, "expected named parameters (an object)"});
  if (params == nullptr || params->is_object()) outcome = found->second(params ? *params : json::object());
  if (notification) return std::nullopt;
  if (!outcome) return rpc_error_response(id, outcome.error());
  return json{{"jsonrpc", "2.0"}, {"result", std::move(*outcome)}, {"id", id}};
}

std::optional<std::string> rpc_dispatcher::handle(std::string_view text) const {
  const json message = json::parse(text, nullptr, false);
  if (message.is_discarded())
    return to_text(rpc_error_response(nullptr, {rpc_code::parse_error, "parse error: not valid JSON"}));
  if (!message.is_array()) {
    auto response = handle_one(message);
    if (!response) return std::nullopt;
    return to_text(*response);
  }
  if (message.empty())
    return to_text(rpc_error_response(nullptr, {rpc_code::invalid_request, "an empty batch"}));
  json responses = json::array();
  for (const auto& request : message)
    if (auto response = handle_one(request)) responses.push_back(std::move(*response));
  if (responses.empty()) return std::nullopt;
  return to_text(responses);
}

}  // namespace touchstone::target
