// What the logical unit under test says about itself, checked against what
// it does: READ CAPACITY's last LBA can be read and the block after it
// cannot; standard INQUIRY data is as long as its ADDITIONAL LENGTH says;
// a CDB field it refuses is named INVALID FIELD IN CDB.
// SCSI clauses (sbc3#, spc4#) are cited for form only: the standards' texts
// are not redistributable, so the `//` lines below say them from memory.
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

constexpr std::uint8_t sense_illegal_request = 0x5;
constexpr std::uint8_t asc_lba_out_of_range = 0x21;
constexpr std::uint8_t asc_invalid_field_in_cdb = 0x24;
constexpr std::uint16_t inquiry_allocation = 255;

// The command, once more if the first answer was not GOOD (a fresh I_T
// nexus meets its unit attention first).
scsi_outcome run_past_unit_attention(session& s, const scsi_request& r) {
  auto outcome = run_scsi(s, r);
  if (outcome.completed() && !outcome.good()) outcome = run_scsi(s, r);
  return outcome;
}

scsi_request read_at(const case_context& ctx, std::uint32_t lba, std::uint32_t block) {
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::read10(lba, 1);
  r.read = true;
  r.expected_length = block;
  return r;
}

std::string sense_text(const scsi_outcome& o) {
  const auto sense = parse_sense(o.sense);
  return sense ? describe_sense(*sense) : std::string("no sense data that parses");
}

//= sbc3#5.15.2 type=test
// (from memory) READ CAPACITY(10): RETURNED LOGICAL BLOCK ADDRESS is the LBA
// of the last logical block, FFFFFFFFh when that does not fit in 32 bits.
//= sbc3#5.11 type=test
// (from memory) READ(10) beyond the last LBA: CHECK CONDITION, ILLEGAL
// REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE.
TOUCHSTONE_CASE({.id = "luns.read-capacity.last-lba",
                 .title = "READ CAPACITY(10)'s last LBA reads GOOD; the LBA after it is out of range",
                 .citations = {"sbc3#5.15.2", "sbc3#5.11"},
                 .level = requirement_level::must,
                 .tags = {"luns", "scsi"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  scsi_request rc;
  rc.lun = ctx.target().lun;
  rc.cdb = cdb::read_capacity10();
  rc.read = true;
  rc.expected_length = 8;
  const auto answer = run_past_unit_attention(*s, rc);
  if (!answer.good()) return ctx.error_after("READ CAPACITY(10): " + answer.summary(), *s);
  const auto capacity = cdb::parse_capacity10(answer.data);
  if (!capacity || capacity->block_length == 0) return verdict::fail("READ CAPACITY(10) data do not parse");
  if (capacity->last_lba == 0xffffffffU) return verdict::skip("the LUN is too large for READ CAPACITY(10)");
  const auto last = capacity->last_lba;
  const auto at_last = run_scsi(*s, read_at(ctx, last, capacity->block_length));
  if (!at_last.good())
    return verdict::fail("READ(10) of the last LBA " + std::to_string(last) + " READ CAPACITY reported got " +
                         at_last.summary() + (at_last.sense.empty() ? "" : ", " + sense_text(at_last)));
  const auto beyond = run_scsi(*s, read_at(ctx, last + 1, capacity->block_length));
  if (!beyond.completed()) return ctx.error_after("READ(10) beyond the last LBA: " + beyond.summary(), *s);
  // CHECK CONDITION without sense data breaks rfc7143#section-11.4.7, which
  // other cases judge; here it leaves the reason unknown.
  if (beyond.status == 0x02 && beyond.sense.empty())
    return verdict::error("READ(10) of LBA " + std::to_string(last + 1) +
                          ", after the last, got CHECK CONDITION without sense data (rfc7143#section-11.4.7): "
                          "whether the LBA was out of range cannot be told");
  const auto sense = parse_sense(beyond.sense);
  if (beyond.status != 0x02 || !sense || sense->key != sense_illegal_request || sense->asc != asc_lba_out_of_range)
    return verdict::fail("READ(10) of LBA " + std::to_string(last + 1) + ", after the last, got " + beyond.summary() +
                         (beyond.sense.empty() ? "" : ", " + sense_text(beyond)) +
                         "; expected ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE (21h)");
  return verdict::pass("last LBA " + std::to_string(last));
}

//= spc4#6.4.2 type=test
// (from memory) standard INQUIRY data: at least 36 bytes; ADDITIONAL LENGTH
// (byte 4) is the number of bytes that follow it; PERIPHERAL QUALIFIER 000b
// for a logical unit the target has.
TOUCHSTONE_CASE({.id = "luns.inquiry.additional-length",
                 .title = "standard INQUIRY data: at least 36 bytes, as many as ADDITIONAL LENGTH says, qualifier 000b",
                 .citations = {"spc4#6.4.2"},
                 .level = requirement_level::must,
                 .tags = {"luns", "scsi"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::inquiry(inquiry_allocation);
  r.read = true;
  r.expected_length = inquiry_allocation;
  const auto out = run_past_unit_attention(*s, r);
  if (!out.good()) return ctx.error_after("INQUIRY: " + out.summary(), *s);
  const auto n = out.data_bytes_received;
  if (n < 36) return verdict::fail("standard INQUIRY data of " + std::to_string(n) + " bytes, fewer than 36");
  const std::size_t said = std::size_t{out.data[4]} + 5;
  if (said < 36) return verdict::fail("ADDITIONAL LENGTH " + std::to_string(out.data[4]) + ": fewer than 36 bytes");
  if (std::min<std::size_t>(said, inquiry_allocation) != n)
    return verdict::fail("ADDITIONAL LENGTH " + std::to_string(out.data[4]) + " says " + std::to_string(said) +
                         " bytes, " + std::to_string(n) + " came (allocation length " +
                         std::to_string(inquiry_allocation) + ")");
  if ((out.data[0] >> 5) != 0)
    return verdict::fail("PERIPHERAL QUALIFIER " + std::to_string(out.data[0] >> 5) +
                         " for the LUN under test (000b: a logical unit is there)");
  return verdict::pass(std::to_string(n) + " bytes");
}

//= spc4#6.4.1 type=test
// (from memory) INQUIRY with the EVPD bit zero and a PAGE CODE other than
// zero: CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD IN CDB (24h/00h).
//= spc4#4.5.6 type=test
// (from memory) 24h/00h INVALID FIELD IN CDB, the additional sense code of
// a CDB field the device server does not accept.
TOUCHSTONE_CASE({.id = "luns.inquiry.invalid-field-in-cdb",
                 .title = "INQUIRY with EVPD=0 and PAGE CODE 01h: ILLEGAL REQUEST, INVALID FIELD IN CDB (24h/00h)",
                 .citations = {"spc4#6.4.1", "spc4#4.5.6"},
                 .level = requirement_level::must,
                 .tags = {"luns", "scsi"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::inquiry(inquiry_allocation);
  r.cdb[2] = 0x01;  // PAGE CODE, with EVPD (byte 1 bit 0) zero
  r.read = true;
  r.expected_length = inquiry_allocation;
  const auto out = run_past_unit_attention(*s, r);
  if (!out.completed()) return ctx.error_after("INQUIRY: " + out.summary(), *s);
  if (out.good()) return verdict::fail("INQUIRY with EVPD=0 and PAGE CODE 01h completed GOOD");
  // CHECK CONDITION without sense data breaks rfc7143#section-11.4.7, which
  // other cases judge; here it leaves the reason unknown.
  if (out.status == 0x02 && out.sense.empty())
    return verdict::error("CHECK CONDITION without sense data (rfc7143#section-11.4.7): the reason cannot be told");
  const auto sense = parse_sense(out.sense);
  if (out.status != 0x02 || !sense || sense->key != sense_illegal_request || sense->asc != asc_invalid_field_in_cdb ||
      sense->ascq != 0)
    return verdict::fail("INQUIRY with EVPD=0 and PAGE CODE 01h got " + out.summary() +
                         (out.sense.empty() ? "" : ", " + sense_text(out)) +
                         "; expected ILLEGAL REQUEST, INVALID FIELD IN CDB (24h/00h)");
  return verdict::pass(describe_sense(*sense));
}

}  // namespace
}  // namespace touchstone::conformance::cases
