// UNMAP: parameter list, Block Limits, range checks, deallocation.
#include "sbc_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

response run_unmap(fixture& f, const byte_buffer& list, std::uint8_t b1 = 0) {
  return f.run(unmap_cdb(static_cast<std::uint16_t>(list.size()), b1), list);
}

}  // namespace

TEST_CASE("UNMAP deallocates the ranges, they read back as zeros (LBPRZ=1)", "[scsi][unmap]") {
  for (std::uint32_t bs : {512U, 4096U}) {
    fixture f(make_memory_store(bs, 256));
    write_blocks(f, 0, byte_buffer(64 * bs, 'a'));
    auto list = unmap_list({{0, 8}, {20, 4}});
    auto r = run_unmap(f, list);
    CHECK(r.status == status::good);
    CHECK(r.data_out_length == list.size());
    auto back = read_blocks(f, 0, 64);
    for (std::uint64_t b = 0; b < 64; ++b) {
      const bool gone = b < 8 || (b >= 20 && b < 24);
      CHECK(back[b * bs] == (gone ? 0 : 'a'));
      CHECK(f.store->block_status(b)->state ==
            (gone ? block_state::deallocated : block_state::mapped));
    }
  }
}

TEST_CASE("UNMAP: empty lists and zero-block descriptors are no error", "[scsi][unmap]") {
  fixture f;
  write_blocks(f, 0, byte_buffer(512, 'a'));
  // PARAMETER LIST LENGTH 0: nothing is transferred.
  CHECK(f.run(unmap_cdb(0)).status == status::good);
  // A header with no descriptors.
  CHECK(run_unmap(f, unmap_list({})).status == status::good);
  // Zero blocks anywhere, even at the capacity, overlapping or repeated.
  CHECK(run_unmap(f, unmap_list({{0, 0}, {0, 0}, {2048, 0}, {5, 0}})).status == status::good);
  CHECK(read_blocks(f, 0, 1)[0] == 'a');
}

TEST_CASE("UNMAP: PARAMETER LIST LENGTH 1 to 7 is a PARAMETER LIST LENGTH ERROR", "[scsi][unmap]") {
  fixture f;
  for (std::uint16_t len = 1; len < 8; ++len) {
    auto r = f.run(unmap_cdb(len), byte_buffer(len, 0));
    require_sense(r, sense_key::illegal_request, asc::parameter_list_length_error);
    CHECK_FALSE(sense_of(r).field.has_value());
  }
}

TEST_CASE("UNMAP: more descriptors than MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT", "[scsi][unmap]") {
  lu_config c;
  c.max_unmap_descriptors = 2;
  fixture f(make_memory_store(512, 2048), c);
  write_blocks(f, 0, byte_buffer(8 * 512, 'a'));
  CHECK(run_unmap(f, unmap_list({{0, 1}, {1, 1}})).status == status::good);
  require_invalid_parameter_field(run_unmap(f, unmap_list({{2, 1}, {3, 1}, {4, 1}})), 2);
  CHECK(read_blocks(f, 2, 1)[0] == 'a');  // nothing deallocated
}

TEST_CASE("UNMAP: more blocks than MAXIMUM UNMAP LBA COUNT points at the crossing descriptor",
          "[scsi][unmap]") {
  lu_config c;
  c.max_unmap_lba_count = 10;
  fixture f(make_memory_store(512, 2048), c);
  write_blocks(f, 0, byte_buffer(32 * 512, 'a'));
  CHECK(run_unmap(f, unmap_list({{0, 4}, {10, 6}})).status == status::good);
  // The second descriptor's NUMBER OF LOGICAL BLOCKS (byte 8 + 16 + 8) takes the total past 10.
  require_invalid_parameter_field(run_unmap(f, unmap_list({{20, 6}, {26, 5}})), 32);
  CHECK(read_blocks(f, 20, 1)[0] == 'a');
  // The first descriptor alone past the limit.
  require_invalid_parameter_field(run_unmap(f, unmap_list({{20, 11}})), 16);
}

TEST_CASE("UNMAP: a range past the capacity is LBA OUT OF RANGE and unmaps nothing",
          "[scsi][unmap]") {
  fixture f;
  write_blocks(f, 0, byte_buffer(4 * 512, 'a'));
  require_lba_out_of_range(run_unmap(f, unmap_list({{0, 4}, {2047, 2}})));
  CHECK(read_blocks(f, 0, 1)[0] == 'a');
  require_lba_out_of_range(run_unmap(f, unmap_list({{2049, 0}})));
  require_lba_out_of_range(run_unmap(f, unmap_list({{0x8000000000000000ULL, 1}})));
  require_lba_out_of_range(run_unmap(f, unmap_list({{0xFFFFFFFFFFFFFFFFULL, 1}})));
  CHECK(run_unmap(f, unmap_list({{2047, 1}})).status == status::good);
}

TEST_CASE("UNMAP: ANCHOR=1 is an INVALID FIELD IN CDB (no anchored LBAs)", "[scsi][unmap]") {
  fixture f;
  require_invalid_cdb_field(run_unmap(f, unmap_list({{0, 1}}), 0x01), 1, 0);
}

TEST_CASE("UNMAP: an incomplete last descriptor is ignored", "[scsi][unmap]") {
  fixture f;
  write_blocks(f, 0, byte_buffer(8 * 512, 'a'));
  auto list = unmap_list({{0, 2}, {4, 2}});
  put_be16(&list[2], 16 + 8);  // the second descriptor is cut short
  list.resize(8 + 16 + 8);
  CHECK(run_unmap(f, list).status == status::good);
  CHECK(read_blocks(f, 0, 1)[0] == 0);
  CHECK(read_blocks(f, 4, 1)[0] == 'a');
  // A descriptor data length past the list: only the descriptors present count.
  auto longer = unmap_list({{6, 1}});
  put_be16(&longer[2], 64);
  CHECK(run_unmap(f, longer).status == status::good);
  CHECK(read_blocks(f, 6, 1)[0] == 0);
}

TEST_CASE("UNMAP: data-out shorter than PARAMETER LIST LENGTH", "[scsi][unmap]") {
  fixture f;
  auto list = unmap_list({{0, 1}});
  auto r = f.run(unmap_cdb(static_cast<std::uint16_t>(list.size() + 16)), list);
  require_short_data_out(r);
  CHECK(r.data_out_length == list.size() + 16);
}

TEST_CASE("UNMAP on a fully provisioned LU: INVALID COMMAND OPERATION CODE", "[scsi][unmap]") {
  fixture f(std::make_shared<thick_store>(make_memory_store(512, 64)));
  require_sense(run_unmap(f, unmap_list({{0, 1}})), sense_key::illegal_request,
                asc::invalid_command_operation_code);
}

TEST_CASE("UNMAP on a read-only LU or with SWP=1: DATA PROTECT", "[scsi][unmap]") {
  fixture ro(make_memory_store(512, 64), read_only_config());
  require_sense(run_unmap(ro, unmap_list({{0, 1}})), sense_key::data_protect, asc::write_protected);
  fixture swp;
  set_swp(swp);
  require_sense(run_unmap(swp, unmap_list({{0, 1}})), sense_key::data_protect,
                asc::software_write_protected);
}

TEST_CASE("UNMAP errors in descriptor format when D_SENSE=1", "[scsi][unmap]") {
  fixture f;
  f.lu->pages().find(mode_page_code::control)->current[2] |= 0x04;
  auto r = run_unmap(f, unmap_list({{0, 0x400001}}));
  CHECK(r.sense[0] == 0x72);
  require_invalid_parameter_field(r, 16);
}
