// Persistent reservations: what PR IN reports (REPORT CAPABILITIES, READ
// FULL STATUS: spc4#6.15.4, spc4#6.15.5), APTPL as far as it is observable
// without restarting the target (spc4#5.13.5, spc4#6.16.4), and REGISTER AND
// MOVE to another iSCSI I_T nexus named by its TransportID (spc4#5.13.8).
#include <algorithm>
#include <cctype>

#include "pr_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

bool same_text(std::string a, std::string b) {
  for (auto* s : {&a, &b})
    for (auto& ch : *s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return a == b;
}

// REGISTER AND MOVE and READ FULL STATUS came with SPC-3 and have no
// capability bit: INVALID FIELD IN CDB says the target lacks them.
bool invalid_field_in_cdb(const scsi_outcome& o) {
  const auto code = parse_sense(o.sense);
  return o.completed() && o.status == status_check_condition && code && code->key == sense_illegal_request &&
         code->asc == 0x24 && code->ascq == 0;
}

// The iSCSI port name of a party as SPC-4 writes it in a TransportID.
std::string port_name(const pr_party& p) {
  const auto t = cdb::iscsi_transport_id(p.initiator_name, p.isid);
  return std::string(t.begin() + 4, std::find(t.begin() + 4, t.end(), std::uint8_t{0}));
}

//= spc4#6.15.4 type=test
//# REPORT CAPABILITIES: LENGTH 8; PTPL_A (persist through power loss
//# activated) is one only when PTPL_C (capable) is one
TOUCHSTONE_CASE({.id = "pr.in.report-capabilities",
                 .title = "REPORT CAPABILITIES: LENGTH 8, PTPL_A only with PTPL_C, the type mask lists a type",
                 .citations = {"rfc7143#section-4.4.3.2", "spc4#6.15.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.in.report-capabilities", [&](pr_world& w, pr_party& a) -> verdict {
    const auto o = pr_in(w, a, pr_in_action::report_capabilities);
    if (auto v = expect_good(o, "REPORT CAPABILITIES"); bad(v)) return v;
    if (o.data.size() < 8) return verdict::fail("REPORT CAPABILITIES returned " + std::to_string(o.data.size()) + " bytes");
    if (pdu::load_be16(o.data.data()) != 8)
      return verdict::fail("REPORT CAPABILITIES LENGTH is " + std::to_string(pdu::load_be16(o.data.data())));
    const auto caps = cdb::parse_report_capabilities(o.data);
    if (caps->ptpl_a && !caps->ptpl_c) return verdict::fail("PTPL_A is one while PTPL_C is zero");
    if (caps->tmv && caps->type_mask == 0) return verdict::fail("TMV is one but the type mask lists no type");
    return verdict::pass(std::string("PTPL_C=") + (caps->ptpl_c ? "1" : "0") + " TMV=" + (caps->tmv ? "1" : "0"));
  });
}

//= spc4#6.16.4 type=test
//# APTPL=1 from a device server that does not support it (PTPL_C=0):
//# ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST
TOUCHSTONE_CASE({.id = "pr.aptpl.register-as-capable",
                 .title = "REGISTER with APTPL=1: GOOD when PTPL_C=1, else CHECK CONDITION 26h/00h and no key",
                 .citations = {"rfc7143#section-4.4.3.2"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.aptpl.register-as-capable", [&](pr_world& w, pr_party& a) -> verdict {
    const auto caps = report_capabilities(w, a);
    if (!caps.ok()) return verdict::error(caps.problem.message);
    const auto o = register_key(w, a, true);
    if (caps.capabilities->ptpl_c) {
      if (auto v = expect_good(o, "REGISTER APTPL=1 with PTPL_C=1"); bad(v)) return v;
      return expect_keys(w, a, {a.key}, "after REGISTER APTPL=1");
    }
    if (auto v = expect_sense(o, "REGISTER APTPL=1 with PTPL_C=0", sense_illegal_request, 0x26, 0x00); bad(v))
      return v;
    return expect_keys(w, a, {}, "after the refused REGISTER");
  });
}

//= spc4#5.13.5 type=test
//# the APTPL bit of the last REGISTER that completed decides whether the
//# state persists through power loss: PTPL_A reports it
TOUCHSTONE_CASE({.id = "pr.aptpl.activated-follows-last-register",
                 .title = "PTPL_A is 1 after REGISTER APTPL=1 and 0 after a later REGISTER APTPL=0",
                 .citations = {"rfc7143#section-4.4.3.2", "spc4#5.13.5", "spc4#6.15.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.aptpl.activated-follows-last-register", [&](pr_world& w, pr_party& a) -> verdict {
    const auto caps = report_capabilities(w, a);
    if (!caps.ok()) return verdict::error(caps.problem.message);
    if (!caps.capabilities->ptpl_c) return verdict::skip("PTPL_C is zero: the target does not persist through power loss");
    if (auto v = step(register_key(w, a, true), "REGISTER APTPL=1"); bad(v)) return v;
    auto now = report_capabilities(w, a);
    if (!now.ok()) return now.problem;
    if (!now.capabilities->ptpl_a) return verdict::fail("after REGISTER APTPL=1, PTPL_A is zero");
    const auto o = pr_out(w, a, pr_out_action::register_key, pr_type::none,
                          {.key = a.key, .service_action_key = a.key, .aptpl = false});
    if (auto v = step(o, "REGISTER APTPL=0 (same key)"); bad(v)) return v;
    now = report_capabilities(w, a);
    if (!now.ok()) return now.problem;
    if (now.capabilities->ptpl_a) return verdict::fail("after REGISTER APTPL=0, PTPL_A is still one");
    return verdict::pass();
  });
}

//= spc4#6.15.5 type=test
//# READ FULL STATUS: a descriptor per registration with its key, R_HOLDER,
//# SCOPE and TYPE of the holder, and the TransportID of its initiator port
//= rfc7143#section-4.4.2 type=test
//# When used in SCSI parameter data, the SCSI port name MUST be encoded as: 1) the iSCSI name in
//# UTF-8 format, followed by 2) a comma separator (1 byte), followed by 3) the ASCII character 'i'
//# (for SCSI initiator port)
//= rfc7143#section-4.4.2 type=test
//# The SCSI port name MUST be used in iSCSI.
TOUCHSTONE_CASE({.id = "pr.in.read-full-status",
                 .title = "READ FULL STATUS: one descriptor per registrant, R_HOLDER and TYPE on the holder's, TransportIDs",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.2"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.in.read-full-status", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    const auto o = pr_in(w, *b, pr_in_action::read_full_status);
    if (invalid_field_in_cdb(o)) return verdict::skip("READ FULL STATUS answered INVALID FIELD IN CDB: not implemented");
    const auto r = read_full_status(w, *b);
    if (!r.ok()) return r.problem;
    const auto& d = r.full_status->descriptors;
    if (d.size() != 2) return verdict::fail("READ FULL STATUS lists " + std::to_string(d.size()) + " descriptors, expected 2");
    for (const auto* p : {&a, b}) {
      const auto it = std::find_if(d.begin(), d.end(), [&](const auto& x) { return x.key == p->key; });
      if (it == d.end()) return verdict::fail("no descriptor carries " + p->label + "'s key");
      const bool holder = p == &a;
      if (it->holder != holder)
        return verdict::fail(p->label + "'s descriptor has R_HOLDER " + (it->holder ? "1" : "0"));
      if (holder && it->type != pr_type::write_exclusive)
        return verdict::fail(std::string("the holder's descriptor has TYPE ") + cdb::name(it->type));
      const auto name = it->port_name();
      // Format 01b names the port (name,i,0x<ISID>); 00b the node only.
      if (!same_text(name, port_name(*p)) && !same_text(name, p->initiator_name))
        return verdict::fail(p->label + "'s TransportID names '" + name + "', expected '" + port_name(*p) + "'");
    }
    return verdict::pass();
  });
}

//= spc4#5.13.8 type=test
//# REGISTER AND MOVE: the destination I_T nexus is registered with the
//# SERVICE ACTION RESERVATION KEY and becomes the holder; with UNREG=0 the
//# source stays registered
TOUCHSTONE_CASE({.id = "pr.move.register-and-move",
                 .title = "REGISTER AND MOVE to B's TransportID: B registered and holding, A still registered",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.move.register-and-move", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    // The relative target port A's registration came through.
    std::uint16_t port = 1;
    if (const auto s = read_full_status(w, a); s.ok())
      for (const auto& d : s.full_status->descriptors)
        if (d.key == a.key) port = d.relative_target_port;
    scsi_request r;
    r.lun = ctx.target().lun;
    r.data_out = cdb::register_and_move_list({.key = a.key, .service_action_key = b->key,
                                              .relative_target_port = port,
                                              .transport_id = cdb::iscsi_transport_id(b->initiator_name, b->isid)});
    r.cdb = cdb::pr_out(pr_out_action::register_and_move, pr_type::write_exclusive,
                        static_cast<std::uint32_t>(r.data_out.size()));
    r.write = true;
    r.expected_length = static_cast<std::uint32_t>(r.data_out.size());
    const auto o = run_scsi(*a.s, r);
    if (invalid_field_in_cdb(o))
      return verdict::skip("REGISTER AND MOVE answered INVALID FIELD IN CDB: not implemented");
    if (auto v = expect_good(o, "REGISTER AND MOVE"); bad(v)) return v;
    if (auto v = expect_reservation(w, *b, pr_type::write_exclusive, b->key, "after REGISTER AND MOVE"); bad(v))
      return v;
    if (auto v = expect_keys(w, a, {a.key, b->key}, "after REGISTER AND MOVE with UNREG=0"); bad(v)) return v;
    if (!ctx.target().writable) return verdict::pass("WRITE not checked: needs --writable");
    if (auto v = expect_access(w, *b, true, true, "the new holder"); bad(v)) return v;
    return expect_access(w, a, true, false, "the former holder");
  });
}

}  // namespace
}  // namespace touchstone::conformance::cases
