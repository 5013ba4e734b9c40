// Logout in a session of several connections (RFC 7143 section 11.14): a
// Logout Request may close another connection of the session (reason 1
// with its CID) or the whole session (reason 0: every connection ends).
// The other connections are ended from this core (the instance lock
// serialises the cores of a node) and woken to send their close.
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

// False when no other connection of the session has `cid` (CID not found).
bool connection::logout_other_connection(std::uint16_t cid) {
  //= rfc7143#section-11.15
  //# After Logout, the TCP connection referred by the CID MUST be closed at
  //# both ends (or all connections must be closed if the logout reason was
  //# session close).
  auto* other = session_ ? session_->find_connection(cid) : nullptr;
  if (other == nullptr || other == this) return false;
  other->end_by_other("logged out by a Logout on another connection");
  return true;
}

void connection::logout_other_connections() {
  for (auto* c : session_->connections())
    if (c != this) c->end_by_other("session closed by a Logout on another connection");
}

}  // namespace touchstone::target
