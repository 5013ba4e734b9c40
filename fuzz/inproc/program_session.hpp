// One session program on one connection of a node, a step at a time: what
// run_program runs alone and run_group runs several of, their turns
// interleaved (program_runner.hpp, group_runner.hpp). The mapping of a
// program onto the connection is program_runner.hpp's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "program_numbering.hpp"
#include "session_driver.hpp"
#include "touchstone/fuzz/inproc/group_runner.hpp"
#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz::inproc {

// The target and login a program asks for (ImmediateData=Yes, InitialR2T=No,
// queue depth 64, StatSN and CmdSN from 1).
ts::scenario scenario_for(const program& p);

class program_session {
 public:
  // `record`: where the answers go (tests), or null.
  program_session(const program& p, const ts::scenario& s, std::shared_ptr<target::target_node> node,
                  target::clock::time_point* clock = nullptr, session_record* record = nullptr);

  // Connects and logs in as the plan says, with `tsih` (the plan's, or the
  // one of the session it joins); false when the login was refused.
  bool open(std::uint16_t tsih);
  // Sends the next step; false once the connection is over.
  bool send_next();
  bool steps_left() const { return next_ < prog_.steps.size(); }
  bool over() const { return d_.closed(); }
  // The TSIH the target gave this session's login (0 before, or none).
  std::uint16_t tsih() const { return tsih_; }
  session_driver& driver() { return d_; }
  // The core ticked when another connection woke it; true when it closed then.
  bool poll_if_woken();

 private:
  const program& prog_;
  ts::scenario s_;
  session_driver d_;
  program_numbering numbers_;
  session_record* record_;
  std::size_t next_ = 0;
  std::uint16_t tsih_ = 0;
};

}  // namespace touchstone::fuzz::inproc
