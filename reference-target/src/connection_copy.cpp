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
  terminate_.reset();
  aborts_.reset();
  if (tsih_ == 0) return;
  // What enter_full_feature did on from's node: the TSIH, and the
  // session's place in the directory (reinstatement.cpp; a fresh node
  // holds no session a reinstatement would end).
  tsih_ = node_->sessions.allocate();
  if (!from.terminate_ || tsih_ == 0) return;
  terminate_ = node_->directory.enroll(tsih_, directory_key(), live_session{isid_, cid_, params_}, waker_);
  terminate_->store(from.terminate_->load());
  aborts_ = node_->directory.notice(tsih_);
}

}  // namespace touchstone::target
