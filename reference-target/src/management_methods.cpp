// The JSON-RPC methods of the control socket. Parameters are read with the
// config file's checked reader, so an invalid parameter is reported with its
// path ("params.size: expected a size like 64MiB", code -32602).
#include "touchstone/target/management.hpp"

#include <spdlog/spdlog.h>

#include "config_reader.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

namespace {

using detail::object_reader;

rpc_error invalid(const config_error& e) { return {rpc_code::invalid_params, e.text()}; }
rpc_error from(const app_error& e) { return {static_cast<int>(e.code), e.message}; }

json target_summary(const instance& in, const target_entry& t) {
  const auto& s = t.definition.settings;
  json luns = json::array();
  for (auto lun : t.node->devices->luns()) luns.push_back(lun);
  return json{{"iqn", s.iqn},
              {"alias", s.alias},
              {"portal_group_tag", s.portal_group_tag},
              {"portals", in.portals()},
              {"luns", std::move(luns)},
              {"sessions", in.sessions_of(s.iqn)},
              {"chap", s.chap.has_value()},
              {"mutual_chap", s.mutual_chap.has_value()},
              {"initiators", s.allowed_initiators},
              {"redirect", s.redirect ? json(s.redirect->addresses) : json(nullptr)}};
}

// Reads {"target": IQN, ...}: the named target, or an error.
result<const target_entry*, rpc_error> named_target(const instance& in, object_reader& r,
                                                    std::string_view key = "target") {
  std::string iqn;
  r.text(key, iqn, detail::required);
  if (!r.ok()) return fail(invalid(*r.finish()));
  const auto* t = in.find(iqn);
  if (t == nullptr)
    return fail(rpc_error{static_cast<int>(app_error_code::target_not_found), "no target " + iqn});
  return t;
}

rpc_outcome done(const app_result<bool>& r, json result) {
  if (!r) return fail(from(r.error()));
  return result;
}

rpc_outcome target_list(instance& in, const json& params) {
  object_reader r(params, "params");
  if (auto e = r.finish()) return fail(invalid(*e));
  json out = json::array();
  for (const auto& [iqn, t] : in.targets()) out.push_back(target_summary(in, t));
  return out;
}

rpc_outcome target_create(instance& in, const json& params) {
  auto t = parse_target(params, "params");
  if (!t) return fail(invalid(t.error()));
  const auto iqn = t->settings.iqn;
  // A secret shorter than 96 bits is accepted with a warning, as at start-up.
  instance_config created;
  created.targets.push_back(*t);
  for (const auto& w : weak_secret_warnings(created)) spdlog::warn("target.create {}: {}", iqn, w);
  return done(in.create_target(std::move(*t)), json{{"created", iqn}});
}

rpc_outcome target_remove(instance& in, const json& params) {
  object_reader r(params, "params");
  bool force = false;
  r.boolean("force", force);
  auto t = named_target(in, r, "iqn");
  if (!t) return fail(t.error());
  if (auto e = r.finish()) return fail(invalid(*e));
  const auto iqn = (*t)->definition.settings.iqn;
  return done(in.remove_target(iqn, force), json{{"removed", iqn}});
}

rpc_outcome lun_list(instance& in, const json& params) {
  object_reader r(params, "params");
  auto t = named_target(in, r);
  if (!t) return fail(t.error());
  if (auto e = r.finish()) return fail(invalid(*e));
  json out = json::array();
  for (const auto& l : (*t)->definition.luns) {
    json shown = to_json(l);
    // A file store sized by its file: the size it was opened with.
    if (const auto lu = (*t)->node->devices->find_lu(l.lun))
      shown["size"] = lu->block_count() * lu->block_size();
    out.push_back(std::move(shown));
  }
  return out;
}

rpc_outcome lun_add(instance& in, const json& params) {
  object_reader r(params, "params");
  auto t = named_target(in, r);
  if (!t) return fail(t.error());
  std::uint64_t next = 0;
  for (const auto& l : (*t)->definition.luns) next = std::max(next, l.lun + 1);
  json lun_params = params;
  lun_params.erase("target");
  auto l = parse_lun(lun_params, "params", next);
  if (!l) return fail(invalid(l.error()));
  json shown = to_json(*l);
  return done(in.add_lun((*t)->definition.settings.iqn, std::move(*l)), std::move(shown));
}

rpc_outcome lun_remove(instance& in, const json& params) {
  object_reader r(params, "params");
  std::uint64_t lun = UINT64_MAX;
  bool force = false;
  auto t = named_target(in, r);
  if (!t) return fail(t.error());
  if (r.ok() && !r.has("lun")) r.set_error({"params.lun", "missing (expected a LUN number)"});
  r.number("lun", lun, 0, 16383);
  r.boolean("force", force);
  if (auto e = r.finish()) return fail(invalid(*e));
  return done(in.remove_lun((*t)->definition.settings.iqn, lun, force),
              json{{"removed", lun}, {"target", (*t)->definition.settings.iqn}});
}

}  // namespace

// session.list, stats, config.reload and server.info (management_sessions.cpp).
void register_observers(rpc_dispatcher& d, const management_context& context);

void register_management(rpc_dispatcher& d, management_context context) {
  instance* in = context.targets;
  d.add("target.list", [in](const json& p) { return target_list(*in, p); });
  d.add("target.create", [in](const json& p) { return target_create(*in, p); });
  d.add("target.remove", [in](const json& p) { return target_remove(*in, p); });
  d.add("lun.list", [in](const json& p) { return lun_list(*in, p); });
  d.add("lun.add", [in](const json& p) { return lun_add(*in, p); });
  d.add("lun.remove", [in](const json& p) { return lun_remove(*in, p); });
  register_observers(d, context);
}

json to_json(const lun_definition& l) {
  json out{{"lun", l.lun},
           {"store", name(l.store)},
           {"size", l.size},
           {"block_size", l.block_size},
           {"read_only", l.read_only}};
  if (l.store == store_kind::file) out["path"] = l.path;
  if (!l.aptpl.empty()) out["aptpl"] = l.aptpl;
  return out;
}

}  // namespace touchstone::target
