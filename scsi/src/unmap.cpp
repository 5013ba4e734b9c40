// SBC-3 UNMAP: a parameter list of block descriptors, checked whole against
// the Block Limits values and the capacity, then deallocated through the
// store (punch-hole on the file store). Deallocated blocks read as zeros.
#include <algorithm>
#include <vector>

#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

//= sbc3#5.27.2 table 106
//# UNMAP parameter list: UNMAP DATA LENGTH bytes 0-1, UNMAP BLOCK DESCRIPTOR
//# DATA LENGTH bytes 2-3, reserved 4-7, then 16-byte block descriptors
constexpr std::size_t header_length = 8;
constexpr std::uint16_t descriptor_length_field = 2;
//= sbc3#5.27.3 table 107
//# UNMAP block descriptor: LBA bytes 0-7, NUMBER OF LOGICAL BLOCKS bytes 8-11
constexpr std::size_t descriptor_length = 16;
constexpr std::size_t count_offset = 8;

struct extent {
  std::uint64_t lba;
  std::uint32_t blocks;
};

std::vector<extent> descriptors(bytes_view list) {
  //= sbc3#5.27.2
  //# UNMAP BLOCK DESCRIPTOR DATA LENGTH not a multiple of 16: the incomplete
  //# last descriptor is ignored (so are descriptors past the parameter list)
  std::size_t bytes = get_be16(&list[descriptor_length_field]);
  bytes = std::min(bytes, list.size() - header_length);
  std::vector<extent> out;
  for (std::size_t at = header_length; at + descriptor_length <= header_length + bytes;
       at += descriptor_length)
    out.push_back({get_be64(&list[at]), get_be32(&list[at + count_offset])});
  return out;
}

// Every descriptor is checked before any block is deallocated.
std::optional<response> check_limits(const command_context& ctx, const std::vector<extent>& list) {
  const lu_config& c = ctx.lu->config();
  //= sbc3#5.27.1
  //# more descriptors than MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (Block Limits
  //# VPD): ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST
  if (c.max_unmap_descriptors != 0 && list.size() > c.max_unmap_descriptors)
    return ctx.invalid_field_in_parameter_list(descriptor_length_field);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto at = static_cast<std::uint16_t>(header_length + i * descriptor_length);
    total += list[i].blocks;
    //= sbc3#5.27.1
    //# more logical blocks in all descriptors than MAXIMUM UNMAP LBA COUNT:
    //# ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST
    if (c.max_unmap_lba_count != 0 && total > c.max_unmap_lba_count)
      return ctx.invalid_field_in_parameter_list(static_cast<std::uint16_t>(at + count_offset));
    //= sbc3#5.27.1
    //# an LBA plus NUMBER OF LOGICAL BLOCKS past the capacity: ILLEGAL REQUEST,
    //# LOGICAL BLOCK ADDRESS OUT OF RANGE
    if (!medium::in_range(*ctx.lu, list[i].lba, list[i].blocks)) return ctx.lba_out_of_range();
  }
  return std::nullopt;
}

response with_length(response r, std::uint64_t length) {
  r.data_out_length = length;
  return r;
}

response unmap(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  //= sbc3#4.7.3.3
  //# LBPU=0 (a fully provisioned LU): UNMAP is not supported
  if (!ctx.lu->store().thin_provisioned())
    return ctx.check_condition(sense_key::illegal_request, asc::invalid_command_operation_code);
  //= sbc3#5.27.1
  //# ANCHOR=1 with ANC_SUP=0 (anchored LBAs are not offered): INVALID FIELD IN CDB
  if (get_bit(cdb, 1, 0)) return ctx.invalid_field_in_cdb(1, 0);
  const std::uint16_t length = get_be16(&cdb[7]);
  //= sbc3#5.27.1
  //# PARAMETER LIST LENGTH 0: no data is transferred; not an error
  if (length == 0) return ctx.good();
  if (auto short_data = medium::check_data_out(ctx, length)) return *short_data;
  //= sbc3#5.27.1
  //# PARAMETER LIST LENGTH 1 to 7: ILLEGAL REQUEST, PARAMETER LIST LENGTH ERROR
  if (length < header_length) return with_length(ctx.parameter_list_length_error(), length);
  const std::vector<extent> list = descriptors(ctx.req.data_out.first(length));
  if (auto failed = check_limits(ctx, list)) return with_length(*failed, length);
  for (const extent& e : list) {
    if (e.blocks == 0) continue;
    //= sbc3#4.7.3.4.2
    //# unmap: the LBAs become deallocated; with LBPRZ=1 they read as zeros
    if (auto r = ctx.lu->store().unmap(e.lba, e.blocks); !r)
      return with_length(ctx.store_failure(r.error(), io_direction::write), length);
  }
  return with_length(ctx.good(), length);
}

}  // namespace

void register_unmap(command_table& t) {
  t.add({.opcode = 0x42,
         .name = "UNMAP",
         .cdb_length = 10,
         .flags = cmd_flag::medium_access | cmd_flag::writes_medium | cmd_flag::data_out |
                  cmd_flag::store_io,
         .access = reservation_access::writes,
         .run = unmap});
}

}  // namespace touchstone::scsi
