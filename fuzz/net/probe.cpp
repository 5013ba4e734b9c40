// One probe session through the conformance engine: connect, login, TEST
// UNIT READY, logout, every wait bounded by the step deadline and the whole
// probe by a hard deadline (a target streaming PDUs cannot keep it going).
#include <asio/error.hpp>
#include <atomic>

#include "touchstone/conformance/cdb.hpp"
#include "touchstone/conformance/context.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/conformance/requests.hpp"
#include "touchstone/conformance/scsi_task.hpp"
#include "touchstone/fuzz/net/liveness.hpp"

namespace touchstone::fuzz::net {

namespace {

using conformance::clock;
using conformance::observed;

constexpr std::string_view probe_step_connect = "connect";
constexpr std::string_view probe_step_login = "login";
constexpr std::string_view probe_step_tur = "TEST UNIT READY";

// A distinct ISID per probe (qualifier D from 0x8000 up), so a probe never
// reinstates the fuzzed session or another probe's.
std::uint64_t probe_isid(std::uint64_t isid) {
  static std::atomic<std::uint16_t> next{0};
  auto parts = pdu::split_isid(isid);
  parts.d = static_cast<std::uint16_t>(0x8000u | (next++ & 0x7fffu));
  return pdu::join_isid(parts);
}

probe_result lost(const conformance::observation& last) {
  return last.what == observed::timeout ? probe_result::stalled : probe_result::dropped;
}

probe_outcome finish(probe_outcome o, clock::time_point started) {
  o.took = std::chrono::duration_cast<milliseconds>(clock::now() - started);
  return o;
}

}  // namespace

probe_outcome probe(const conformance::target_config& target, milliseconds step_deadline) {
  const auto started = clock::now();
  conformance::timing times;
  times.wait = step_deadline;
  times.silence = step_deadline;
  // connect, the login's exchanges, the command, the logout: a few steps.
  times.hard = started + 4 * step_deadline;
  conformance::case_context ctx(target, times);
  auto options = ctx.normal_login();
  options.isid = probe_isid(options.isid);
  options.max_exchanges = 8;

  conformance::session s(target.portal, times);
  if (const auto ec = s.connect()) {
    const auto r = ec == asio::error::timed_out ? probe_result::stalled
                   : ec == asio::error::connection_refused ? probe_result::refused
                                                           : probe_result::dropped;
    return finish({r, std::string(probe_step_connect), ec.message()}, started);
  }
  const auto in = conformance::login(s, options);
  if (!in.ok()) {
    const auto r = in.how == conformance::login_ending::status ? probe_result::refused
                   : in.how == conformance::login_ending::transport ? lost(in.last)
                                                                    : probe_result::dropped;
    return finish({r, std::string(probe_step_login), in.summary()}, started);
  }
  conformance::scsi_request tur;
  tur.lun = target.lun;
  tur.cdb = conformance::cdb::test_unit_ready();
  const auto out = conformance::run_scsi(s, tur);
  if (out.how == conformance::task_ending::transport)
    return finish({lost(out.last), std::string(probe_step_tur), out.summary()}, started);
  // Any status (a unit attention too) or a Reject is an answer: served.
  const auto bye = conformance::logout(s);
  std::string detail = "TEST UNIT READY: " + out.summary();
  if (!bye.response) detail += "; no Logout Response: " + bye.last.describe();
  return finish({probe_result::served, "logout", detail}, started);
}

}  // namespace touchstone::fuzz::net
