// The recovery probe: one login offering ErrorRecoveryLevel=2 and
// MaxConnections=4, and what the target made of the offer.
#include "touchstone/conformance/recovery_probe.hpp"

#include "touchstone/conformance/context.hpp"
#include "touchstone/conformance/requests.hpp"
#include "touchstone/conformance/session_group.hpp"

namespace touchstone::conformance {

//= rfc7143#section-13.20
//# ErrorRecoveryLevel=<numerical-value-0-to-2>
//= rfc7143#section-13.2
//# MaxConnections=<numerical-value-from-1-to-65535>
// The results are Minimum (sections 13.2, 13.20): what comes back is the
// most the target will do on a session of ours.
recovery_capability probe_recovery(const target_config& target, const timing& times) {
  case_context ctx(target, times);
  session_group group([&] { return ctx.connect(); });
  const auto out = group.lead(with_recovery(ctx.normal_login(), probe_erl, probe_max_connections));
  recovery_capability found;
  if (!out.ok()) {
    found.problem = group.last_opened() ? out.summary() : ctx.setup_error().message;
    return found;
  }
  found.probed = true;
  found.error_recovery_level = group.negotiated().error_recovery_level;
  found.max_connections = group.negotiated().max_connections;
  (void)logout(group.at(0), pdu::logout_reason::close_session, after_logout::leave);
  return found;
}

}  // namespace touchstone::conformance
