// Persistent reservation helpers: parties, PR IN/OUT, judgements, and the
// frame that skips targets without PR and cleans up after every case.
#include "pr_helpers.hpp"

#include <algorithm>

namespace touchstone::conformance::cases {
namespace {

constexpr std::uint32_t access_lba = 16;  // the block READ/WRITE checks touch
constexpr std::uint16_t pr_in_allocation = 8192;

std::string describe(const scsi_outcome& o) {
  if (!o.completed()) return o.summary();
  if (o.status == status_check_condition) {
    const auto code = parse_sense(o.sense);
    return code ? "CHECK CONDITION, " + describe_sense(*code) : "CHECK CONDITION without readable sense";
  }
  return pdu::scsi_status_text(o.status);
}

bool is_conflict(const scsi_outcome& o) { return o.completed() && o.status == status_reservation_conflict; }

// FNV-1a: a case's keys derive from its id, so no two cases share a key.
std::uint64_t key_base_of(std::string_view id) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : id) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return (h & ~std::uint64_t{0xff}) | (std::uint64_t{1} << 63);
}

//= spc4#4.5.6
//# INVALID COMMAND OPERATION CODE (20h/00h): the opcode is not supported
bool unsupported_opcode(const scsi_outcome& o) {
  if (!o.completed() || o.status != status_check_condition) return false;
  const auto code = parse_sense(o.sense);
  return code && code->key == sense_illegal_request && code->asc == 0x20 && code->ascq == 0x00;
}

}  // namespace

pr_party* pr_world::join(bool own_name) {
  const auto n = parties_.size();
  const std::string label(1, static_cast<char>('A' + n));
  auto o = ctx_.normal_login();
  if (own_name) o.initiator_name += "-pr" + std::string(1, static_cast<char>('a' + n));
  auto* s = ctx_.logged_in(o);
  if (!s && own_name) {  // an ACL may admit the configured name only
    o = ctx_.normal_login();
    s = ctx_.logged_in(o);
  }
  if (!s || !clear_unit_attentions(ctx_, *s)) return nullptr;
  if (block_ == 0) {
    const auto b = block_length(ctx_, *s);
    block_ = b == 0 ? 512 : b;
  }
  parties_.push_back(std::make_unique<pr_party>(
      pr_party{label, s, o.initiator_name, o.isid, key_base_ | static_cast<std::uint64_t>(n + 1)}));
  return parties_.back().get();
}

session* pr_world::reconnect(pr_party& p) {
  auto o = ctx_.normal_login();
  o.initiator_name = p.initiator_name;
  o.isid = p.isid;
  auto* s = ctx_.logged_in(o);
  if (!s || !clear_unit_attentions(ctx_, *s)) return nullptr;
  p.s = s;
  return s;
}

scsi_outcome pr_out(pr_world& w, pr_party& p, pr_out_action a, pr_type t, const cdb::pr_out_parameters& list) {
  scsi_request r;
  r.lun = w.ctx().target().lun;
  r.data_out = cdb::pr_out_list(list);
  r.cdb = cdb::pr_out(a, t, static_cast<std::uint32_t>(r.data_out.size()));
  r.write = true;
  r.expected_length = static_cast<std::uint32_t>(r.data_out.size());
  return run_scsi(*p.s, r);
}

scsi_outcome pr_in(pr_world& w, pr_party& p, pr_in_action a) {
  scsi_request r;
  r.lun = w.ctx().target().lun;
  r.cdb = cdb::pr_in(a, pr_in_allocation);
  r.read = true;
  r.expected_length = pr_in_allocation;
  return run_scsi(*p.s, r);
}

scsi_outcome register_key(pr_world& w, pr_party& p, bool aptpl) {
  return pr_out(w, p, pr_out_action::register_key, pr_type::none,
                {.key = 0, .service_action_key = p.key, .aptpl = aptpl});
}

scsi_outcome reserve(pr_world& w, pr_party& p, pr_type t) {
  return pr_out(w, p, pr_out_action::reserve, t, {.key = p.key});
}

scsi_outcome release(pr_world& w, pr_party& p, pr_type t) {
  return pr_out(w, p, pr_out_action::release, t, {.key = p.key});
}

scsi_outcome read_block(pr_world& w, pr_party& p) {
  scsi_request r;
  r.lun = w.ctx().target().lun;
  r.cdb = cdb::read10(access_lba, 1);
  r.read = true;
  r.expected_length = w.block();
  return run_scsi(*p.s, r);
}

scsi_outcome write_block(pr_world& w, pr_party& p) {
  scsi_request r;
  r.lun = w.ctx().target().lun;
  r.cdb = cdb::write10(access_lba, 1);
  r.write = true;
  r.expected_length = w.block();
  r.data_out = pattern(w.block(), 0x5a);
  return run_scsi(*p.s, r);
}

scsi_outcome unit_ready(pr_world& w, pr_party& p) { return run_scsi(*p.s, unit_ready_request(w.ctx())); }

namespace {

template <class Parse>
pr_read read_with(pr_world& w, pr_party& p, pr_in_action a, std::string_view what, Parse parse) {
  pr_read r;
  const auto o = pr_in(w, p, a);
  if (!o.good()) {
    r.problem = verdict::fail(std::string(what) + " from " + p.label + ": " + describe(o));
    return r;
  }
  if (!parse(r, o.data)) r.problem = verdict::fail(std::string(what) + " from " + p.label + ": data do not parse");
  return r;
}

}  // namespace

pr_read read_keys(pr_world& w, pr_party& p) {
  return read_with(w, p, pr_in_action::read_keys, "READ KEYS",
                   [](pr_read& r, pdu::bytes_view d) { return (r.keys = cdb::parse_read_keys(d)).has_value(); });
}

pr_read read_reservation(pr_world& w, pr_party& p) {
  return read_with(w, p, pr_in_action::read_reservation, "READ RESERVATION", [](pr_read& r, pdu::bytes_view d) {
    return (r.reservation = cdb::parse_read_reservation(d)).has_value();
  });
}

pr_read report_capabilities(pr_world& w, pr_party& p) {
  return read_with(w, p, pr_in_action::report_capabilities, "REPORT CAPABILITIES",
                   [](pr_read& r, pdu::bytes_view d) {
                     return (r.capabilities = cdb::parse_report_capabilities(d)).has_value();
                   });
}

pr_read read_full_status(pr_world& w, pr_party& p) {
  return read_with(w, p, pr_in_action::read_full_status, "READ FULL STATUS", [](pr_read& r, pdu::bytes_view d) {
    return (r.full_status = cdb::parse_read_full_status(d)).has_value();
  });
}

verdict expect_good(const scsi_outcome& o, std::string_view what) {
  if (o.good()) return verdict::pass();
  return verdict::fail(std::string(what) + ": expected GOOD, saw " + describe(o));
}

verdict expect_conflict(const scsi_outcome& o, std::string_view what) {
  if (is_conflict(o)) return verdict::pass();
  if (!o.completed()) return verdict::error(std::string(what) + ": " + o.summary());
  return verdict::fail(std::string(what) + ": expected RESERVATION CONFLICT, saw " + describe(o));
}

verdict expect_sense(const scsi_outcome& o, std::string_view what, std::uint8_t key, std::uint8_t asc,
                     std::uint8_t ascq) {
  if (!o.completed()) return verdict::error(std::string(what) + ": " + o.summary());
  const auto code = parse_sense(o.sense);
  if (o.status == status_check_condition && code && code->key == key && code->asc == asc && code->ascq == ascq)
    return verdict::pass();
  return verdict::fail(std::string(what) + ": expected CHECK CONDITION, " +
                       describe_sense({key, asc, ascq}) + ", saw " + describe(o));
}

verdict step(const scsi_outcome& o, std::string_view what) {
  if (o.good()) return verdict::pass();
  return verdict::error(std::string(what) + " (a step before the judgement) got " + describe(o));
}

verdict expect_unit_attention(pr_world& w, pr_party& p, std::uint8_t asc, std::uint8_t ascq,
                              std::string_view what) {
  std::string seen;
  // Other unit attentions may be queued ahead of it (SAM-5 5.14): read past them.
  for (int i = 0; i < 4; ++i) {
    const auto o = unit_ready(w, p);
    if (!o.completed()) return verdict::error(std::string(what) + ": " + o.summary());
    const auto code = parse_sense(o.sense);
    if (o.status != status_check_condition || !code || code->key != sense_unit_attention) {
      seen += (seen.empty() ? "" : ", then ") + describe(o);
      break;
    }
    if (code->asc == asc && code->ascq == ascq) return verdict::pass();
    seen += (seen.empty() ? "" : ", then ") + describe(o);
  }
  return verdict::fail(std::string(what) + ": expected " + p.label + "'s next command to report " +
                       describe_sense({sense_unit_attention, asc, ascq}) + ", saw " + seen);
}

// Keys as the parties' letters ("A", "B"), other keys in hexadecimal.
static std::string key_list(const pr_world& w, const std::vector<std::uint64_t>& keys) {
  std::string text;
  for (const auto k : keys) {
    text += text.empty() ? "" : " ";
    const auto low = static_cast<unsigned>(k & 0xff);
    if ((k & ~std::uint64_t{0xff}) == w.key_base() && low >= 1 && low <= 26)
      text += std::string(1, static_cast<char>('A' + low - 1)) + "'s key";
    else
      text += hex32(static_cast<std::uint32_t>(k >> 32)) + hex32(static_cast<std::uint32_t>(k)).substr(2);
  }
  return text;
}

verdict expect_keys(pr_world& w, pr_party& p, std::vector<std::uint64_t> keys, std::string_view what) {
  const auto r = read_keys(w, p);
  if (!r.ok()) return r.problem;
  auto listed = r.keys->keys;
  std::sort(listed.begin(), listed.end());
  std::sort(keys.begin(), keys.end());
  if (listed == keys) return verdict::pass();
  return verdict::fail(std::string(what) + ": READ KEYS lists [" + key_list(w, listed) + "], expected [" +
                       key_list(w, keys) + "]");
}

verdict expect_reservation(pr_world& w, pr_party& p, pr_type t, std::uint64_t key, std::string_view what) {
  const auto r = read_reservation(w, p);
  if (!r.ok()) return r.problem;
  const auto& got = *r.reservation;
  if (t == pr_type::none) {
    if (!got.reserved) return verdict::pass();
    return verdict::fail(std::string(what) + ": READ RESERVATION still shows a reservation of type " +
                         cdb::name(got.type));
  }
  if (!got.reserved) return verdict::fail(std::string(what) + ": READ RESERVATION shows no reservation");
  if (got.type != t || got.key != key || got.scope != 0)
    return verdict::fail(std::string(what) + ": READ RESERVATION shows type " + cdb::name(got.type) + " scope " +
                         std::to_string(got.scope) + (got.key == key ? " with the expected key" : " with another key") +
                         ", expected " + cdb::name(t) + " LU_SCOPE");
  return verdict::pass();
}

verdict expect_access(pr_world& w, pr_party& p, bool read_allowed, bool write_allowed, std::string_view who) {
  const auto judge = [&](const scsi_outcome& o, bool allowed, std::string_view op) {
    const auto what = std::string(op) + " by " + std::string(who) + " (" + p.label + ")";
    return allowed ? expect_good(o, what) : expect_conflict(o, what);
  };
  if (auto v = judge(read_block(w, p), read_allowed, "READ"); bad(v)) return v;
  if (!w.ctx().target().writable) return verdict::pass();
  return judge(write_block(w, p), write_allowed, "WRITE");
}

verdict require_type(pr_world& w, pr_party& p, pr_type t) {
  const auto r = report_capabilities(w, p);
  if (!r.ok() || !r.capabilities->tmv) return verdict::pass();  // no mask: try it
  if (r.capabilities->supports(t)) return verdict::pass();
  return verdict::skip(std::string("REPORT CAPABILITIES does not list the type ") + cdb::name(t));
}

namespace {

// CLEAR from a nexus registered for the purpose (APTPL=0, so nothing stays
// saved either), then READ KEYS must be empty. Party A's session is tried
// first (a login less); a fresh nexus when that does not work.
verdict clean_up_through(pr_world& w, pr_party& p) {
  const auto key = w.key_base() | 0xeeu;
  auto o = pr_out(w, p, pr_out_action::register_and_ignore, pr_type::none, {.service_action_key = key});
  if (!o.good())
    o = pr_out(w, p, pr_out_action::register_key, pr_type::none, {.key = 0, .service_action_key = key});
  if (!o.good()) return verdict::error("clean-up REGISTER: " + describe(o));
  o = pr_out(w, p, pr_out_action::clear, pr_type::none, {.key = key});
  if (!o.good()) return verdict::error("clean-up CLEAR: " + describe(o));
  if (auto v = expect_keys(w, p, {}, "after the clean-up CLEAR"); bad(v)) return verdict::error(v.message);
  return verdict::pass();
}

verdict clean_up(pr_world& w, pr_party* first) {
  if (first && first->s->full_feature() && clear_unit_attentions(w.ctx(), *first->s) &&
      !bad(clean_up_through(w, *first)))
    return verdict::pass();
  auto* fresh = w.join(false);
  if (!fresh) return verdict::error("clean-up: " + w.ctx().setup_error().message);
  return clean_up_through(w, *fresh);
}

}  // namespace

verdict pr_case(case_context& ctx, std::string_view id,
                const std::function<verdict(pr_world&, pr_party& first)>& body) {
  pr_world w(ctx, key_base_of(id));
  auto* a = w.join();
  if (!a) return ctx.setup_error();
  const auto probe = pr_in(w, *a, pr_in_action::read_keys);
  if (unsupported_opcode(probe)) return verdict::skip("the target does not implement PERSISTENT RESERVE IN");
  if (!probe.good()) return verdict::error("READ KEYS before the case: " + describe(probe));
  auto result = body(w, *a);
  const auto cleaned = clean_up(w, a);
  if (!bad(cleaned)) return result;
  if (result.kind == verdict_kind::pass) return cleaned;
  result.message += " (and " + cleaned.message + ")";
  return result;
}

}  // namespace touchstone::conformance::cases
