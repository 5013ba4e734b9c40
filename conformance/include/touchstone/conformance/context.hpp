// What a running case holds: the target's description, its time limits, and
// the sessions it opened (every case starts from fresh ones; all are closed
// when the case ends, and their traffic stays readable for reports).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "touchstone/conformance/case.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/conformance/scsi_task.hpp"
#include "touchstone/conformance/session.hpp"
#include "touchstone/conformance/session_group.hpp"
#include "touchstone/conformance/target.hpp"

namespace touchstone::conformance {

class case_context {
 public:
  case_context(const target_config& target, timing times);

  const target_config& target() const { return target_; }
  const timing& times() const { return times_; }

  // A new TCP connection to the portal; nullptr when it fails (setup_error
  // then says why).
  session* connect();
  // Login options for the configured target, with a fresh ISID.
  login_options normal_login();
  login_options discovery_login();
  // connect() then login(); nullptr when either fails.
  session* logged_in(const login_options& o);
  session* logged_in() { return logged_in(normal_login()); }
  // An empty session of several connections whose connections this
  // context opens (and keeps, for captures and findings).
  session_group group() {
    return session_group([this] { return connect(); });
  }

  // The error verdict for a case whose set-up failed, naming what was seen.
  verdict setup_error() const;
  // The same for a step inside the case: "what: last seen".
  verdict error_after(std::string_view what, const session& s) const;

  const std::vector<std::unique_ptr<session>>& sessions() const { return sessions_; }
  // Validator findings over every PDU the target sent in this case.
  std::vector<target_violation> violations() const;

 private:
  const target_config& target_;
  timing times_;
  std::vector<std::unique_ptr<session>> sessions_;
  std::string setup_problem_ = "no session was opened";
  std::uint16_t isid_qualifier_ = 1;
};

}  // namespace touchstone::conformance
