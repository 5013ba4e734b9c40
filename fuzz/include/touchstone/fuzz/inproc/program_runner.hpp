// Runs a session program (touchstone/fuzz/program.hpp) in-process against
// the reference target's connection core, the way fuzz/target_session.cpp
// drives it (fuzz/inproc/session_driver.hpp): the harness of
// fuzz/target_program.cpp. Every oracle of the driver applies; a departure
// abort()s (a libFuzzer crash).
//
// How a program maps onto the in-process session (docs/fuzzing.md,
// "target_program"):
//  - login normal/discovery: the driver's well-formed login (CHAP when the
//    plan says so, the target then requiring it) with the plan's ISID, TSIH,
//    CID and offers; a refused login ends the program (the target's right);
//    none/scripted: the steps start on the fresh connection;
//  - each step: delay_ms on the synthetic clock, follow numbering from the
//    core's own counters, encoded with the digests in force (a wrong one
//    when the plan says so), fed through the framer in its split pieces;
//    wait_answer=false holds the SCSI jobs it starts until after the next
//    step's PDU (so TMFs and Data-Out meet executing tasks);
//  - the target: ImmediateData=Yes, InitialR2T=No, queue depth 64, digests
//    optional; StatSN and CmdSN start at 1 as over TCP (the reference
//    target, the conformance engine), so recorded as_written steps fit.
#pragma once

#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz::inproc {

void run_program(const program& p);

}  // namespace touchstone::fuzz::inproc
