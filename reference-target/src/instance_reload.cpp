// A new config applied to a running instance (SIGHUP, config.reload):
// targets and LUNs that appeared are added, those that went are removed
// (their sessions closed), changed LUNs are replaced, target settings are
// taken over. Stores are opened first, so a config naming a file that cannot
// be opened changes nothing.
#include <fmt/format.h>

#include "touchstone/target/instance.hpp"

namespace touchstone::target {

namespace {

const lun_definition* find_lun(const target_definition& t, std::uint64_t lun) {
  for (const auto& l : t.luns)
    if (l.lun == lun) return &l;
  return nullptr;
}

const target_definition* find_target(const instance_config& c, std::string_view iqn) {
  for (const auto& t : c.targets)
    if (t.settings.iqn == iqn) return &t;
  return nullptr;
}

// Every LUN the new config adds or changes can be opened.
app_result<bool> check_new_stores(const instance& now, const instance_config& next) {
  for (const auto& t : next.targets) {
    const auto* old = now.find(t.settings.iqn);
    for (const auto& l : t.luns) {
      const auto* before = old ? find_lun(old->definition, l.lun) : nullptr;
      if (before && *before == l) continue;
      if (before && l.store == store_kind::file && before->path == l.path) continue;  // reopened after removal
      auto lu = make_logical_unit(l);
      if (!lu) return fail(lu.error());
    }
  }
  return true;
}

}  // namespace

app_result<std::vector<std::string>> instance::apply(const instance_config& next) {
  if (auto ok = check_new_stores(*this, next); !ok) return fail(ok.error());
  std::vector<std::string> done;
  discovery_ = next.discovery;
  if (next.connections != admission_.limits()) {
    const auto& l = next.connections;
    admission_.set_limits(l);
    done.push_back(fmt::format("connection limits: max_connections {}, max_connections_per_address {}, "
                               "max_login_connections {}",
                               l.max_connections, l.max_connections_per_address, l.max_login_connections));
  }
  std::vector<std::string> gone;
  for (const auto& [iqn, t] : targets_)
    if (!find_target(next, iqn)) gone.push_back(iqn);
  for (const auto& iqn : gone) {
    (void)remove_target(iqn, true);
    done.push_back("removed target " + iqn);
  }
  for (const auto& t : next.targets) {
    auto it = targets_.find(t.settings.iqn);
    if (it == targets_.end()) {
      if (auto created = create_target(t); !created) return fail(created.error());
      done.push_back("added target " + t.settings.iqn);
      continue;
    }
    auto& entry = it->second;
    std::vector<std::uint64_t> stale;
    for (const auto& l : entry.definition.luns) {
      const auto* wanted = find_lun(t, l.lun);
      if (!wanted || !(*wanted == l)) stale.push_back(l.lun);
    }
    for (auto lun : stale) {
      (void)remove_lun(t.settings.iqn, lun, true);
      done.push_back(fmt::format("removed LUN {} of {}", lun, t.settings.iqn));
    }
    for (const auto& l : t.luns) {
      if (find_lun(entry.definition, l.lun)) continue;
      if (auto added = add_lun(t.settings.iqn, l); !added) return fail(added.error());
      done.push_back(fmt::format("added LUN {} to {}", l.lun, t.settings.iqn));
    }
    // Settings (CHAP, allow-list, limits) apply to logins from now on.
    entry.definition.settings = t.settings;
    entry.node->config = t.settings;
    entry.node->config.portals = portals_;
    for (auto lun : entry.node->devices->luns())
      if (auto lu = entry.node->devices->find_lu(lun))
        lu->set_max_tracked_nexuses(t.settings.limits.max_tracked_nexuses);
    entry.discovery_node = make_node(t.settings, nullptr, true);
  }
  publish_catalog();
  return done;
}

}  // namespace touchstone::target
