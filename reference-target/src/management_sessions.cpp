// The observing management methods: session.list (sessions, their
// connections, negotiated parameters and violation counts), stats,
// server.info; and config.reload.
#include <fmt/format.h>

#include "config_reader.hpp"
#include "touchstone/target/connection.hpp"
#include "touchstone/target/management.hpp"

namespace touchstone::target {

namespace {

using detail::object_reader;

std::string_view digest_name(pdu::digest_type d) {
  return d == pdu::digest_type::crc32c ? "CRC32C" : "None";
}

// The target named by an optional {"target": IQN}; "" for all.
result<std::string, rpc_error> optional_target(const instance& in, const json& params) {
  object_reader r(params, "params");
  std::string iqn;
  r.text("target", iqn);
  if (auto e = r.finish()) return fail(rpc_error{rpc_code::invalid_params, e->text()});
  if (!iqn.empty() && in.find(iqn) == nullptr)
    return fail(rpc_error{static_cast<int>(app_error_code::target_not_found), "no target " + iqn});
  return iqn;
}

json connection_json(const connection_entry& c) {
  json out{{"id", c.id},
           {"remote", c.remote},
           {"local", c.local},
           {"violations", c.traffic.violations},
           {"traffic", to_json(c.traffic)}};
  if (c.conn) {
    out["cid"] = c.conn->cid();
    out["phase"] = std::string(name(c.conn->current_phase()));
    out["exp_cmd_sn"] = c.conn->exp_cmd_sn();
    out["max_cmd_sn"] = c.conn->max_cmd_sn();
  }
  return out;
}

// One entry per session (TSIH); a connection still in login has TSIH 0 and
// is listed as a session of its own.
rpc_outcome session_list(instance& in, const json& params) {
  auto wanted = optional_target(in, params);
  if (!wanted) return fail(wanted.error());
  json sessions = json::array();
  for (const auto& [id, c] : in.connections()) {
    if (!wanted->empty() && c.target != *wanted) continue;
    json session{{"target", c.target}, {"type", c.discovery ? "discovery" : "normal"}};
    if (c.conn) {
      const auto& p = c.conn->parameters();
      session["tsih"] = c.conn->tsih();
      session["isid"] = fmt::format("{:012x}", c.conn->isid());
      session["initiator"] = p.initiator_name;
      session["parameters"] = to_json(p);
    }
    session["violations"] = c.traffic.violations;
    // The session's violations by the requirement id the log names, and the
    // part a leniency (--allow NAME) let pass.
    json by_requirement = json::object(), allowed = json::object();
    if (c.conn) {
      for (const auto& [id, n] : c.conn->violations().by_requirement) by_requirement[id] = n;
      for (const auto& [id, n] : c.conn->violations().allowed) allowed[id] = n;
    }
    session["violations_by_requirement"] = std::move(by_requirement);
    session["violations_allowed"] = std::move(allowed);
    session["connections"] = json::array({connection_json(c)});
    sessions.push_back(std::move(session));
  }
  return sessions;
}

rpc_outcome stats(instance& in, const json& params) {
  auto wanted = optional_target(in, params);
  if (!wanted) return fail(wanted.error());
  json targets = json::object();
  traffic_counters total;
  for (const auto& [iqn, t] : in.targets()) {
    if (!wanted->empty() && iqn != *wanted) continue;
    const auto c = in.totals(iqn);
    total.add(c);
    targets[iqn] = to_json(c);
  }
  std::size_t connections = 0;
  for (const auto& [id, c] : in.connections())
    if (wanted->empty() || c.target == *wanted) ++connections;
  return json{{"targets", std::move(targets)}, {"total", to_json(total)}, {"connections", connections},
              {"admission", to_json(in.admission())}};  // instance-wide (connection_admission.cpp)
}

rpc_outcome reload(const management_context& context, const json& params) {
  object_reader r(params, "params");
  if (auto e = r.finish()) return fail(rpc_error{rpc_code::invalid_params, e->text()});
  if (!context.reload)
    return fail(rpc_error{static_cast<int>(app_error_code::config_refused),
                          "started without --config: nothing to reload"});
  auto applied = context.reload();
  if (!applied) return fail(rpc_error{static_cast<int>(applied.error().code), applied.error().message});
  return json{{"applied", *applied}};
}

}  // namespace

json to_json(const traffic_counters& c) {
  return json{{"pdus_in", c.pdus_in},     {"pdus_out", c.pdus_out}, {"bytes_in", c.bytes_in},
              {"bytes_out", c.bytes_out}, {"commands", c.commands}, {"errors", c.errors},
              {"violations", c.violations}};
}

json to_json(const pdu::session_parameters& p) {
  return json{{"HeaderDigest", digest_name(p.header_digest)},
              {"DataDigest", digest_name(p.data_digest)},
              {"MaxConnections", p.max_connections},
              {"InitialR2T", p.initial_r2t},
              {"ImmediateData", p.immediate_data},
              {"MaxRecvDataSegmentLength", p.max_recv_data_segment_length},
              {"MaxSendDataSegmentLength", p.max_send_data_segment_length},
              {"MaxBurstLength", p.max_burst_length},
              {"FirstBurstLength", p.first_burst_length},
              {"DefaultTime2Wait", p.default_time2wait},
              {"DefaultTime2Retain", p.default_time2retain},
              {"MaxOutstandingR2T", p.max_outstanding_r2t},
              {"DataPDUInOrder", p.data_pdu_in_order},
              {"DataSequenceInOrder", p.data_sequence_in_order},
              {"ErrorRecoveryLevel", p.error_recovery_level},
              {"AuthMethod", p.auth_method},
              {"InitiatorAlias", p.initiator_alias}};
}

void register_observers(rpc_dispatcher& d, const management_context& context) {
  instance* in = context.targets;
  d.add("session.list", [in](const json& p) { return session_list(*in, p); });
  d.add("stats", [in](const json& p) { return with_tables(*in, stats(*in, p)); });
  d.add("config.reload", [context](const json& p) { return reload(context, p); });
  d.add("server.info", [context](const json& p) -> rpc_outcome {
    object_reader r(p, "params");
    if (auto e = r.finish()) return fail(rpc_error{rpc_code::invalid_params, e->text()});
    return context.info;
  });
}

}  // namespace touchstone::target
