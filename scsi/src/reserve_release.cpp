// SPC-2 RESERVE(6)/(10) and RELEASE(6)/(10): one logical-unit reservation
// held by one I_T nexus. Obsolete since SPC-3, still sent by initiators.
// Under a persistent reservation or registration the PR access table
// (pr_access.cpp, spc4#5.13.3) decides before these handlers run: RESERVE
// conflicts, RELEASE from the holder or a registrant gets here and, holding
// no SPC-2 reservation, completes GOOD with no effect.
#include <array>
#include <optional>

#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi {
namespace {

//= spc2#5.5.1
//# the commands another I_T nexus may still send to a reserved logical unit:
//# INQUIRY, REQUEST SENSE, REPORT LUNS, and RELEASE (which then does nothing)
constexpr std::array<std::uint8_t, 5> allowed_for_others = {0x12, 0x03, 0xA0, 0x17, 0x57};

class spc2_reservation final : public lu_extension {
 public:
  std::optional<it_nexus> holder;

  access_decision check_access(const command_context& ctx) const override {
    if (!holder || *holder == ctx.nx.it) return access_decision::allowed;
    for (std::uint8_t op : allowed_for_others)
      if (ctx.entry.opcode == op) return access_decision::allowed;
    //= spc2#5.5.1
    //# any other command from another I_T nexus: RESERVATION CONFLICT
    return access_decision::reservation_conflict;
  }

  void on_event(logical_unit&, const lu_event& ev) override {
    switch (ev.kind) {
      case lu_event_kind::logical_unit_reset:
        //= spc2#5.5.1
        //# a reset (LOGICAL UNIT RESET, power on) releases the reservation
        holder.reset();
        return;
      case lu_event_kind::it_nexus_loss:
        //= spc4#5.13.3 (spc2#7.21)
        //# the reservation ends with the loss of the holder's I_T nexus
        if (ev.it != nullptr && holder && *holder == *ev.it) holder.reset();
        return;
    }
  }
};

//= spc2#7.21.1
//# RESERVE(6): byte 1 bit 0 (EXTENT, obsolete) - extent reservations are not
//# supported; RESERVE(10)/RELEASE(10): 3RDPTY byte 1 bit 4, LONGID bit 1 -
//# third-party reservations are not supported
std::optional<response> check_cdb(const command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  if (ctx.entry.cdb_length == 10) {
    if (get_bit(cdb, 1, 4)) return ctx.invalid_field_in_cdb(1, 4);
    if (get_bit(cdb, 1, 1)) return ctx.invalid_field_in_cdb(1, 1);
  }
  if (get_bit(cdb, 1, 0)) return ctx.invalid_field_in_cdb(1, 0);
  return std::nullopt;
}

response reserve(command_context& ctx) {
  if (auto bad = check_cdb(ctx)) return *bad;
  auto& r = ctx.lu->extension<spc2_reservation>();
  //= spc2#7.21.1
  //# reserved through another I_T nexus: RESERVATION CONFLICT; by this one, the
  //# new reservation supersedes the old (GOOD)
  if (r.holder && *r.holder != ctx.nx.it) return ctx.reservation_conflict();
  r.holder = ctx.nx.it;
  return ctx.good();
}

response release(command_context& ctx) {
  if (auto bad = check_cdb(ctx)) return *bad;
  auto* r = ctx.lu->find_extension<spc2_reservation>();
  //= spc2#7.17.1
  //# RELEASE from the holder ends the reservation; from any other I_T nexus, or
  //# with none held, it completes GOOD and changes nothing (no unit attention)
  if (r != nullptr && r->holder && *r->holder == ctx.nx.it) r->holder.reset();
  return ctx.good();
}

}  // namespace

void register_reserve_release(command_table& t) {
  constexpr auto flags = cmd_flag::none;
  t.add({.opcode = 0x16, .name = "RESERVE(6)", .cdb_length = 6, .flags = flags,
         .access = reservation_access::own_rules, .run = reserve,
         .usage = {0x16, 0x00, 0x00, 0x00, 0x00, 0x00}});
  t.add({.opcode = 0x17, .name = "RELEASE(6)", .cdb_length = 6, .flags = flags,
         .access = reservation_access::own_rules, .run = release,
         .usage = {0x17, 0x00, 0x00, 0x00, 0x00, 0x00}});
  t.add({.opcode = 0x56, .name = "RESERVE(10)", .cdb_length = 10, .flags = flags,
         .access = reservation_access::own_rules, .run = reserve,
         .usage = {0x56, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}});
  t.add({.opcode = 0x57, .name = "RELEASE(10)", .cdb_length = 10, .flags = flags,
         .access = reservation_access::own_rules, .run = release,
         .usage = {0x57, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}});
}

}  // namespace touchstone::scsi
