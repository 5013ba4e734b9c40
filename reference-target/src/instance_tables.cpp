// The sizes of the instance's tables that initiators fill (see table_sizes):
// each node's sessions and TSIHs, each LU's unit attention and task state,
// the challenges and removed target names the instance shares.
#include "touchstone/target/instance.hpp"

namespace touchstone::target {

namespace {

void add_node(table_sizes& t, const target_node* node) {
  if (node == nullptr) return;
  t.sessions += node->directory.size();
  t.tsihs += node->sessions.count();
  if (node->devices) {
    t.tracked_nexuses += node->devices->tracked_nexuses();
    t.forgotten_nexuses += node->devices->forgotten_nexuses();
    t.tasks += node->devices->tasks();
  }
}

}  // namespace

table_sizes instance::tables() const {
  table_sizes t;
  t.connections = connections_.size();
  for (const auto& [iqn, entry] : targets_) {
    add_node(t, entry.node.get());
    add_node(t, entry.discovery_node.get());
  }
  add_node(t, nowhere_.get());
  add_node(t, removed_node_.get());
  t.chap_challenges = challenges_->size();
  t.removed_target_names = removed_.size();
  return t;
}

}  // namespace touchstone::target
