// The command table: opcode (+ service action) -> handler and properties.
//
// HOW TO ADD A COMMAND FAMILY
//   1. Write scsi/src/<family>.cpp. It defines its handlers (free functions
//      `response h(command_context&)`, in an anonymous namespace) and one
//          void register_<family>(command_table& t) {
//            t.add({.opcode = 0x12, .name = "INQUIRY", .cdb_length = 6,
//                   .flags = cmd_flag::runs_without_lu | cmd_flag::ua_exempt,
//                   .access = reservation_access::allowed, .run = inquiry});
//          }
//      A command with service actions adds one entry per service action
//      (.service_action = 0x10); the table answers an unknown service action
//      of a known opcode with INVALID FIELD IN CDB at the service action field.
//   2. Add ONE line at the registration point, scsi/src/registry.cpp: your
//      family's line is already there, commented out; uncomment it.
//   3. Tests in scsi/tests/<family>_test.cpp, tags [scsi][<family>]; the
//      helpers in scsi/tests/support.hpp build a server and check sense bytes.
//   Per-LU state a family needs (reservations, ...) lives in an lu_extension
//   (logical_unit.hpp), never in globals; its access check runs before every
//   command.
//
// What the core does before a handler runs (device_server::execute), in order:
//   LUN has no LU and the entry lacks runs_without_lu -> LOGICAL UNIT NOT SUPPORTED;
//   pending unit attention (unless ua_exempt)          -> UNIT ATTENTION;
//   unknown opcode / service action                    -> INVALID COMMAND OPERATION CODE /
//                                                         INVALID FIELD IN CDB;
//   CDB shorter than cdb_length                        -> INVALID FIELD IN CDB;
//   lu_extension::check_access says conflict           -> RESERVATION CONFLICT;
//   medium_access while stopped                        -> NOT READY;
//   writes_medium on a read-only LU or with SWP=1      -> DATA PROTECT, WRITE PROTECTED.
// Handlers check their own CDB fields; the data-in they return is then cut
// to the transport's expected length.
//
// ON A BLOCKING STORE (a file; device_server::submit) the same checks run
// under the LU's execution lock in arrival order, then: an entry with a
// `plan` (READ, WRITE, SYNCHRONIZE CACHE) says what I/O it needs and the
// device server does it off the lock and off the caller's thread; an entry
// flagged `store_io` without a plan runs whole on the store's threads, alone
// on the LU (after the I/O before it, before the commands after it); every
// other entry runs inline. Flag `store_io` on anything that calls the store
// or writes a file.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "touchstone/scsi/command.hpp"
#include "touchstone/scsi/io_plan.hpp"

namespace touchstone::scsi {

using command_handler = response (*)(command_context&);
// The asynchronous form of a handler (see ON A BLOCKING STORE above).
using command_planner = io_plan (*)(command_context&);

enum class cmd_flag : std::uint16_t {
  none = 0,
  runs_without_lu = 1U << 0,  // INQUIRY, REPORT LUNS, REQUEST SENSE on a LUN with no LU
  ua_exempt = 1U << 1,        // not blocked by a pending unit attention (sam5#5.14)
  medium_access = 1U << 2,    // NOT READY while the LU is stopped (START STOP UNIT)
  writes_medium = 1U << 3,    // WRITE PROTECTED on a read-only LU or with SWP=1
  data_out = 1U << 4,         // takes a data-out buffer
  data_in = 1U << 5,          // returns a data-in buffer
  store_io = 1U << 6,         // calls the store (or writes a file): never on a caller's thread
};
constexpr cmd_flag operator|(cmd_flag a, cmd_flag b) {
  return static_cast<cmd_flag>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
constexpr bool has(cmd_flag set, cmd_flag f) {
  return (static_cast<std::uint16_t>(set) & static_cast<std::uint16_t>(f)) != 0;
}

//= spc4#5.13.1 table 52
//# how a command fares against a reservation held through another I_T nexus
enum class reservation_access : std::uint8_t {
  allowed,    // never conflicts (INQUIRY, REPORT LUNS, REQUEST SENSE, TUR, READ CAPACITY, ...)
  reads,      // conflicts under Exclusive Access types only
  writes,     // conflicts under Write Exclusive and Exclusive Access types
  own_rules,  // the handler applies its own rules (PERSISTENT RESERVE, RESERVE/RELEASE)
};

struct command_entry {
  std::uint8_t opcode = 0;
  std::optional<std::uint16_t> service_action{};
  std::string_view name{};
  std::uint8_t cdb_length = 6;
  cmd_flag flags = cmd_flag::none;
  reservation_access access = reservation_access::writes;
  command_handler run = nullptr;
  command_planner plan = nullptr;
  // For REPORT SUPPORTED OPERATION CODES: CDB usage bits (empty: all bits of
  // cdb_length bytes are reported usable) and the timeouts descriptor.
  std::array<std::uint8_t, 16> usage{};
  std::uint32_t nominal_timeout = 0;
  std::uint32_t recommended_timeout = 0;
};

// Where a service action lives in a CDB of this opcode (spc4#4.2.5).
struct service_action_field {
  std::uint16_t byte;
  std::uint8_t top_bit;
  std::uint16_t mask;
};
std::optional<service_action_field> service_action_field_of(std::uint8_t opcode);
std::uint16_t service_action_of(bytes_view cdb);

class command_table {
 public:
  enum class lookup_error : std::uint8_t { unknown_opcode, unknown_service_action, short_cdb };

  // Duplicate (opcode, service action) pairs are kept out and listed in conflicts().
  void add(const command_entry& e);
  result<const command_entry*, lookup_error> find(bytes_view cdb) const;
  const command_entry* find(std::uint8_t opcode, std::optional<std::uint16_t> sa) const;
  bool knows_opcode(std::uint8_t opcode) const { return !by_opcode_[opcode].empty(); }
  // Every entry, ordered by opcode then service action.
  std::vector<const command_entry*> entries() const;
  const std::vector<command_entry>& conflicts() const { return conflicts_; }

 private:
  std::array<std::vector<command_entry>, 256> by_opcode_{};
  std::vector<command_entry> conflicts_;
};

// The registration point: every family's register_<family>() (registry.cpp).
void register_builtin_commands(command_table& t);
command_table builtin_command_table();
// The built-in table, built on first use and shared (every device_server()
// holds it); nothing writes a table after it is built.
std::shared_ptr<const command_table> shared_builtin_command_table();

}  // namespace touchstone::scsi
