// One target_session input (fuzz/target_session.hpp's format) run
// in-process: fuzz/target_session.cpp's body, shared with the tests.
#pragma once

#include <vector>

#include "login_snapshot.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::inproc {

// With the login bit, the driver comes logged in from `snapshots` (a copy of
// the scenario's snapshot), or, when `snapshots` is null, logs in on the
// input's own node; then the stream. Every oracle of session_driver.hpp
// applies; a departure aborts. `transcript`: every PDU the target sends
// after the login, appended (tests); null: none kept.
void run_session_input(pdu::bytes_view input, login_snapshots* snapshots,
                       std::vector<pdu::pdu>* transcript = nullptr);

}  // namespace touchstone::fuzz::inproc
