// Which target node serves a new connection: read from the keys of its first
// Login Request (TargetName, SessionType, InitiatorName), before the
// connection core sees it. The core then checks the names itself.
#include <algorithm>

#include "touchstone/pdu/text.hpp"
#include "touchstone/target/instance.hpp"

namespace touchstone::target {

namespace {

struct login_names {
  std::string initiator;
  std::string target;
  bool discovery = false;
};

// The complete key=value pairs of the first request (a C=1 request may end
// in the middle of a pair: that part is left to the core).
login_names names_of(const pdu::pdu& first) {
  login_names names;
  if (first.op() != pdu::opcode::login_request) return names;
  const auto& data = first.data;
  const auto last_nul = std::find(data.rbegin(), data.rend(), std::uint8_t{0});
  const auto complete = static_cast<std::size_t>(data.rend() - last_nul);
  const auto pairs = pdu::parse_text(pdu::bytes_view(data.data(), complete));
  if (!pairs) return names;
  for (const auto& kv : *pairs) {
    if (kv.key == "InitiatorName") names.initiator = kv.value;
    if (kv.key == "TargetName") names.target = kv.value;
    if (kv.key == "SessionType") names.discovery = kv.value == "Discovery";
  }
  return names;
}

bool allows(const target_entry& t, std::string_view initiator) {
  const auto& allowed = t.definition.settings.allowed_initiators;
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), initiator) != allowed.end();
}

}  // namespace

std::shared_ptr<target_node> instance::route(connection_entry& entry, const pdu::pdu& first) {
  const auto names = names_of(first);
  entry.discovery = names.discovery;
  if (names.discovery) {
    // A discovery session lists every target this initiator may access (the
    // instance's catalog) with the instance's discovery settings; the first
    // such target only gives the session a node to be counted under.
    for (const auto& [iqn, t] : targets_) {
      if (!allows(t, names.initiator)) continue;
      entry.target = iqn;
      return t.discovery_node;
    }
    return nowhere_;
  }
  const auto it = targets_.find(names.target);
  // An initiator outside the allow-list reaches the target's node all the
  // same: the core answers it "authorization failure" (0202).
  if (it == targets_.end())
    return std::find(removed_.begin(), removed_.end(), names.target) != removed_.end() ? removed_node_
                                                                                        : nowhere_;
  entry.target = it->first;
  return it->second.node;
}

}  // namespace touchstone::target
