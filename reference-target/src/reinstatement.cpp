// Session reinstatement (RFC 7143 section 6.3.5): a new session with the
// InitiatorName, ISID, TargetName and portal group tag of a live one ends the
// old one; and the end of a session another session asked to terminate.
#include <spdlog/spdlog.h>

#include "touchstone/target/connection.hpp"

namespace touchstone::target {

void connection::reinstate_session() {
  auto& directory = session_directory::of(*node_);
  const auto key = session_key(params_.initiator_name, isid_, params_.target_name,
                               node_->config.portal_group_tag);
  if (directory.reinstate(key, tsih_)) {
    spdlog::info("[{}] session {} reinstated", info_.remote, key);
    //= rfc7143#section-6.3.5.1
    //# The iSCSI layer provides the SCSI layer with the "I_T nexus loss"
    //# notification when any one of the following events happens: -
    //# successful completion of session reinstatement
    //= rfc7143#section-6.3.5
    //# Session reinstatement causes all the tasks that were active on the old
    //# session to be immediately terminated by the target without further
    //# notice to the initiator.
    if (node_->devices) node_->devices->it_nexus_lost(make_nexus(0).it);
  }
  terminate_ = directory.enroll(tsih_, key);
}

void connection::end_terminated_session() {
  switch (terminate_->load()) {
    case termination::reinstated:
      // The new session told the SCSI layer already (reinstate_session).
      reinstated_ = true;
      tasks_.clear();
      return close("session reinstated by a new login");
    case termination::target_reset:
      //= rfc7143#section-11.5.1
      //# the target MUST treat the TARGET COLD RESET function as a power-on
      //# event, thus terminating all of its TCP connections to all initiators
      return close("session terminated by TARGET COLD RESET");
    case termination::none: break;
  }
}

}  // namespace touchstone::target
