// Helpers of the MC/S and recovery cases (mcs_*.cpp, recovery_*.cpp): a
// session of two connections, a Logout naming a CID, a WRITE and READ of one
// block outside the LBAs other cases use.
#pragma once

#include "numbering_helpers.hpp"
#include "touchstone/conformance/session_group.hpp"

namespace touchstone::conformance::cases {

// A session whose leading login offered `erl` and `max_connections`;
// `connections` of them logged in (the rest joined with new CIDs). problem
// is a skip when the session negotiated too few connections, an error when
// a login failed.
struct group_session {
  session_group group;
  verdict problem = verdict::pass();
  bool ok() const { return problem.kind == verdict_kind::pass; }
};
group_session connected_group(case_context& ctx, std::size_t connections, std::uint32_t max_connections = 2,
                              std::uint8_t erl = 0);

// A Logout Request on `s` with `reason` naming `cid` (immediate when asked:
// it then takes no CmdSN and waits behind no hole), and its answer.
pdu::pdu logout_request_for(session& s, pdu::logout_reason reason, std::uint16_t cid, bool immediate);

// The LBA the MC/S ordering cases write: away from LBA 0, where the other
// write cases work, so that cases beside them under --jobs do not meet.
inline constexpr std::uint32_t mcs_lba = 0x1c00;

// One block of `data` written at mcs_lba, or read from it.
scsi_request write_block(const case_context& ctx, const pdu::byte_buffer& data);
scsi_request read_block(const case_context& ctx, std::uint32_t block);

// Data-In bytes placed by Buffer Offset (a task finish_task followed).
pdu::byte_buffer data_of(const scsi_outcome& out, std::size_t length);

// A Login Response's status as "0x0206".
std::string status_text(pdu::login_status s);

}  // namespace touchstone::conformance::cases
