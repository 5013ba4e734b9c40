// The reference target embedded in another program (touchstone-conform's
// default, tests): one target node with in-memory LUNs, served on an
// ephemeral loopback port by a background thread until stop().
//
// The embedding process keeps its signal dispositions: the server's own
// SIGINT/SIGTERM/SIGHUP handling is not installed. A process that forks
// while the server runs keeps the target in the parent: children get only
// the forking thread and must only connect to the port, never touch the
// server object.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/pdu/result.hpp"
#include "touchstone/target/config.hpp"

namespace touchstone::target {

struct embedded_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port
  std::string iqn = std::string(default_iqn);
  // One in-memory LUN per entry, numbered from 0, sizes in bytes.
  std::vector<std::uint64_t> lun_sizes{64ull << 20};
  std::optional<chap_account> chap;         // the initiator must authenticate
  std::optional<chap_account> mutual_chap;  // the target's own, for mutual CHAP
  // The same for Discovery sessions (authenticated discovery when set).
  std::optional<chap_account> discovery_chap;
  std::optional<chap_account> discovery_mutual_chap;
  // The initiator names allowed to log in (empty: every initiator).
  std::vector<std::string> allowed_initiators;
  target_limits limits;  // discovery sessions' too
  unsigned io_threads = 1;  // threads serving the connections (server::run)
  // Deliberate departures (mutant.hpp): none unless asked for, and only in
  // builds with TOUCHSTONE_MUTANTS.
  mutant_set mutants;
  // spdlog level for the target's log lines: "off" keeps the embedding
  // program's output clean (trace, debug, info, warn, error, off).
  std::string log_level = "off";
};

class embedded_server {
 public:
  // Listens, creates the target and starts serving on a background thread.
  static result<std::unique_ptr<embedded_server>, std::string> start(const embedded_options& o);
  ~embedded_server();  // stop()
  embedded_server(const embedded_server&) = delete;
  embedded_server& operator=(const embedded_server&) = delete;

  const std::string& host() const;
  std::uint16_t port() const;
  const std::string& iqn() const;
  // "iscsi://127.0.0.1:PORT/IQN/LUN"
  std::string url(std::uint64_t lun = 0) const;

  // Closes every connection and joins the thread; idempotent.
  void stop();

 private:
  struct impl;
  explicit embedded_server(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace touchstone::target
