// Sense data encoding in fixed and descriptor formats.
#include "touchstone/scsi/sense.hpp"

#include <algorithm>

namespace touchstone::scsi {
namespace {

constexpr std::uint8_t sksv = 0x80;
constexpr std::uint8_t cd_bit = 0x40;
constexpr std::uint8_t bpv_bit = 0x08;

//= spc4#4.5.2.4.2 table 32
//# SKSV, C/D, BPV, BIT POINTER, FIELD POINTER in three bytes
void put_sense_key_specific(std::uint8_t* p, const sense& s) {
  if (s.field) {
    p[0] = sksv;
    if (s.field->in_cdb) p[0] |= cd_bit;
    if (s.field->bit) p[0] |= static_cast<std::uint8_t>(bpv_bit | (*s.field->bit & 0x07));
    put_be16(p + 1, s.field->byte);
  } else if (s.progress) {
    //= spc4#4.5.2.4.4
    //# progress indication: SKSV and a 16-bit fraction of 65536
    p[0] = sksv;
    put_be16(p + 1, *s.progress);
  }
}

//= spc4#4.5.3 table 51
//# fixed format: 70h/71h, sense key in byte 2, INFORMATION bytes 3-6, ASC 12, ASCQ 13
byte_buffer encode_fixed(const sense& s) {
  byte_buffer b(fixed_sense_length, 0);
  b[0] = s.deferred ? 0x71 : 0x70;
  b[2] = static_cast<std::uint8_t>(s.key) & 0x0F;
  //= spc4#4.5.3
  //# VALID=1 only if the INFORMATION value fits the four-byte field
  if (s.information && *s.information <= 0xFFFFFFFFULL) {
    b[0] |= 0x80;
    put_be32(&b[3], static_cast<std::uint32_t>(*s.information));
  }
  b[7] = fixed_sense_length - 8;
  b[12] = s.code.asc;
  b[13] = s.code.ascq;
  put_sense_key_specific(&b[15], s);
  return b;
}

//= spc4#4.5.2.1 table 27
//# descriptor format: 72h/73h, key byte 1, ASC 2, ASCQ 3, ADDITIONAL SENSE LENGTH 7
byte_buffer encode_descriptor(const sense& s) {
  byte_buffer b(8, 0);
  b[0] = s.deferred ? 0x73 : 0x72;
  b[1] = static_cast<std::uint8_t>(s.key) & 0x0F;
  b[2] = s.code.asc;
  b[3] = s.code.ascq;
  if (s.information) {
    //= spc4#4.5.2.2 table 29
    //# information descriptor: type 00h, length 0Ah, VALID=1, 8-byte INFORMATION
    std::uint8_t d[12] = {0x00, 0x0A, 0x80};
    put_be64(&d[4], *s.information);
    b.insert(b.end(), d, d + sizeof d);
  }
  if (s.field || s.progress) {
    //= spc4#4.5.2.4.1 table 31
    //# sense key specific descriptor: type 02h, length 06h
    std::uint8_t d[8] = {0x02, 0x06};
    put_sense_key_specific(&d[4], s);
    b.insert(b.end(), d, d + sizeof d);
  }
  b[7] = static_cast<std::uint8_t>(b.size() - 8);
  return b;
}

void read_sense_key_specific(const std::uint8_t* p, sense& s, sense_key key) {
  if ((p[0] & sksv) == 0) return;
  if (key == sense_key::illegal_request) {
    field_pointer f;
    f.in_cdb = (p[0] & cd_bit) != 0;
    if (p[0] & bpv_bit) f.bit = static_cast<std::uint8_t>(p[0] & 0x07);
    f.byte = get_be16(p + 1);
    s.field = f;
  } else if (key == sense_key::not_ready || key == sense_key::no_sense) {
    s.progress = get_be16(p + 1);
  }
}

std::optional<sense> decode_fixed(bytes_view b) {
  if (b.size() < 14) return std::nullopt;
  sense s;
  s.deferred = (b[0] & 0x7F) == 0x71;
  s.key = static_cast<sense_key>(b[2] & 0x0F);
  if (b[0] & 0x80) s.information = get_be32(&b[3]);
  s.code = {b[12], b[13]};
  if (b.size() >= 18) read_sense_key_specific(&b[15], s, s.key);
  return s;
}

std::optional<sense> decode_descriptor(bytes_view b) {
  if (b.size() < 8) return std::nullopt;
  sense s;
  s.deferred = (b[0] & 0x7F) == 0x73;
  s.key = static_cast<sense_key>(b[1] & 0x0F);
  s.code = {b[2], b[3]};
  std::size_t end = std::min<std::size_t>(b.size(), 8 + std::size_t{b[7]});
  for (std::size_t at = 8; at + 2 <= end;) {
    std::size_t len = 2 + std::size_t{b[at + 1]};
    if (at + len > end) break;
    if (b[at] == 0x00 && len >= 12 && (b[at + 2] & 0x80)) s.information = get_be64(&b[at + 4]);
    if (b[at] == 0x02 && len >= 8) read_sense_key_specific(&b[at + 4], s, s.key);
    at += len;
  }
  return s;
}

}  // namespace

byte_buffer encode_sense(const sense& s, sense_format format) {
  return format == sense_format::descriptor ? encode_descriptor(s) : encode_fixed(s);
}

std::optional<sense> decode_sense(bytes_view b) {
  if (b.empty()) return std::nullopt;
  switch (b[0] & 0x7F) {
    case 0x70:
    case 0x71:
      return decode_fixed(b);
    case 0x72:
    case 0x73:
      return decode_descriptor(b);
    default:
      return std::nullopt;
  }
}

sense make_sense(sense_key key, asc_ascq code) {
  sense s;
  s.key = key;
  s.code = code;
  return s;
}

sense invalid_field_in_cdb(std::uint16_t byte, std::optional<std::uint8_t> bit) {
  sense s = make_sense(sense_key::illegal_request, asc::invalid_field_in_cdb);
  s.field = field_pointer{true, byte, bit};
  return s;
}

sense invalid_field_in_parameter_list(std::uint16_t byte, std::optional<std::uint8_t> bit) {
  sense s = make_sense(sense_key::illegal_request, asc::invalid_field_in_parameter_list);
  s.field = field_pointer{false, byte, bit};
  return s;
}

}  // namespace touchstone::scsi
