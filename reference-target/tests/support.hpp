// Test helpers: a target node with one memory LU and an in-process driver
// for the connection core (no sockets): it feeds PDUs, runs the SCSI jobs the
// core asks for synchronously, and collects what the core sends.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/text.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target::test {

inline constexpr std::string_view initiator_iqn = "iqn.2026-11.org.touchstone:initiator";

// A config that offers what the MC/S and ERL 1 tests need (both are off
// by default: limits.max_connections_per_session 1, limits.max_erl 0).
inline target_config mcs_config(std::uint32_t connections = 4) {
  target_config c;
  c.limits.max_connections_per_session = connections;
  return c;
}
inline target_config erl1_config() {
  target_config c;
  c.limits.max_erl = 1;
  return c;
}

inline std::shared_ptr<target_node> make_node(target_config config = {},
                                             std::uint64_t blocks = 2048) {
  auto node = std::make_shared<target_node>();
  if (config.portals.empty()) config.portals = {"127.0.0.1:3260"};
  node->config = std::move(config);
  node->devices = std::make_shared<scsi::device_server>();
  scsi::lu_config lu;
  lu.lun = 0;
  node->devices->add_lu(std::make_shared<scsi::logical_unit>(
      lu, std::shared_ptr<scsi::block_store>(scsi::make_memory_store(512, blocks))));
  return node;
}

inline pdu::byte_buffer text(const pdu::text_pairs& pairs) { return pdu::encode_text(pairs); }

// The PDUs one driver step produced, and whether the core asked to close.
struct step {
  std::vector<pdu::pdu> sent;
  bool closed = false;
  std::vector<execute_scsi> jobs;  // jobs held back (run_jobs = false)
};

class driver {
 public:
  // `remote`: the peer's address as the core logs it ("[test] ...");
  // `portal`: the target's address the connection reached.
  explicit driver(std::shared_ptr<target_node> node = make_node(), std::string remote = "test",
                  clock::time_point now = clock::now(), std::string portal = "127.0.0.1:3260")
      : node_(std::move(node)),
        conn_(node_, connection_info{std::move(portal), std::move(remote), 100}, now) {}

  // A Login or Text Request with ExpStatSN 0 goes out acknowledging every
  // status sent so far, as an initiator that has read them does: the
  // target answers one that does not as a second outstanding request
  // (sections 6.2, 6.3). A test that sets ExpStatSN gets what it set.
  step feed(const pdu::pdu& p, bool run_jobs = true) {
    const bool exchange = p.op() == pdu::opcode::login_request || p.op() == pdu::opcode::text_request;
    if (exchange && p.header().u32(28) == 0 && exp_stat_sn_ != 0) {
      auto acknowledging = p;
      pdu::store_be32(&acknowledging.bhs[28], exp_stat_sn_);
      conn_.on_pdu(acknowledging, clock::now());
    } else {
      conn_.on_pdu(p, clock::now());
    }
    return drain(run_jobs);
  }
  step drain(bool run_jobs = true) {
    step out;
    for (bool more = true; more;) {
      more = false;
      for (auto& a : conn_.take_actions()) {
        if (auto* s = std::get_if<send_pdu>(&a)) {
          track_stat_sn(s->pdu);
          out.sent.push_back(std::move(s->pdu));
        }
        if (std::get_if<close_connection>(&a)) out.closed = true;
        if (auto* j = std::get_if<execute_scsi>(&a)) {
          if (!run_jobs) {
            out.jobs.push_back(std::move(*j));
            continue;
          }
          conn_.on_scsi_done(j->job, node_->devices->execute(j->nexus, j->request()));
          more = true;
        }
      }
    }
    return out;
  }

  connection& core() { return conn_; }
  target_node& node() { return *node_; }
  // The next StatSN after the statuses sent so far: the ExpStatSN of an
  // initiator that has read them all.
  std::uint32_t exp_stat_sn() const { return exp_stat_sn_; }

 private:
  void track_stat_sn(const pdu::pdu& p) {
    using pdu::opcode;
    const auto op = p.op();
    const bool status = op == opcode::scsi_response || op == opcode::task_mgmt_response ||
                        op == opcode::text_response || op == opcode::login_response ||
                        op == opcode::logout_response || op == opcode::reject || op == opcode::async_message ||
                        (op == opcode::nop_in && p.header().initiator_task_tag() != pdu::reserved_tag) ||
                        (op == opcode::data_in && (p.bhs[1] & 0x01) != 0);
    if (status) exp_stat_sn_ = p.header().u32(24) + 1;
  }
  std::uint32_t exp_stat_sn_ = 0;
  std::shared_ptr<target_node> node_;
  connection conn_;
};

// A login request in the given stage; the defaults make a leading login.
inline pdu::login_request_builder login(pdu::login_stage csg, const pdu::text_pairs& pairs) {
  pdu::login_request_builder b;
  b.csg(csg).isid(0x80123456789aULL).initiator_task_tag(7).cmd_sn(10).cid(1).data(text(pairs));
  return b;
}

inline pdu::text_pairs parse(const pdu::pdu& p) {
  auto r = pdu::parse_text(pdu::bytes_view(p.data));
  REQUIRE(r.has_value());
  return *r;
}

inline const std::string* find_key(const pdu::text_pairs& pairs, std::string_view key) {
  for (const auto& kv : pairs)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

// Logs in a Normal session (AuthMethod None, straight to the Full Feature Phase).
inline step login_normal(driver& d, pdu::text_pairs extra = {}) {
  pdu::text_pairs pairs{{"InitiatorName", std::string(initiator_iqn)},
                        {"TargetName", d.node().config.iqn},
                        {"SessionType", "Normal"}};
  pairs.insert(pairs.end(), extra.begin(), extra.end());
  return d.feed(login(pdu::login_stage::operational_negotiation, pairs)
                    .transit_to(pdu::login_stage::full_feature_phase)
                    .build());
}

}  // namespace touchstone::target::test

namespace touchstone::target::test {

inline pdu::byte_buffer cdb10(std::uint8_t op, std::uint32_t lba, std::uint16_t blocks) {
  pdu::byte_buffer c(10, 0);
  c[0] = op;
  pdu::store_be32(&c[2], lba);
  pdu::store_be16(&c[7], blocks);
  return c;
}
inline pdu::byte_buffer read10(std::uint32_t lba, std::uint16_t blocks) { return cdb10(0x28, lba, blocks); }
inline pdu::byte_buffer write10(std::uint32_t lba, std::uint16_t blocks) { return cdb10(0x2a, lba, blocks); }

inline pdu::login_status status_of(const step& s) {
  REQUIRE(!s.sent.empty());
  REQUIRE(s.sent.back().op() == pdu::opcode::login_response);
  return pdu::login_response_view(s.sent.back()).status();
}

}  // namespace touchstone::target::test

namespace touchstone::target::test {

// The InitiatorName and TargetName of a login to a default node.
inline const pdu::text_pairs login_names{{"InitiatorName", std::string(initiator_iqn)},
                                         {"TargetName", std::string(default_iqn)}};

// The I_T nexus of login_normal's session on a default node.
inline const scsi::it_nexus test_it{std::string(initiator_iqn) + ",i,0x80123456789a",
                                    std::string(default_iqn) + ",t,0x0001"};

// A login with session `tsih`'s ISID and TSIH on connection `cid`, straight
// to the Full Feature Phase: a connection joining the session (a new CID) or
// reinstating one (a CID the session holds).
inline step join_login(driver& d, std::uint16_t tsih, std::uint16_t cid, std::uint32_t cmd_sn,
                       const pdu::text_pairs& pairs = login_names) {
  return d.feed(login(pdu::login_stage::operational_negotiation, pairs)
                    .tsih(tsih)
                    .cid(cid)
                    .cmd_sn(cmd_sn)
                    .transit_to(pdu::login_stage::full_feature_phase)
                    .build());
}

// A READ(10) of block 0 (512 bytes).
inline pdu::pdu read_block0(std::uint32_t itt, std::uint32_t cmd_sn) {
  return pdu::scsi_command_builder()
      .initiator_task_tag(itt)
      .cmd_sn(cmd_sn)
      .cdb(read10(0, 1))
      .read()
      .expected_data_transfer_length(512)
      .build();
}

// Clears the unit attentions (POWER ON OCCURRED, ...) the first command of
// the test I_T nexus would see on `lu`.
inline void clear_uas(scsi::logical_unit& lu) {
  lu.touch(test_it);
  while (lu.pop_ua(test_it)) {
  }
}

// Two connections of one session (MaxConnections=2, limits allowing 4):
// CIDs 1 and 2, the LU's start-up unit attentions cleared.
struct two_connections {
  std::shared_ptr<target_node> node = make_node(mcs_config());
  driver a{node, "a"};
  driver b{node, "b"};
  std::uint16_t tsih = 0;
  two_connections() {
    auto s = login_normal(a, {{"MaxConnections", "2"}});
    REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
    clear_uas(*node->devices->find_lu(0));
    tsih = a.core().tsih();
    REQUIRE(pdu::login_response_view(join_login(b, tsih, 2, 10).sent.at(0)).status() ==
            pdu::login_status::success);
  }
};

// The CHAP_R (encoded) that `secret` gives to the CHAP_I and CHAP_C of
// `challenge`.
inline std::string chap_response_to(const pdu::text_pairs& challenge, std::string_view secret) {
  const auto id = pdu::parse_chap_identifier(*find_key(challenge, "CHAP_I"));
  const auto c = pdu::parse_chap_binary(*find_key(challenge, "CHAP_C"));
  REQUIRE(id);
  REQUIRE(c);
  const auto r = pdu::chap_response(
      *id, pdu::bytes_view(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size()), *c);
  REQUIRE(r);
  return pdu::encode_chap_binary(*r);
}

// login_normal, checked to reach the Full Feature Phase, then LU 0's unit
// attentions cleared.
inline void logged_in(driver& d, pdu::text_pairs keys = {}) {
  auto s = login_normal(d, std::move(keys));
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
  clear_uas(*d.node().devices->find_lu(0));
}

}  // namespace touchstone::target::test
