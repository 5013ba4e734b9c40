// SPC-4 MODE SELECT(6)/(10): parse the parameter list, check every page
// against the changeable mask first, then apply all of it at once.
#include <algorithm>
#include <bit>
#include <optional>
#include <vector>

#include "mode_select.hpp"
#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi {
namespace {

//= spc4#6.9
//# MODE SELECT(6): PF byte 1 bit 4, SP byte 1 bit 0, PARAMETER LIST LENGTH byte 4
//= spc4#6.10
//# MODE SELECT(10): PF, SP as in (6), PARAMETER LIST LENGTH bytes 7-8
struct select_cdb {
  bool ten;
  bool sp;
  std::uint16_t length;
};

select_cdb parse(bytes_view cdb, bool ten) {
  return {ten, get_bit(cdb, 1, 0), ten ? get_be16(&cdb[7]) : std::uint16_t{cdb[4]}};
}

// A failed check: the response to send.
using verdict = std::optional<response>;

// The bit pointer of the most significant bit set in `bits`.
std::uint8_t top_bit(std::uint8_t bits) {
  return static_cast<std::uint8_t>(7 - std::countl_zero(bits));
}

struct change {
  mode_page* page;
  byte_buffer values;
};

class list_parser {
 public:
  list_parser(command_context& ctx, bytes_view list, bool ten)
      : ctx_(ctx), list_(list), header_(ten ? 8 : 4), ten_(ten) {}

  verdict parse(std::vector<change>& out) {
    //= spc4#7.5.5
    //# a parameter list too short for its mode parameter header: PARAMETER LIST LENGTH ERROR
    if (list_.size() < header_) return ctx_.parameter_list_length_error();
    std::size_t at = header_;
    if (auto bad = block_descriptor(at)) return bad;
    while (at < list_.size()) {
      if (auto bad = page(at, out)) return bad;
    }
    return std::nullopt;
  }

 private:
  //= spc4#7.5.5
  //# BLOCK DESCRIPTOR LENGTH: 0, 8 (short LBA) or 16 (long LBA, LONGLBA=1 in the (10) header)
  verdict block_descriptor(std::size_t& at) {
    const std::uint16_t field = ten_ ? 6 : 3;
    const std::size_t length = ten_ ? get_be16(&list_[6]) : list_[3];
    const bool long_lba = ten_ && get_bit(list_, 4, 0);
    if (length != 0 && length != (long_lba ? 16U : 8U))
      return ctx_.invalid_field_in_parameter_list(field);
    if (at + length > list_.size()) return ctx_.parameter_list_length_error();
    if (length == 0) return std::nullopt;
    const logical_unit& lu = *ctx_.lu;
    const std::uint64_t blocks = long_lba ? get_be64(&list_[at]) : get_be32(&list_[at]);
    const std::uint32_t block_length = long_lba ? get_be32(&list_[at + 12]) : get_be24(&list_[at + 5]);
    const std::uint64_t reported = long_lba ? lu.block_count() : std::min<std::uint64_t>(lu.block_count(), 0xFFFFFFFFULL);
    //= sbc3#6.4.2
    //# NUMBER OF LOGICAL BLOCKS zero keeps the capacity; this device server
    //# changes neither the capacity nor the LOGICAL BLOCK LENGTH
    if (blocks != 0 && blocks != reported)
      return ctx_.invalid_field_in_parameter_list(static_cast<std::uint16_t>(at));
    if (block_length != lu.block_size())
      return ctx_.invalid_field_in_parameter_list(static_cast<std::uint16_t>(at + (long_lba ? 12 : 5)));
    at += length;
    return std::nullopt;
  }

  //= spc4#7.5.7 (mode page formats)
  //# page_0: PS bit 7, SPF=0 bit 6, PAGE CODE bits 5:0, PAGE LENGTH byte 1;
  //# sub_page: SPF=1, SUBPAGE CODE byte 1, PAGE LENGTH bytes 2-3
  verdict page(std::size_t& at, std::vector<change>& out) {
    const auto pos = [&](std::size_t i) { return static_cast<std::uint16_t>(at + i); };
    if (at + 2 > list_.size()) return ctx_.parameter_list_length_error();
    const bool spf = get_bit(list_, at, 6);
    const std::size_t head = spf ? 4 : 2;
    if (at + head > list_.size()) return ctx_.parameter_list_length_error();
    const std::uint8_t code = list_[at] & 0x3F;
    const std::uint8_t subpage = spf ? list_[at + 1] : 0;
    const std::size_t length = spf ? get_be16(&list_[at + 2]) : list_[at + 1];
    mode_page* p = ctx_.lu->pages().find(code, subpage);
    //= spc4#6.9
    //# a page the logical unit does not implement: INVALID FIELD IN PARAMETER LIST
    if (p == nullptr) return ctx_.invalid_field_in_parameter_list(pos(spf ? 1 : 0), spf ? 7 : 5);
    if (spf && subpage == 0) return ctx_.invalid_field_in_parameter_list(pos(0), 6);
    //= spc4#6.9
    //# a PAGE LENGTH other than the page's: INVALID FIELD IN PARAMETER LIST
    if (length + head != p->current.size()) return ctx_.invalid_field_in_parameter_list(pos(1));
    if (at + head + length > list_.size()) return ctx_.parameter_list_length_error();
    byte_buffer values = p->current;
    for (std::size_t i = head; i < values.size(); ++i) {
      const std::uint8_t sent = list_[at + i];
      //= spc4#6.9
      //# a field that is not changeable set to other than its current value:
      //# INVALID FIELD IN PARAMETER LIST, pointing at it
      const auto fixed_diff = static_cast<std::uint8_t>((sent ^ values[i]) & ~p->changeable[i]);
      if (fixed_diff != 0) return ctx_.invalid_field_in_parameter_list(pos(i), top_bit(fixed_diff));
      values[i] = static_cast<std::uint8_t>((values[i] & ~p->changeable[i]) | (sent & p->changeable[i]));
    }
    if (auto bad = check_values(*p, values, at)) return bad;
    out.push_back({p, std::move(values)});
    at += head + length;
    return std::nullopt;
  }

  verdict check_values(const mode_page& p, const byte_buffer& v, std::size_t at) {
    //= spc4#7.5.8
    //# QERR 10b is reserved
    if (p.page == mode_page_code::control && ((v[3] >> 1) & 0x03) == 0x02)
      return ctx_.invalid_field_in_parameter_list(static_cast<std::uint16_t>(at + 3), 2);
    //= spc4#7.5.12
    //# MRIE 7h..Bh are reserved, Ch..Fh vendor specific (none offered)
    if (p.page == mode_page_code::informational_exceptions && (v[3] & 0x0F) > 0x06)
      return ctx_.invalid_field_in_parameter_list(static_cast<std::uint16_t>(at + 3), 3);
    return std::nullopt;
  }

  command_context& ctx_;
  bytes_view list_;
  std::size_t header_;
  bool ten_;
};

response mode_select(command_context& ctx, bool ten) {
  const select_cdb c = parse(ctx.cdb(), ten);
  //= spc4#6.9
  //# SP=1 on a logical unit that does not save pages: INVALID FIELD IN CDB
  if (c.sp) return ctx.invalid_field_in_cdb(1, 0);
  //= spc4#6.9
  //# PARAMETER LIST LENGTH zero: nothing is transferred, not an error
  if (c.length == 0) return ctx.good();
  if (ctx.req.data_out.size() < c.length) return ctx.parameter_list_length_error();
  std::vector<change> changes;
  list_parser parser(ctx, ctx.req.data_out.first(c.length), ten);
  if (auto bad = parser.parse(changes)) return *bad;
  bool changed = false;
  for (auto& ch : changes) {
    changed = changed || ch.values != ch.page->current;
    ch.page->current = std::move(ch.values);
  }
  //= spc4#6.9
  //# changed mode parameters: MODE PARAMETERS CHANGED for every other I_T nexus
  if (changed) ctx.lu->establish_ua_all(unit_attention::mode_parameters_changed, &ctx.nx.it);
  response r = ctx.good();
  r.data_out_length = c.length;
  return r;
}

}  // namespace

response mode_select_6(command_context& ctx) { return mode_select(ctx, false); }
response mode_select_10(command_context& ctx) { return mode_select(ctx, true); }

}  // namespace touchstone::scsi
