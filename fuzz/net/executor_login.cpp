// The executor's login plans: normal and discovery logins through the
// conformance engine's login() (its requests and responses become
// transitions), none, and scripted logins (the Login Requests are steps; the
// Full Feature Phase starts when the target's final answer says so).
#include <charconv>

#include "executor_run.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/pdu/login_response.hpp"

namespace touchstone::fuzz::net::detail {
namespace {

conformance::login_options engine_login(const run_state& st) {
  const auto& t = st.target.config;
  const auto& plan = st.prog.login;
  conformance::login_options o;
  o.initiator_name = t.initiator_name;
  o.discovery = plan.kind == login_kind::discovery;
  if (!o.discovery) o.target_name = t.target_name;
  // The run's credentials: a target that requires CHAP refuses any other
  // login, so they are used whenever the run has them (docs/fuzzing.md).
  o.chap = o.discovery ? t.discovery_chap : t.chap;
  o.operational = plan.offers;
  o.isid = plan.isid;
  o.tsih = plan.tsih;
  o.cid = plan.cid;
  o.max_exchanges = 8;
  return o;
}

}  // namespace

bool run_login(run_state& st) {
  const auto kind = st.prog.login.kind;
  if (kind == login_kind::none || kind == login_kind::scripted) return true;
  const auto out = conformance::login(st.s, engine_login(st));
  for (std::size_t i = 0; i < out.requests.size(); ++i) {
    const auto from = login_phase(out.requests[i]);
    conformance::observation seen;
    if (i < out.responses.size()) {
      seen.what = conformance::observed::pdu;
      seen.received = out.responses[i];
    } else {
      seen = out.last;
    }
    st.observe(from, out.requests[i], seen);
    st.r.requests.push_back(st.s.wire().encode(out.requests[i]));
  }
  st.r.pdus_sent += out.requests.size();
  if (!out.ok()) {
    st.r.end = out.how == conformance::login_ending::status ? session_end::answered : end_of(out.last);
    st.r.detail = "login: " + out.summary();
    return false;
  }
  st.r.logged_in = true;
  st.discovery = kind == login_kind::discovery;
  st.at = st.discovery ? phase::discovery_ffp : phase::full_feature;
  st.oracle.set_max_recv_data_segment_length(out.params.max_recv_data_segment_length);
  st.oracle.set_data_in_order(out.params.data_pdu_in_order && out.params.data_sequence_in_order);
  return true;
}

void on_scripted_login_request(run_state& st, const pdu::pdu& request) {
  if (request.op() != pdu::opcode::login_request) return;
  for (const auto& [key, value] : conformance::pairs_of(request)) {
    if (key == "SessionType") st.discovery = value == "Discovery";
    if (key != "MaxRecvDataSegmentLength") continue;
    std::uint32_t v = 0;
    const auto* end = value.data() + value.size();
    if (std::from_chars(value.data(), end, v).ptr == end && v >= 512)
      st.scripted.max_recv_data_segment_length = v;
  }
}

void on_scripted_login_answer(run_state& st, const pdu::pdu& answer) {
  if (answer.op() != pdu::opcode::login_response) return;
  for (const auto& [key, value] : conformance::pairs_of(answer)) {
    if (key == "HeaderDigest") st.scripted.header_digest = value == "CRC32C" ? pdu::digest_type::crc32c : pdu::digest_type::none;
    if (key == "DataDigest") st.scripted.data_digest = value == "CRC32C" ? pdu::digest_type::crc32c : pdu::digest_type::none;
  }
  const pdu::login_response_view v(answer);
  //= rfc7143#section-11.13.5
  //# If the response T bit is set to 1 in both the request and the
  //# matching response, and the NSG is set to FullFeaturePhase in
  //# both the request and the matching response, the Login Phase is
  //# finished, and the initiator may proceed to issue SCSI commands.
  // (The request side is the program's business: a scripted login may
  // break it, and the target's answer is what puts the phase in force.)
  if (!v.transit() || v.nsg() != pdu::login_stage::full_feature_phase || v.status_class() != 0) return;
  st.s.set_tsih(v.tsih());
  st.s.enter_full_feature(st.scripted);
  st.r.logged_in = true;
  st.at = st.discovery ? phase::discovery_ffp : phase::full_feature;
  st.oracle.set_max_recv_data_segment_length(st.scripted.max_recv_data_segment_length);
}

}  // namespace touchstone::fuzz::net::detail
