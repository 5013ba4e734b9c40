// The SCSI device name of an iSCSI target is its iSCSI name (RFC 7143
// section 4.4.2), read back where SCSI reports it: the SCSI name string
// designator of the SCSI target device (association 10b) in the Device
// Identification VPD page (83h, SPC-4 7.8.6).
#include <algorithm>
#include <cstring>
#include <vector>

#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

// The SCSI name string designators of the target device in a VPD 83h page.
std::vector<std::string> target_device_names(const pdu::byte_buffer& page) {
  std::vector<std::string> names;
  if (page.size() < 4) return names;
  const std::size_t end = std::min<std::size_t>(page.size(), 4u + ((page[2] << 8) | page[3]));
  for (std::size_t at = 4; at + 4 <= end;) {
    const std::size_t length = page[at + 3];
    if (at + 4 + length > end) break;
    const unsigned association = (page[at + 1] >> 4) & 0x3;
    const unsigned type = page[at + 1] & 0xf;
    if (association == 2 && type == 8) {
      const auto* text = reinterpret_cast<const char*>(page.data() + at + 4);
      names.emplace_back(text, strnlen(text, length));  // null terminated, null padded
    }
    at += 4 + length;
  }
  return names;
}

//= rfc7143#section-4.4.2 type=test
//# The SCSI device
//# name is defined to be the iSCSI name of the node and MUST be
//# used in the iSCSI protocol.
TOUCHSTONE_CASE({.id = "scsi.device-name-is-target-name",
                 .title = "the SCSI target device name in VPD page 83h is the iSCSI target name",
                 .citations = {"rfc7143#section-4.4.2", "spc4#7.8.6"},
                 .level = requirement_level::must,
                 .tags = {"scsi", "names"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = {0x12, 0x01, 0x83, 0x01, 0x00, 0x00};  // INQUIRY, EVPD, page 83h, 256 bytes
  r.read = true;
  r.expected_length = 256;
  const auto out = run_scsi(*s, r);
  if (!out.good()) return ctx.error_after("INQUIRY VPD 83h: " + out.summary(), *s);
  const auto names = target_device_names(out.data);
  if (names.empty()) return verdict::skip("VPD page 83h has no SCSI name string of the target device");
  for (const auto& name : names)
    if (name != ctx.target().target_name)
      return verdict::fail("VPD page 83h names the target device \"" + name + "\", not \"" +
                           ctx.target().target_name + "\"");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
