// The post-login snapshots of the in-process harnesses (docs/fuzzing.md,
// "target_session"). Most inputs start with the well-formed login, the same
// negotiation for the same scenario every time; running it made up most of
// the harness's own time and touched a few thousand coverage features per
// input, which libFuzzer's bookkeeping pays for. Instead, the login runs
// once per scenario on a node of its own, and every input that asks for it
// gets a copy of the logged-in driver on a fresh node (session_driver's
// copy, connection.hpp's copy onto a node). The snapshot itself is never
// fed: nothing one input does reaches the next, and an input run alone
// copies the same snapshot it would have copied after any other
// (inproc_snapshot_test.cpp compares the transcripts).
#pragma once

#include <cstddef>
#include <map>
#include <memory>

#include "session_driver.hpp"

namespace touchstone::fuzz::inproc {

class login_snapshots {
 public:
  // At most `capacity` scenarios kept; past it the kept ones are dropped
  // (each holds a node with its 32 KiB LU).
  explicit login_snapshots(std::size_t capacity = 256) : capacity_(capacity) {}

  // The driver for `s` logged in as log_in(d, s) logs in on make_node(s),
  // taken on the first call for its key: s with chunked and auto_number
  // cleared (only the harness's stream feeding reads those). Null when that
  // login did not reach the Full Feature Phase.
  const session_driver* logged_in(const ts::scenario& s);
  std::size_t size() const { return kept_.size(); }

 private:
  std::size_t capacity_;
  std::map<ts::scenario, std::unique_ptr<session_driver>> kept_;
};

}  // namespace touchstone::fuzz::inproc
