// PERSISTENT RESERVE OUT plumbing shared by the service actions (private).
// A service action works on `out.next`, a copy of the committed state, and
// names what the others must hear in `out.fx`; run_out() commits both
// (after the APTPL save, when APTPL is on) only if the action succeeded.
#pragma once

#include <optional>

#include "pr_state.hpp"

namespace touchstone::scsi::pr {

//= spc4#6.16.1
//# PERSISTENT RESERVE OUT service action codes
namespace service_action {
inline constexpr std::uint8_t register_key = 0x00;
inline constexpr std::uint8_t reserve = 0x01;
inline constexpr std::uint8_t release = 0x02;
inline constexpr std::uint8_t clear = 0x03;
inline constexpr std::uint8_t preempt = 0x04;
inline constexpr std::uint8_t preempt_and_abort = 0x05;
inline constexpr std::uint8_t register_and_ignore_existing_key = 0x06;
inline constexpr std::uint8_t register_and_move = 0x07;
}  // namespace service_action

// Why a service action did not complete.
struct failure {
  enum class kind : std::uint8_t {
    conflict,                  // RESERVATION CONFLICT status
    invalid_field_in_cdb,      // byte, bit
    invalid_field_in_list,     // byte, bit
    parameter_list_length,     // PARAMETER LIST LENGTH ERROR
    invalid_release,           // INVALID RELEASE OF PERSISTENT RESERVATION
    insufficient_resources,    // INSUFFICIENT REGISTRATION RESOURCES
  };
  kind what = kind::conflict;
  std::uint16_t byte = 0;
  std::optional<std::uint8_t> bit{};
};
inline failure conflict() { return {failure::kind::conflict}; }
inline failure bad_list_field(std::uint16_t byte, std::optional<std::uint8_t> bit = std::nullopt) {
  return {failure::kind::invalid_field_in_list, byte, bit};
}
inline failure bad_list_length() { return {failure::kind::parameter_list_length}; }
using outcome = result<void, failure>;

//= spc4#6.16.1
//# CDB: SERVICE ACTION (byte 1, bits 4:0), SCOPE (byte 2, bits 7:4), TYPE
//# (byte 2, bits 3:0), PARAMETER LIST LENGTH (bytes 5-8)
struct out_cdb {
  std::uint8_t scope = 0;
  pr_type type = pr_type::none;
  std::uint32_t parameter_list_length = 0;
};

//= spc4#6.16.3
//# basic parameter list (24 bytes): RESERVATION KEY (0-7), SERVICE ACTION
//# RESERVATION KEY (8-15), SPEC_I_PT (20.3), ALL_TG_PT (20.2), APTPL (20.0)
struct basic_list {
  std::uint64_t key = 0;
  std::uint64_t sa_key = 0;
  bool all_tg_pt = false;
  bool aptpl = false;
};
inline constexpr std::uint32_t basic_list_length = 24;

struct out_context {
  command_context& ctx;
  const extension& ext;
  out_cdb cdb;
  bytes_view list;  // the parameter list (exactly parameter_list_length bytes)
  state next;
  effects fx;
  const it_nexus& me() const { return ctx.nx.it; }
  // No room for one more registration (lu_config::max_pr_registrations).
  bool registrations_full() const {
    return next.registrations.size() >= ctx.lu->config().max_pr_registrations;
  }
  // RESERVATION KEY must match the caller's registration, else RESERVATION CONFLICT.
  outcome require_registered_with(std::uint64_t key) const;
  // APTPL=1 needs an APTPL file (PTPL_C=1).
  outcome check_aptpl(bool aptpl, std::uint16_t byte) const;
};

// The service actions (pr_register.cpp, pr_reserve.cpp, pr_preempt.cpp, pr_move.cpp).
outcome do_register(out_context& o, const basic_list& p, bool ignore_existing_key);
outcome do_reserve(out_context& o, const basic_list& p);
outcome do_release(out_context& o, const basic_list& p);
outcome do_clear(out_context& o, const basic_list& p);
outcome do_preempt(out_context& o, const basic_list& p, bool abort);
outcome do_register_and_move(out_context& o);

}  // namespace touchstone::scsi::pr
