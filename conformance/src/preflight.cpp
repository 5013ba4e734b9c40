// The preflight: one normal session through the engine (session, login,
// run_scsi) before any case, and what went wrong in words.
#include "touchstone/conformance/preflight.hpp"

#include <algorithm>
#include <asio/error.hpp>
#include <cstdio>

#include "touchstone/conformance/cdb.hpp"
#include "touchstone/conformance/context.hpp"
#include "touchstone/conformance/requests.hpp"

namespace touchstone::conformance {

namespace {

std::string where(const target_config& t) { return t.portal.host + ":" + std::to_string(t.portal.port); }

std::string seconds(milliseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(d.count()) / 1000);
  return text;
}

std::string connect_problem(const target_config& t, const timing& times, std::error_code ec) {
  if (ec == asio::error::connection_refused)
    return "cannot connect to " + where(t) + ": connection refused (is a target listening on that port?)";
  if (ec == asio::error::timed_out)
    return "nothing answered at " + where(t) + " within " + seconds(times.wait) +
           " (a firewall, or a host that is down?)";
  return "cannot connect to " + where(t) + ": " + ec.message();
}

std::string login_status_problem(const target_config& t, const login_outcome& o) {
  const auto code = o.summary();
  switch (o.status) {
    //= rfc7143#section-11.13.5
    //# The requested ITN does not
    //# ... exist at this address.
    case pdu::login_status::not_found:
      return "the target at " + where(t) + " has no target named " + t.target_name + " (" + code +
             "); list its targets with: iscsi-ls -s iscsi://" + where(t);
    //= rfc7143#section-11.13.5
    //# The initiator could not be
    //# ... successfully authenticated or target
    //# ... authentication is not supported.
    case pdu::login_status::authentication_failure:
      if (!t.chap)
        return t.target_name + " requires CHAP (" + code + "): put the account in the URL: iscsi://user%secret@" +
               where(t) + "/" + t.target_name + "/" + std::to_string(t.lun);
      return "CHAP authentication as " + t.chap->user + " to " + t.target_name + " failed (" + code +
             "): check the user and secret in the URL" + (t.chap->mutual() ? " and the mutual CHAP account" : "");
    //= rfc7143#section-11.13.5
    //# The initiator is not allowed access
    //# ... to the given target.
    case pdu::login_status::authorization_failure:
      return "the initiator " + t.initiator_name + " is not allowed to log in to " + t.target_name + " (" + code +
             "): allow it on the target, or give an allowed name with --initiator-name";
    default: return "the target refused the login to " + t.target_name + ": " + code;
  }
}

std::string login_problem(const target_config& t, const timing& times, const login_outcome& o) {
  if (o.how == login_ending::status) return login_status_problem(t, o);
  if (o.how == login_ending::transport && o.last.what == observed::timeout)
    return where(t) + " accepted the connection but did not answer the login within " + seconds(times.wait) +
           " (is it an iSCSI target?)";
  return "the login to " + t.target_name + " at " + where(t) + " failed: " + o.summary();
}

// The LUNs REPORT LUNS (sent to the LUN under test) lists; false if it failed.
// spc4#section-6.33 (from memory): a 4-byte list length, 4 reserved bytes,
// then 8 bytes per LUN; sam5 single-level peripheral (00b) or flat (01b).
bool reported_luns(session& s, std::uint16_t lun, std::vector<unsigned>& luns) {
  scsi_request r;
  r.lun = lun;
  r.cdb = cdb::report_luns(4096);
  r.read = true;
  r.expected_length = 4096;
  const auto out = run_scsi(s, r);
  if (!out.good() || out.data.size() < 8) return false;
  const auto length = std::min<std::size_t>(pdu::load_be32(out.data.data()), out.data.size() - 8);
  for (std::size_t i = 8; i + 8 <= 8 + length; i += 8) {
    const auto method = out.data[i] >> 6;
    if (method == 0) luns.push_back(out.data[i + 1]);
    if (method == 1) luns.push_back(((out.data[i] & 0x3fu) << 8) | out.data[i + 1]);
  }
  return true;
}

std::string lun_problem(session& s, const target_config& t, std::uint16_t lun, const scsi_outcome& failed) {
  const auto f = parse_sense(failed.sense);
  std::vector<unsigned> luns;
  // Sent to the LUN in question, then to the URL's LUN (a target may
  // answer REPORT LUNS only on a LUN it has).
  const bool listed = reported_luns(s, lun, luns) || (lun != t.lun && reported_luns(s, t.lun, luns)) ||
                      (lun != 0 && t.lun != 0 && reported_luns(s, 0, luns));
  const bool absent = listed && std::find(luns.begin(), luns.end(), lun) == luns.end();
  // sam5 (from memory): ASC 0x25 ASCQ 0x00 is LOGICAL UNIT NOT SUPPORTED.
  if (!(f && f->asc == 0x25 && f->ascq == 0x00) && !absent)
    return "READ CAPACITY(10) on LUN " + std::to_string(lun) + " of " + t.target_name + " failed: " + failed.summary();
  std::string text = t.target_name + " has no LUN " + std::to_string(lun) + " (LOGICAL UNIT NOT SUPPORTED)";
  if (!listed) return text;
  text += "; REPORT LUNS lists:";
  for (const auto l : luns) text += " " + std::to_string(l);
  return luns.empty() ? text + " none" : text;
}

// READ CAPACITY(10) on `lun`, past up to two unit attentions; empty if good.
std::string check_lun(session& s, const target_config& t, std::uint16_t lun) {
  scsi_request r;
  r.lun = lun;
  r.cdb = cdb::read_capacity10();
  r.read = true;
  r.expected_length = 8;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto out = run_scsi(s, r);
    if (out.good()) return {};
    if (!out.completed())
      return "READ CAPACITY(10) on LUN " + std::to_string(lun) + " got no status: " + out.summary();
    if (const auto f = parse_sense(out.sense); !f || f->key != 0x6) return lun_problem(s, t, lun, out);  // not UNIT ATTENTION
  }
  return "READ CAPACITY(10) on LUN " + std::to_string(lun) + " met unit attentions three times";
}

}  // namespace

preflight_outcome preflight(const target_config& target, const timing& times) {
  case_context ctx(target, times);  // for its login options (fresh ISID)
  session s(target.portal, times);
  if (const auto ec = s.connect()) return {false, connect_problem(target, times, ec)};
  const auto in = login(s, ctx.normal_login());
  if (!in.ok()) return {false, login_problem(target, times, in)};
  auto problem = check_lun(s, target, target.lun);
  if (problem.empty() && target.second_lun) problem = check_lun(s, target, *target.second_lun);
  (void)logout(s);
  return {problem.empty(), problem};
}

}  // namespace touchstone::conformance
