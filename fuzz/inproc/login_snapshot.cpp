// Post-login snapshots, one per scenario (login_snapshot.hpp).
#include "login_snapshot.hpp"

namespace touchstone::fuzz::inproc {

const session_driver* login_snapshots::logged_in(const ts::scenario& s) {
  ts::scenario key = s;
  key.chunked = false;
  key.auto_number = false;
  if (const auto it = kept_.find(key); it != kept_.end()) return it->second.get();
  if (kept_.size() >= capacity_) kept_.clear();
  auto d = std::make_unique<session_driver>(key, make_node(key));
  if (!log_in(*d, key)) d.reset();
  return kept_.emplace(key, std::move(d)).first->second.get();
}

}  // namespace touchstone::fuzz::inproc
