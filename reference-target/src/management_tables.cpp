// The `tables` object of the stats method: how full the bounded tables of
// the instance are (instance::tables(); the bounds: docs/target.md).
#include "touchstone/target/management.hpp"

namespace touchstone::target {

json to_json(const table_sizes& t) {
  return json{{"connections", t.connections},
              {"sessions", t.sessions},
              {"tsihs", t.tsihs},
              {"tracked_nexuses", t.tracked_nexuses},
              {"forgotten_nexuses", t.forgotten_nexuses},
              {"tasks", t.tasks},
              {"chap_challenges", t.chap_challenges},
              {"removed_target_names", t.removed_target_names}};
}

rpc_outcome with_tables(const instance& in, rpc_outcome stats) {
  if (stats) (*stats)["tables"] = to_json(in.tables());
  return stats;
}

}  // namespace touchstone::target
