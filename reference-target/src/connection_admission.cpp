// The connection counts behind the limits, and their view in `stats`.
#include "touchstone/target/connection_admission.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace touchstone::target {

namespace {

bool over(std::uint64_t count, std::uint32_t limit) { return limit != 0 && count >= limit; }

}  // namespace

std::string_view key_of(connection_limit l) {
  switch (l) {
    case connection_limit::total: return "max_connections";
    case connection_limit::per_address: return "max_connections_per_address";
    case connection_limit::login: return "max_login_connections";
  }
  return "?";
}

void connection_admission::set_limits(const connection_limits& l) {
  limits_ = l;
  // One entry per address at most per live connection: with the total
  // limited, admitting never needs to grow the table.
  if (l.max_connections != 0) per_address_.reserve(l.max_connections);
}

std::uint32_t connection_admission::value_of(connection_limit l) const {
  switch (l) {
    case connection_limit::total: return limits_.max_connections;
    case connection_limit::per_address: return limits_.max_connections_per_address;
    case connection_limit::login: return limits_.max_login_connections;
  }
  return 0;
}

std::optional<connection_limit> connection_admission::admit(const peer_address& from) {
  const auto at = std::lower_bound(per_address_.begin(), per_address_.end(), from,
                                   [](const auto& e, const peer_address& a) { return e.first < a; });
  const bool known = at != per_address_.end() && at->first == from;
  std::optional<connection_limit> refused;
  if (over(counts_.connections, limits_.max_connections)) refused = connection_limit::total;
  else if (over(known ? at->second : 0, limits_.max_connections_per_address))
    refused = connection_limit::per_address;
  else if (over(counts_.in_login, limits_.max_login_connections)) refused = connection_limit::login;
  if (refused) {
    ++counts_.refused[static_cast<std::size_t>(*refused)];
    return refused;
  }
  if (known) ++at->second;
  else per_address_.insert(at, {from, 1});
  ++counts_.connections;
  ++counts_.in_login;
  return std::nullopt;
}

void connection_admission::left_login() {
  if (counts_.in_login > 0) --counts_.in_login;
}

void connection_admission::release(const peer_address& from, bool in_login) {
  if (in_login) left_login();
  if (counts_.connections > 0) --counts_.connections;
  const auto at = std::lower_bound(per_address_.begin(), per_address_.end(), from,
                                   [](const auto& e, const peer_address& a) { return e.first < a; });
  if (at == per_address_.end() || at->first != from) return;
  if (--at->second == 0) per_address_.erase(at);
}

void connection_admission::pause_ended() {
  if (counts_.paused_listeners > 0) --counts_.paused_listeners;
}

nlohmann::json to_json(const connection_admission& a) {
  const auto& l = a.limits();
  const auto& c = a.current();
  nlohmann::json refused = nlohmann::json::object();
  for (auto which : {connection_limit::total, connection_limit::per_address, connection_limit::login})
    refused[std::string(key_of(which))] = c.refused[static_cast<std::size_t>(which)];
  return nlohmann::json{
      {"limits", {{"max_connections", l.max_connections},
                  {"max_connections_per_address", l.max_connections_per_address},
                  {"max_login_connections", l.max_login_connections}}},
      {"connections", c.connections},
      {"in_login", c.in_login},
      {"addresses", a.addresses()},
      {"refused", std::move(refused)},
      {"accept_errors", c.accept_errors},
      {"closed_on_reserve", c.closed_on_reserve},
      {"paused", c.paused_listeners > 0}};
}

}  // namespace touchstone::target
