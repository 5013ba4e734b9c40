// Persistent reservation state of one logical unit (private to scsi/src).
// Handlers work on a copy of the state and commit it whole (pr_out.cpp), so a
// failure (or a failed APTPL save) leaves the state untouched.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/scsi/command.hpp"
#include "touchstone/scsi/persistent_reservations.hpp"

namespace touchstone::scsi::pr {

//= spc4#6.15.3
//# SCOPE: 0h LU_SCOPE is the only scope not obsolete
inline constexpr std::uint8_t lu_scope = 0x0;

struct registration {
  it_nexus it;  // the I_T nexus that registered
  std::uint64_t key = 0;
  std::uint16_t relative_target_port = 1;
  //= spc4#6.16.3
  //# ALL_TG_PT=1: the registration holds for the initiator port on every target port
  bool all_tg_pt = false;
  bool covers(const it_nexus& n) const {
    return it.initiator_port == n.initiator_port && (all_tg_pt || it.target_port == n.target_port);
  }
  friend bool operator==(const registration&, const registration&) = default;
};

struct reservation {
  it_nexus holder;  // meaningless for the all registrants types
  pr_type type = pr_type::none;
  std::uint8_t scope = lu_scope;
  friend bool operator==(const reservation&, const reservation&) = default;
};

struct state {
  std::uint32_t generation = 0;
  bool aptpl = false;  // the last valid APTPL bit received
  std::vector<registration> registrations;
  std::optional<reservation> held;

  const registration* find(const it_nexus& it) const;
  registration* find(const it_nexus& it);
  bool registered(const it_nexus& it) const { return find(it) != nullptr; }
  bool is_holder(const it_nexus& it) const;
  pr_relation relation_of(const it_nexus& it) const;
  pr_type type() const { return held ? held->type : pr_type::none; }
  // The key READ RESERVATION reports: zero for the all registrants types.
  std::uint64_t holder_key() const;
  std::vector<it_nexus> registered_nexuses(const it_nexus* except = nullptr) const;
  friend bool operator==(const state&, const state&) = default;
};

// What a committed PERSISTENT RESERVE OUT does to other I_T nexuses.
struct effects {
  std::vector<std::pair<it_nexus, unit_attention>> uas;
  std::vector<registration> abort_tasks_of;  // PREEMPT AND ABORT
  void ua(const it_nexus& it, unit_attention u) { uas.emplace_back(it, u); }
  void ua_all(const std::vector<it_nexus>& its, unit_attention u) {
    for (const auto& it : its) ua(it, u);
  }
  void ua_all(const std::vector<registration>& regs, unit_attention u) {
    for (const auto& r : regs) ua(r.it, u);
  }
};

// Removes the registrations `drop` selects; a reservation whose holder lost
// its registration (or, all registrants types, whose last registrant went)
// is released. Returns the registrations removed.
template <class Pred>
std::vector<registration> remove_registrations(state& s, Pred drop) {
  std::vector<registration> removed;
  std::erase_if(s.registrations, [&](const registration& r) {
    if (!drop(r)) return false;
    removed.push_back(r);
    return true;
  });
  if (s.held) {
    //= spc4#5.13.11.3
    //# the holder unregistering releases the reservation; for the all registrants
    //# types only the removal of the last registration does
    const bool lost = is_all_registrants(s.held->type) ? s.registrations.empty()
                                                        : !s.registered(s.held->holder);
    if (lost) s.held.reset();
  }
  return removed;
}

// The PR state hung on the LU. Everything is guarded by the LU's execution lock.
class extension final : public lu_extension {
 public:
  access_decision check_access(const command_context& ctx) const override;

  state current;
  std::string aptpl_path;  // empty: APTPL not configured (PTPL_C=0)
  // Relative target port identifier -> target port name, for REGISTER AND MOVE.
  mutable std::map<std::uint16_t, std::string> target_ports;
  void saw(const nexus& nx) const { target_ports[nx.relative_target_port] = nx.it.target_port; }
};

extension& extension_of(command_context& ctx);

// APTPL persistence (pr_aptpl.cpp).
std::string serialize(const state& s);
std::optional<state> deserialize(const std::string& text);
bool save_atomically(const std::string& path, const std::string& contents);
bool remove_durably(const std::string& path);

// TransportIDs (pr_transport_id.cpp).
//= spc4#7.6.4.6
//# iSCSI TransportID: format 01b (name, ",i,0x", ISID) when the port name has
//# an ISID, else 00b (name only); NUL terminated, padded to a multiple of 4
byte_buffer transport_id_of(const std::string& initiator_port);
enum class transport_id_error : std::uint8_t { truncated, protocol, format, name };
struct parsed_transport_id {
  std::string initiator_port;
  std::size_t length = 0;  // bytes the TransportID occupies
};
result<parsed_transport_id, transport_id_error> parse_transport_id(bytes_view b);

}  // namespace touchstone::scsi::pr
