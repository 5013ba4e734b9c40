// Status class 01: a target configured with "redirect" answers Normal logins
// naming it with "moved temporarily" (0101) or "moved permanently" (0102)
// and the TargetAddress values to go to, either at once or once the security
// negotiation is complete. Discovery sessions are served here as before.
#include <fmt/format.h>

#include "touchstone/pdu/login_response.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

//= rfc7143#section-11.13.5
//# A redirection response MAY be issued by a target prior to or after
//# completing a security negotiation if a security negotiation is required.
bool connection::redirect_due(pdu::login_stage csg) const {
  const auto& r = node_->config.redirect;
  if (!redirects_this_session()) return false;
  if (!r->after_security) return true;
  // Without CHAP an initiator may start in the operational stage: there is
  // no security negotiation to wait for then.
  return login_->security_done || (!login_->chap && csg == pdu::login_stage::operational_negotiation);
}

// "after-security": the request that completes security gets its answer
// (the target's mutual CHAP response included) with T=0, so the initiator
// sends one more request, which is redirected.
//= rfc7143#section-6.3.3
//# Even when the initiator indicates its intent to switch stages by setting
//# the T bit to 1 in a Login Request, the target MAY respond with a Login
//# Response with the T bit set to 0.
bool connection::hold_for_redirect() const {
  return redirects_this_session() && node_->config.redirect->after_security && login_->security_done;
}

// Normal sessions only: discovery is served here.
bool connection::redirects_this_session() const {
  return node_->config.redirect && login_->params.session_type == pdu::session_kind::normal;
}

//= rfc7143#section-11.13.5
//# All of the redirection Status-Class responses MUST return one or more text
//# key parameters of the type "TargetAddress", which indicates the target's
//# new address.
void connection::login_redirect() {
  const auto& r = *node_->config.redirect;
  const auto status = r.permanent ? pdu::login_status::target_moved_permanently
                                  : pdu::login_status::target_moved_temporarily;
  log_.once(peer_log::level::info,
            fmt::format("login to {} redirected ({:04x}) to {}", login_->params.target_name,
                        static_cast<unsigned>(status), fmt::join(r.addresses, " ")));
  pdu::text_pairs pairs;
  //= rfc7143#section-13.8
  //# If the TargetAddress is returned as the result of a redirect status in a
  //# Login Response, the comma and portal-group-tag MUST be omitted.
  // The config refuses an address with a tag (redirect_address_error).
  for (const auto& a : r.addresses) pairs.push_back({"TargetAddress", a});
  send(login_failure_response(status, pdu::encode_text(pairs)));
  //= rfc7143#section-11.13.5
  //# If the Status-Class is not 0, the initiator and target MUST close the TCP connection.
  close("login redirected");
}

}  // namespace touchstone::target
