// SPC-4 REPORT LUNS.
#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/device_server.hpp"

namespace touchstone::scsi {
namespace {

//= spc4#6.33
//# SELECT REPORT: 00h every LU but the well-known ones, 01h the well-known LUs
//# only, 02h every LU (this device server has no well-known LUs)
enum class select_report : std::uint8_t { all_but_well_known = 0x00, well_known = 0x01, all = 0x02 };

//= spc4#6.33
//# the minimum ALLOCATION LENGTH: an eight-byte header and one LUN
constexpr std::uint32_t min_allocation = 16;

byte_buffer lun_list(const device_server& server, select_report select) {
  std::vector<lun_t> luns;
  if (select != select_report::well_known) luns = server.luns();
  //= spc4#6.33
  //# LUN LIST LENGTH bytes 0-3 (8 x the LUNs, whatever the allocation length),
  //# reserved 4-7, then one 8-byte LUN each
  byte_buffer b(8 + 8 * luns.size(), 0);
  put_be32(&b[0], static_cast<std::uint32_t>(8 * luns.size()));
  for (std::size_t i = 0; i < luns.size(); ++i) put_be64(&b[8 + 8 * i], encode_lun(luns[i]));
  return b;
}

//= spc4#6.33
//# REPORT LUNS CDB: SELECT REPORT byte 2, ALLOCATION LENGTH bytes 6-9
response report_luns(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  const std::uint8_t select = cdb[2];
  const std::uint32_t allocation = get_be32(&cdb[6]);
  if (select > static_cast<std::uint8_t>(select_report::all)) return ctx.invalid_field_in_cdb(2);
  //= spc4#6.33
  //# ALLOCATION LENGTH below 16: ILLEGAL REQUEST, INVALID FIELD IN CDB
  if (allocation < min_allocation) return ctx.invalid_field_in_cdb(6);
  //= sam5#5.14
  //# REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED for the I_T nexus on the LU
  if (ctx.lu != nullptr) ctx.lu->clear_ua(ctx.nx.it, unit_attention::reported_luns_changed);
  return ctx.data_in(lun_list(ctx.server, static_cast<select_report>(select)), allocation);
}

}  // namespace

void register_report_luns(command_table& t) {
  //= sam5#5.14
  //# REPORT LUNS does not report a unit attention and answers on any LUN
  t.add({.opcode = 0xA0,
         .name = "REPORT LUNS",
         .cdb_length = 12,
         .flags = cmd_flag::runs_without_lu | cmd_flag::ua_exempt | cmd_flag::data_in,
         .access = reservation_access::allowed,
         .run = report_luns,
         .usage = {0xA0, 0x00, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00}});
}

}  // namespace touchstone::scsi
