// Opcode / service action lookup.
#include "touchstone/scsi/command_table.hpp"

#include <algorithm>

namespace touchstone::scsi {

//= spc4#4.2.5.1
//# SERVICE ACTION: byte 1 bits 4:0 in 6..16-byte CDBs; bytes 8-9 in variable length CDBs
std::optional<service_action_field> service_action_field_of(std::uint8_t opcode) {
  if (opcode == 0x7F) return service_action_field{8, 7, 0xFFFF};  // variable length CDB
  return service_action_field{1, 4, 0x1F};
}

std::uint16_t service_action_of(bytes_view cdb) {
  if (cdb.empty()) return 0;
  auto f = *service_action_field_of(cdb[0]);
  if (f.mask == 0xFFFF) return cdb.size() >= 10 ? get_be16(&cdb[8]) : 0;
  return cdb.size() > f.byte ? static_cast<std::uint16_t>(cdb[f.byte] & f.mask) : 0;
}

void command_table::add(const command_entry& e) {
  auto& slot = by_opcode_[e.opcode];
  const bool clash = std::any_of(slot.begin(), slot.end(), [&](const command_entry& o) {
    return !o.service_action || !e.service_action || *o.service_action == *e.service_action;
  });
  if (clash || e.run == nullptr) {
    conflicts_.push_back(e);
    return;
  }
  slot.push_back(e);
  std::sort(slot.begin(), slot.end(), [](const command_entry& a, const command_entry& b) {
    return a.service_action.value_or(0) < b.service_action.value_or(0);
  });
}

const command_entry* command_table::find(std::uint8_t opcode,
                                         std::optional<std::uint16_t> sa) const {
  for (const auto& e : by_opcode_[opcode]) {
    if (!e.service_action || (sa && *e.service_action == *sa)) return &e;
  }
  return nullptr;
}

result<const command_entry*, command_table::lookup_error> command_table::find(bytes_view cdb) const {
  if (cdb.empty()) return fail(lookup_error::short_cdb);
  const auto& slot = by_opcode_[cdb[0]];
  //= spc4#4.2.5.1
  //# an unsupported OPERATION CODE: ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE
  if (slot.empty()) return fail(lookup_error::unknown_opcode);
  const command_entry* e = find(cdb[0], service_action_of(cdb));
  //= spc4#4.2.5.1
  //# an unsupported SERVICE ACTION: ILLEGAL REQUEST, INVALID FIELD IN CDB
  if (e == nullptr) return fail(lookup_error::unknown_service_action);
  if (cdb.size() < e->cdb_length) return fail(lookup_error::short_cdb);
  return e;
}

std::vector<const command_entry*> command_table::entries() const {
  std::vector<const command_entry*> out;
  for (const auto& slot : by_opcode_)
    for (const auto& e : slot) out.push_back(&e);
  return out;
}

command_table builtin_command_table() {
  command_table t;
  register_builtin_commands(t);
  return t;
}

std::shared_ptr<const command_table> shared_builtin_command_table() {
  static const auto table = std::make_shared<const command_table>(builtin_command_table());
  return table;
}

}  // namespace touchstone::scsi
