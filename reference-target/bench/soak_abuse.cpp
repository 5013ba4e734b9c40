// The soak's hostile workers: logins with a fresh ISID each, malformed PDUs
// on logged-in sessions, and connections that trickle a Login Request one
// byte at a time. What each provokes is the target's business (a Reject, a
// close, a login timeout); these only count what they saw.
#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

#include "soak_load.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/conformance/requests.hpp"

namespace touchstone::soak {
namespace {

using conformance::clock;
using conformance::milliseconds;

milliseconds period_of(unsigned per_second) {
  return milliseconds(per_second == 0 ? 1000 : std::max(1u, 1000 / per_second));
}

// An unassigned initiator opcode (0x08, 0x09, 0x0a, 0x0b, 0x0d, 0x0e, 0x0f,
// 0x11..0x1b are unassigned): answered by a Reject.
pdu::pdu unassigned_opcode(conformance::session& s, std::uint64_t n) {
  constexpr std::array<std::uint8_t, 4> codes{0x08, 0x0f, 0x15, 0x1b};
  return conformance::opcode_request(s, codes[n % codes.size()]);
}

// A SCSI Command BHS announcing a 16 MiB data segment: beyond any
// MaxRecvDataSegmentLength, a format error that ends the connection.
pdu::byte_buffer oversized_segment() {
  pdu::byte_buffer b(48, 0);
  b[0] = 0x01;
  b[1] = 0x80;
  b[5] = 0xff;
  b[6] = 0xff;
  b[7] = 0xff;
  return b;
}

}  // namespace

// Fresh-ISID logins at churn_rate a second; every other one logs out, the
// rest vanish (the target must notice the close and end the session).
void run_churn(shared_state& st) {
  if (st.opts.churn_rate == 0) return;
  const auto period = period_of(st.opts.churn_rate);
  for (std::uint64_t n = 1; !st.stop; ++n) {
    const auto next = clock::now() + period;
    auto s = open_session(st.opts, churn_isid | (n & isid_low_mask), st.count);
    if (s) {
      st.count.logins++;
      if (n % 2 == 0) end_session(s);
      s.reset();
    }
    nap(st.stop, std::chrono::duration_cast<milliseconds>(next - clock::now()));
  }
}

// Malformed PDUs at flood_rate a second: unassigned opcodes (a Reject each),
// and every 64th an oversized data segment (the connection ends). The
// session is replaced when the target ends it or after ops_per_session.
void run_flood(shared_state& st, unsigned index) {
  const auto period = period_of(st.opts.flood_rate);
  std::unique_ptr<conformance::session> s;
  unsigned sent = 0;
  for (std::uint64_t n = 1; !st.stop; ++n) {
    if (!s || sent >= st.opts.ops_per_session) {
      s.reset();
      s = open_session(st.opts, flood_isid | index, st.count);
      sent = 0;
      if (!s) { nap(st.stop, milliseconds(500)); continue; }
    }
    const auto next = clock::now() + period;
    ++sent;
    st.count.malformed_sent++;
    const bool fatal = n % 64 == 0;
    const auto ec = fatal ? s->send_bytes(oversized_segment()) : s->send(unassigned_opcode(*s, n));
    const auto seen = ec ? conformance::observation{} : (fatal ? s->expect_close(milliseconds(3000))
                                                             : s->expect_pdu(milliseconds(3000)));
    if (ec || seen.connection_lost()) {
      st.count.flood_closes++;
      s.reset();
    }
    nap(st.stop, std::chrono::duration_cast<milliseconds>(next - clock::now()));
  }
}

// `slow` connections, each sending one byte of a Login Request BHS every
// 2 s: the target's login timeout must end them. A connection the target
// closed is counted and opened again.
void run_slow(shared_state& st) {
  struct trickle {
    conformance::connection wire;
    std::size_t sent = 0;
    clock::time_point due{};
  };
  std::vector<std::unique_ptr<trickle>> conns;
  for (unsigned i = 0; i < st.opts.slow; ++i) conns.push_back(std::make_unique<trickle>());
  pdu::byte_buffer bhs(48, 0);
  bhs[0] = 0x43;  // Login Request, immediate
  while (!st.stop) {
    const auto now = clock::now();
    for (auto& c : conns) {
      if (st.stop || c->due > now) continue;
      c->due = now + milliseconds(2000);
      const bool lost = c->wire.is_open() && c->wire.receive(now + milliseconds(1)).connection_lost();
      if (lost) st.count.slow_closes++;
      if (lost || !c->wire.is_open() || c->sent == bhs.size()) {
        c->wire.close();
        c->sent = 0;
        if (c->wire.connect(st.opts.where, now + milliseconds(1000))) continue;
      }
      if (c->wire.send_bytes(pdu::bytes_view(bhs.data() + c->sent, 1), now + milliseconds(1000))) {
        st.count.slow_closes++;
        c->wire.close();
      } else {
        ++c->sent;
      }
    }
    nap(st.stop, milliseconds(100));
  }
}

}  // namespace touchstone::soak
