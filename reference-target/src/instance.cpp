// The targets of a running instance and the changes management makes to them.
#include "touchstone/target/instance.hpp"

#include <cstring>
#include <filesystem>
#include <fmt/format.h>

#include "touchstone/scsi/persistent_reservations.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

void traffic_counters::add(const traffic_counters& o) {
  pdus_in += o.pdus_in;
  pdus_out += o.pdus_out;
  bytes_in += o.bytes_in;
  bytes_out += o.bytes_out;
  commands += o.commands;
  errors += o.errors;
  violations += o.violations;
}

namespace {

// A file store without a size takes the file's: a file that is missing or
// empty would be served as an LU of no blocks (and a missing one created).
std::optional<app_error> sizeless_file_error(const lun_definition& l) {
  if (l.store != store_kind::file || l.size != 0) return std::nullopt;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(l.path, ec);
  if (ec == std::errc::no_such_file_or_directory && l.read_only)
    return app_error{app_error_code::store_failed, fmt::format("{} does not exist (a read-only LUN)", l.path)};
  if (ec == std::errc::no_such_file_or_directory)
    return app_error{app_error_code::store_failed,
                     fmt::format("{} does not exist: give a size to create it (file:PATH,size=64MiB; "
                                 "\"size\" in a config)", l.path)};
  if (!ec && bytes == 0)
    return app_error{app_error_code::store_failed,
                     fmt::format("{} is empty: give a size to extend it (file:PATH,size=64MiB; "
                                 "\"size\" in a config)", l.path)};
  return std::nullopt;  // other errors: open_file_store names them
}

}  // namespace

app_result<std::shared_ptr<scsi::logical_unit>> make_logical_unit(const lun_definition& l) {
  if (auto bad = sizeless_file_error(l)) return fail(*bad);
  scsi::lu_config config;
  config.lun = l.lun;
  config.read_only = l.read_only;
  std::shared_ptr<scsi::block_store> store;
  const std::uint64_t blocks = l.size / l.block_size;
  if (l.store == store_kind::memory) store = scsi::make_memory_store(l.block_size, blocks);
  if (l.store == store_kind::null) store = scsi::make_null_store(l.block_size, blocks);
  if (l.store == store_kind::file) {
    scsi::file_store_options o;
    o.path = l.path;
    o.block_size = l.block_size;
    o.block_count = blocks;
    o.read_only = l.read_only;
    o.create = !l.read_only;
    auto opened = scsi::open_file_store(o);
    if (!opened) {
      const int os_error = opened.error().os_error;
      return fail(app_error{app_error_code::store_failed,
                            fmt::format("cannot open {}: {}", l.path,
                                        os_error != 0 ? std::strerror(os_error) : "store error")});
    }
    store = std::move(*opened);
  }
  auto lu = std::make_shared<scsi::logical_unit>(config, std::move(store));
  //= spc4#5.13.5
  //# with APTPL the registrations and the reservation survive power loss:
  //# what the state file holds is restored before the LU serves a command
  if (!l.aptpl.empty())
    if (auto restored = scsi::enable_aptpl(*lu, l.aptpl); !restored)
      return fail(app_error{app_error_code::store_failed,
                            fmt::format("cannot restore persistent reservations from {}: {}", l.aptpl,
                                        restored.error() == scsi::aptpl_error::corrupt ? "not a state file"
                                                                                      : "cannot read it")});
  return lu;
}

instance::instance(std::vector<std::string> portals, discovery_settings discovery)
    : portals_(std::move(portals)), discovery_(std::move(discovery)) {
  target_config nowhere;
  nowhere.iqn.clear();  // never equal to a valid TargetName: the core answers "not found"
  nowhere_ = make_node(nowhere, nullptr, false);
  removed_node_ = make_node(nowhere, nullptr, false);
  removed_node_->removed = true;
}

std::shared_ptr<target_node> instance::make_node(const target_config& settings,
                                                 std::shared_ptr<scsi::device_server> devices,
                                                 bool discovery) const {
  auto node = std::make_shared<target_node>();
  node->config = settings;
  node->config.portals = portals_;
  if (discovery) {
    // The instance's discovery settings, never the target's: the target only
    // names the node (its sessions are counted under it).
    node->config.chap = discovery_.chap;
    node->config.mutual_chap = discovery_.mutual_chap;
    node->config.limits = discovery_.limits;
    node->config.redirect.reset();
  }
  node->devices = std::move(devices);
  node->chap_challenges = challenges_;
  node->catalog = catalog_;
  node->peer_log_budget = log_budget_;
  return node;
}

void instance::publish_catalog() {
  std::vector<target_listing> list;
  for (const auto& [iqn, t] : targets_) {
    const auto& s = t.definition.settings;
    list.push_back({iqn, s.portal_group_tag, portals_, s.allowed_initiators});
  }
  catalog_->set(std::move(list));
}

const target_entry* instance::find(std::string_view iqn) const {
  const auto it = targets_.find(iqn);
  return it == targets_.end() ? nullptr : &it->second;
}

std::size_t instance::sessions_of(std::string_view iqn) const {
  std::size_t n = 0;
  for (const auto& [id, c] : connections_)
    if (c.target == iqn && !c.discovery && c.conn && c.conn->current_phase() == phase::ffp_normal) ++n;
  return n;
}

app_result<bool> instance::create_target(target_definition t) {
  const std::string iqn = t.settings.iqn;
  if (targets_.contains(iqn))
    return fail(app_error{app_error_code::target_exists, "target " + iqn + " exists already"});
  auto devices = std::make_shared<scsi::device_server>();
  for (const auto& l : t.luns) {
    auto lu = make_logical_unit(l);
    if (!lu) return fail(lu.error());
    (*lu)->set_max_tracked_nexuses(t.settings.limits.max_tracked_nexuses);
    devices->add_lu(std::move(*lu));
  }
  target_entry entry;
  entry.node = make_node(t.settings, devices, false);
  entry.discovery_node = make_node(t.settings, nullptr, true);
  // A connection whose first PDU names no target meets the targets' mutants
  // too (pdu-before-login-answered: a NOP-Out before the Login Request).
  nowhere_->config.mutants |= t.settings.mutants;
  entry.definition = std::move(t);
  targets_.emplace(iqn, std::move(entry));
  std::erase(removed_, iqn);
  publish_catalog();
  return true;
}

void instance::disconnect_target(std::string_view iqn) {
  for (auto& [id, c] : connections_)
    if (c.target == iqn && c.disconnect) c.disconnect();
}

app_result<bool> instance::remove_target(std::string_view iqn, bool force) {
  const auto it = targets_.find(iqn);
  if (it == targets_.end())
    return fail(app_error{app_error_code::target_not_found, "no target " + std::string(iqn)});
  if (const auto n = sessions_of(iqn); n > 0 && !force)
    return fail(app_error{app_error_code::in_use,
                          fmt::format("target {} has {} session(s); use force to close them", iqn, n)});
  disconnect_target(iqn);
  targets_.erase(it);
  // Logins naming it are answered 0204 from now on (instance_routing.cpp);
  // the oldest names are forgotten past the bound (then 0203).
  removed_.emplace_back(iqn);
  if (removed_.size() > max_removed_names) removed_.pop_front();
  publish_catalog();
  return true;
}

app_result<bool> instance::add_lun(std::string_view iqn, lun_definition l) {
  const auto it = targets_.find(iqn);
  if (it == targets_.end())
    return fail(app_error{app_error_code::target_not_found, "no target " + std::string(iqn)});
  auto& entry = it->second;
  if (entry.node->devices->find_lu(l.lun))
    return fail(app_error{app_error_code::lun_exists, fmt::format("LUN {} exists already", l.lun)});
  auto lu = make_logical_unit(l);
  if (!lu) return fail(lu.error());
  (*lu)->set_max_tracked_nexuses(entry.definition.settings.limits.max_tracked_nexuses);
  //= spc4#6.33
  //# REPORTED LUNS DATA HAS CHANGED: the device server raises it on every
  //# other logical unit when one is added (scsi::device_server::add_lu).
  entry.node->devices->add_lu(std::move(*lu));
  entry.definition.luns.push_back(std::move(l));
  return true;
}

app_result<bool> instance::remove_lun(std::string_view iqn, std::uint64_t lun, bool force) {
  const auto it = targets_.find(iqn);
  if (it == targets_.end())
    return fail(app_error{app_error_code::target_not_found, "no target " + std::string(iqn)});
  auto& entry = it->second;
  if (!entry.node->devices->find_lu(lun))
    return fail(app_error{app_error_code::lun_not_found, fmt::format("no LUN {}", lun)});
  if (const auto n = sessions_of(iqn); n > 0 && !force)
    return fail(app_error{app_error_code::in_use,
                          fmt::format("LUN {} is in use by {} session(s); use force", lun, n)});
  entry.node->devices->remove_lu(lun);
  std::erase_if(entry.definition.luns, [&](const lun_definition& l) { return l.lun == lun; });
  return true;
}

connection_entry& instance::connected(std::string local, std::string remote,
                                      std::function<void()> disconnect) {
  const auto id = next_connection_++;
  auto& e = connections_[id];
  e.id = id;
  e.local = std::move(local);
  e.remote = std::move(remote);
  e.disconnect = std::move(disconnect);
  return e;
}

void instance::disconnected(std::uint64_t id) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  auto& c = it->second;
  if (c.conn) c.traffic.violations = c.conn->violations().total;
  if (auto t = targets_.find(c.target); t != targets_.end()) t->second.closed.add(c.traffic);
  connections_.erase(it);
}

void instance::disconnect_all() {
  for (auto& [id, c] : connections_)
    if (c.disconnect) c.disconnect();
}

void instance::request_logout_all(std::chrono::seconds within) {
  for (auto& [id, c] : connections_) {
    if (c.request_logout) c.request_logout(within);
    else if (c.disconnect) c.disconnect();
  }
}

std::map<std::uint64_t, connection_entry>& instance::connections() {
  for (auto& [id, c] : connections_)
    if (c.conn) c.traffic.violations = c.conn->violations().total;
  return connections_;
}

traffic_counters instance::totals(std::string_view iqn) const {
  traffic_counters sum;
  if (const auto* t = find(iqn)) sum = t->closed;
  for (const auto& [id, c] : connections_) {
    if (c.target != iqn) continue;
    auto live = c.traffic;
    if (c.conn) live.violations = c.conn->violations().total;
    sum.add(live);
  }
  return sum;
}

}  // namespace touchstone::target
