// The management methods of touchstone-target, registered on a JSON-RPC
// dispatcher. They act on the instance directly (no I/O), so Catch2 drives
// them without sockets; the control socket only moves lines of JSON.
//
//   target.list   target.create   target.remove
//   lun.list      lun.add         lun.remove
//   session.list  stats           config.reload   server.info
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "touchstone/pdu/session_parameters.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/json_rpc.hpp"

namespace touchstone::target {

struct management_context {
  instance* targets = nullptr;
  // Re-reads the config file and applies it (config.reload); null when the
  // instance was started without --config.
  std::function<app_result<std::vector<std::string>>()> reload;
  nlohmann::json info = nlohmann::json::object();  // server.info: portals, control, config, pid
};

void register_management(rpc_dispatcher& d, management_context context);

// The JSON views management prints (also used by tests).
nlohmann::json to_json(const lun_definition& l);
nlohmann::json to_json(const traffic_counters& c);
nlohmann::json to_json(const pdu::session_parameters& p);
nlohmann::json to_json(const table_sizes& t);
// Adds the instance's table sizes to a stats result (management_tables.cpp).
rpc_outcome with_tables(const instance& in, rpc_outcome stats);

}  // namespace touchstone::target
