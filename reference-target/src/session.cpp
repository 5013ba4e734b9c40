// The session: its connections by CID, its task set and the command-window
// slots its tasks hold (session.hpp).
#include "touchstone/target/session.hpp"

namespace touchstone::target {

pdu::session_parameters session_wide(const pdu::session_parameters& p) {
  const pdu::session_parameters defaults;
  auto out = p;
  out.header_digest = defaults.header_digest;
  out.data_digest = defaults.data_digest;
  out.max_recv_data_segment_length = defaults.max_recv_data_segment_length;
  out.max_send_data_segment_length = defaults.max_send_data_segment_length;
  return out;
}

session::session(std::uint16_t tsih, std::uint64_t isid, const pdu::session_parameters& params,
                 cmdsn_window window)
    : tsih_(tsih), isid_(isid), params_(session_wide(params)), window_(std::move(window)) {
  connections_.reserve(std::min<std::size_t>(max_connections(), 4));
}

std::shared_ptr<session> session::copy_for(std::uint16_t cid, connection* only) const {
  auto copy = std::make_shared<session>(*this);
  copy->connections_.clear();
  copy->connections_.push_back({cid, only});
  return copy;
}

bool session::join(std::uint16_t cid, connection* c) {
  //= rfc7143#section-13.2
  //# The initiator and target negotiate the maximum number of connections
  //# requested/acceptable.
  if (connections_.size() >= max_connections() || find_connection(cid) != nullptr) return false;
  connections_.push_back({cid, c});
  return true;
}

std::size_t session::leave(std::uint16_t cid) {
  std::erase_if(connections_, [&](const member& m) { return m.cid == cid; });
  return connections_.size();
}

connection* session::find_connection(std::uint16_t cid) const {
  const auto it = std::find_if(connections_.begin(), connections_.end(),
                               [&](const member& m) { return m.cid == cid; });
  return it == connections_.end() ? nullptr : it->conn;
}

task& session::add_task(task t) {
  const auto itt = t.itt;
  auto& stored = tasks_.emplace(itt, std::move(t)).first->second;
  //= rfc7143#section-4.2.2.1
  //# The queuing capacity of the receiving iSCSI layer is MaxCmdSN - ExpCmdSN + 1.
  // A non-immediate command holds its slot until its task ends (end_task).
  if (!stored.immediate) window_.occupy();
  return stored;
}

void session::end_task(std::uint32_t itt) {
  const auto it = tasks_.find(itt);
  if (it == tasks_.end()) return;
  if (!it->second.immediate) window_.vacate();
  tasks_.erase(it);
}

task* session::find_task_by_job(std::uint64_t job) {
  const auto it = std::find_if(tasks_.begin(), tasks_.end(), [&](const auto& kv) { return kv.second.job == job; });
  return it == tasks_.end() ? nullptr : &it->second;
}

}  // namespace touchstone::target
