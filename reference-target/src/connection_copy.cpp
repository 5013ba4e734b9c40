// A logged-in connection copied onto a fresh node (connection.hpp): the fuzz
// harnesses' post-login snapshot (fuzz/inproc/login_snapshot.hpp) gives each
// input such a copy instead of running the login again.
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

connection::connection(const connection& from, std::shared_ptr<target_node> node,
                       session_directory::waker wake)
    : connection(from) {
  node_ = std::move(node);
  waker_ = std::move(wake);
  // The node-wide objects are node's. The log budget: at a level that
  // prints nothing, peer_log takes nothing from it, so a fresh one is as
  // from's was (peer_log.cpp, once()).
  log_.use_budget(node_->peer_log_budget);
  // A connection in the Full Feature Phase holds no login context; one
  // still in login would take node's CHAP challenges.
  if (login_ && login_->chap) login_->chap->use_log(node_->chap_challenges);
  if (!session_) return;
  // The session is the copy's own (its one connection this copy), and
  // what belongs to the node is node's: the TSIH, and the session's place
  // in the directory (reinstatement.cpp; a fresh node holds no session a
  // reinstatement would end).
  session_ = from.session_->copy_for(cid_, this);
  auto& links = session_->directory();
  links.terminate.reset();
  links.aborts.reset();
  if (session_->tsih() == 0) return;
  session_->set_tsih(node_->sessions.allocate());
  if (!from.session_->directory().terminate || session_->tsih() == 0) return;
  links.terminate = node_->directory.enroll(session_->tsih(), directory_key(),
                                            live_session{session_->isid(), cid_, session_params()}, waker_);
  links.terminate->store(from.session_->directory().terminate->load());
  links.aborts = node_->directory.notice(session_->tsih());
  if (session_params().session_type == pdu::session_kind::normal) node_->session_objects[session_->tsih()] = session_;
}

}  // namespace touchstone::target
