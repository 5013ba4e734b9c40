// PERSISTENT RESERVE OUT: REGISTER AND MOVE.
#include "pr_out.hpp"

namespace touchstone::scsi::pr {
namespace {

//= spc4#6.16.4
//# REGISTER AND MOVE parameter list: RESERVATION KEY (0-7), SERVICE ACTION
//# RESERVATION KEY (8-15), UNREG (17.1), APTPL (17.0), RELATIVE TARGET PORT
//# IDENTIFIER (18-19), TRANSPORTID PARAMETER DATA LENGTH (20-23), TransportID (24-)
struct move_list {
  std::uint64_t key = 0;
  std::uint64_t sa_key = 0;
  bool unreg = false;
  bool aptpl = false;
  std::uint16_t relative_target_port = 0;
  bytes_view transport_id;
};
constexpr std::uint16_t transport_id_at = 24;

result<move_list, failure> parse_move_list(bytes_view list) {
  //= spc4#6.16.4
  //# a parameter list shorter than its header plus the TRANSPORTID PARAMETER
  //# DATA LENGTH: PARAMETER LIST LENGTH ERROR
  if (list.size() < transport_id_at) return fail(bad_list_length());
  const std::uint32_t tid_length = get_be32(&list[20]);
  if (tid_length > list.size() - transport_id_at) return fail(bad_list_length());
  move_list m;
  m.key = get_be64(&list[0]);
  m.sa_key = get_be64(&list[8]);
  m.unreg = (list[17] & 0x02) != 0;
  m.aptpl = (list[17] & 0x01) != 0;
  m.relative_target_port = get_be16(&list[18]);
  m.transport_id = list.subspan(transport_id_at, tid_length);
  return m;
}

failure transport_id_failure(transport_id_error e) {
  switch (e) {
    case transport_id_error::protocol:
      return bad_list_field(transport_id_at, 3);  // PROTOCOL IDENTIFIER
    case transport_id_error::format:
      return bad_list_field(transport_id_at, 7);  // FORMAT CODE
    case transport_id_error::truncated:
      return bad_list_field(transport_id_at + 2);  // ADDITIONAL LENGTH
    case transport_id_error::name:
      break;
  }
  return bad_list_field(transport_id_at + 4);  // ISCSI NAME
}

//= spc4#5.13.8
//# only the holder of a reservation that is not of an all registrants type
//# may move it: otherwise RESERVATION CONFLICT
outcome require_movable(const out_context& o) {
  const state& s = o.next;
  if (!s.held || is_all_registrants(s.held->type) || !s.is_holder(o.me()))
    return fail(conflict());
  return ok;
}

result<it_nexus, failure> destination(const out_context& o, const move_list& m) {
  auto tid = parse_transport_id(m.transport_id);
  if (!tid) return fail(transport_id_failure(tid.error()));
  auto port = o.ext.target_ports.find(m.relative_target_port);
  //= spc4#6.16.4
  //# a RELATIVE TARGET PORT IDENTIFIER naming no target port: INVALID FIELD IN PARAMETER LIST
  if (port == o.ext.target_ports.end()) return fail(bad_list_field(18));
  it_nexus dest{tid->initiator_port, port->second};
  //= spc4#5.13.8
  //# a TransportID naming the I_T nexus the command came through: INVALID FIELD
  //# IN PARAMETER LIST
  if (dest == o.me()) return fail(bad_list_field(transport_id_at));
  return dest;
}

}  // namespace

outcome do_register_and_move(out_context& o) {
  auto m = parse_move_list(o.list);
  if (!m) return fail(m.error());
  if (auto r = o.require_registered_with(m->key); !r) return r;
  if (auto r = require_movable(o); !r) return r;
  //= spc4#5.13.8
  //# a zero SERVICE ACTION RESERVATION KEY: INVALID FIELD IN PARAMETER LIST
  if (m->sa_key == 0) return fail(bad_list_field(8));
  if (auto a = o.check_aptpl(m->aptpl, 17); !a) return a;
  auto dest = destination(o, *m);
  if (!dest) return fail(dest.error());
  state& s = o.next;
  //= spc4#5.13.8
  //# the destination I_T nexus is registered with the SERVICE ACTION
  //# RESERVATION KEY unless already registered, and becomes the holder
  if (!s.registered(*dest)) {
    if (o.registrations_full())
      return fail(failure{failure::kind::insufficient_resources});
    s.registrations.push_back(registration{*dest, m->sa_key, m->relative_target_port, false});
  }
  s.held = reservation{*dest, o.cdb.type, o.cdb.scope};
  //= spc4#5.13.8
  //# UNREG=1: the source I_T nexus is unregistered once the reservation moved
  if (m->unreg) {
    (void)remove_registrations(s, [&](const registration& r) { return r.it == o.me(); });
  }
  s.aptpl = m->aptpl;
  ++s.generation;
  return ok;
}

}  // namespace touchstone::scsi::pr
