// Session programs from recorded traffic (from_traffic.hpp): the target's
// Login Responses say when the login ended and which digests it put in
// force; the initiator's bytes are framed PDU by PDU with the pdu framer,
// and what does not frame (a truncated tail, a corrupted header digest) is
// kept as the bytes it was.
#include "touchstone/fuzz/from_traffic.hpp"

#include "login_detect.hpp"

#include <algorithm>
#include <optional>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/login_request.hpp"
#include "touchstone/pdu/login_response.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::fuzz {
namespace {

constexpr std::string_view target_placeholder = "$TARGET";
// The framer's data limit: the largest DataSegmentLength a BHS can state, so
// any PDU that was sent whole frames; the bounds clamp its data afterwards.
constexpr std::uint32_t any_data_length = 0xffffff;

// One direction of the connection as one stream, with its write boundaries.
struct stream {
  pdu::byte_buffer bytes;
  std::vector<std::size_t> write_ends;  // stream offsets where a write ended
  std::vector<bool> answered;           // per write: the target sent something next
};

stream initiator_stream(const std::vector<traffic_write>& traffic) {
  stream s;
  for (std::size_t i = 0; i < traffic.size(); ++i) {
    if (!traffic[i].from_initiator || traffic[i].bytes.empty()) continue;
    s.bytes.insert(s.bytes.end(), traffic[i].bytes.begin(), traffic[i].bytes.end());
    s.write_ends.push_back(s.bytes.size());
    bool next_is_target = true;  // the last write: as if answered (the default)
    for (std::size_t j = i + 1; j < traffic.size(); ++j)
      if (!traffic[j].bytes.empty()) {
        next_is_target = !traffic[j].from_initiator;
        break;
      }
    s.answered.push_back(next_is_target);
  }
  return s;
}

// What the target's Login Responses say: how many Login Requests the login
// took (counting responses up to the Final-Response that entered the Full
// Feature Phase with status 0) and the digests it negotiated.
struct login_result {
  std::optional<std::size_t> requests;  // nullopt: the login never succeeded
  pdu::digest_config digests;
};

login_result read_login_responses(const std::vector<traffic_write>& traffic) {
  login_result out;
  pdu::framer f({{}, any_data_length});
  std::size_t responses = 0;
  for (const auto& w : traffic) {
    if (w.from_initiator) continue;
    pdu::bytes_view rest = w.bytes;
    while (!rest.empty()) {
      const auto st = f.decode(rest);
      rest = rest.subspan(st.consumed);
      if (st.status == pdu::frame_status::error) return out;
      if (st.status != pdu::frame_status::done) continue;
      const auto p = f.take();
      if (p.op() != pdu::opcode::login_response) return out;
      ++responses;
      auto pairs = pdu::parse_text(pdu::bytes_view{p.data});
      if (pairs)
        for (const auto& kv : *pairs) {
          if (kv.key == "HeaderDigest") out.digests.header = kv.value == "CRC32C";
          if (kv.key == "DataDigest") out.digests.data = kv.value == "CRC32C";
        }
      const pdu::login_response_view v(p);
      if (v.status_class() != 0) return out;
      if (v.transit() && v.nsg() == pdu::login_stage::full_feature_phase) {
        out.requests = responses;
        return out;
      }
    }
  }
  return out;
}

// One initiator PDU as it went out.
struct framed {
  pdu::pdu p;
  std::size_t start = 0, end = 0;  // stream offsets
  digest_mode digests = digest_mode::negotiated;
};

std::size_t padded(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// A PDU the framer could not take whole: the BHS (zero-filled when the
// stream ended inside it), then everything else up to `length` as data, so
// the step re-encodes to the bytes that were sent (padding aside).
framed raw_pdu(pdu::bytes_view rest, std::size_t at, std::size_t length) {
  framed out;
  length = std::min(length, rest.size());
  const auto bhs = std::min<std::size_t>(length, out.p.bhs.size());
  std::copy_n(rest.begin(), bhs, out.p.bhs.begin());
  out.p.data.assign(rest.begin() + static_cast<std::ptrdiff_t>(bhs),
                    rest.begin() + static_cast<std::ptrdiff_t>(length));
  out.start = at;
  out.end = at + std::max<std::size_t>(length, 1);
  return out;
}

// A PDU whose header digest did not match: its parts by the BHS's lengths.
framed header_digest_wrong(pdu::bytes_view rest, std::size_t at, pdu::digest_config d) {
  pdu::bhs_bytes bhs{};
  std::copy_n(rest.begin(), bhs.size(), bhs.begin());
  const pdu::bhs_view h{bhs};
  const std::size_t ahs = h.total_ahs_bytes();
  const std::size_t data_at = 48 + ahs + 4;
  const std::size_t length = data_at + padded(h.data_segment_length()) + (d.data && h.data_segment_length() ? 4 : 0);
  if (rest.size() < length) return raw_pdu(rest, at, rest.size());
  framed out;
  std::copy_n(rest.begin(), 48, out.p.bhs.begin());
  out.p.ahs.assign(rest.begin() + 48, rest.begin() + static_cast<std::ptrdiff_t>(48 + ahs));
  const auto data = rest.subspan(data_at, h.data_segment_length());
  out.p.data.assign(data.begin(), data.end());
  out.start = at;
  out.end = at + length;
  out.digests = digest_mode::header_wrong;
  return out;
}

framed frame_one(pdu::bytes_view rest, std::size_t at, pdu::digest_config d) {
  pdu::framer f({d, any_data_length});
  std::size_t used = 0;
  while (used < rest.size()) {
    const auto st = f.decode(rest.subspan(used));
    used += st.consumed;
    if (st.status == pdu::frame_status::done ||
        (st.status == pdu::frame_status::error && st.error == pdu::frame_error::data_digest)) {
      framed out{f.take(), at, at + used, digest_mode::negotiated};
      if (st.status == pdu::frame_status::error) out.digests = digest_mode::data_wrong;
      return out;
    }
    if (st.status == pdu::frame_status::error) {
      if (st.error == pdu::frame_error::header_digest && rest.size() >= 48) return header_digest_wrong(rest, at, d);
      break;
    }
    if (st.consumed == 0) break;
  }
  return raw_pdu(rest, at, rest.size());
}

// The initiator's PDUs; digests apply after the login_requests-th Login
// Request (the one the Final-Response answered).
std::vector<framed> frame_initiator(const stream& s, const login_result& login) {
  std::vector<framed> out;
  std::size_t at = 0, login_requests = 0;
  pdu::digest_config d;
  while (at < s.bytes.size()) {
    auto one = frame_one(pdu::bytes_view{s.bytes}.subspan(at), at, d);
    if (one.p.op() == pdu::opcode::login_request && login.requests && ++login_requests == *login.requests)
      d = login.digests;
    at = one.end;
    out.push_back(std::move(one));
  }
  return out;
}

send_plan plan_for(const framed& f, const stream& s) {
  send_plan plan;
  plan.numbers = numbering::as_written;
  plan.digests = f.digests;
  for (std::size_t i = 0; i < s.write_ends.size(); ++i) {
    const auto end = s.write_ends[i];
    if (end > f.start && end < f.end) plan.splits.push_back(static_cast<std::uint32_t>(end - f.start));
    if (end == f.end) plan.wait_answer = s.answered[i];
    if (end > f.end && (i == 0 || s.write_ends[i - 1] < f.end)) plan.wait_answer = false;
  }
  return plan;
}

}  // namespace

recorded_program program_from_traffic(const std::vector<traffic_write>& traffic,
                                      const from_traffic_options& options) {
  recorded_program out;
  const auto s = initiator_stream(traffic);
  const auto login = read_login_responses(traffic);
  const auto pdus = frame_initiator(s, login);
  // The leading Login Requests of one task: the login the engine may have sent.
  std::vector<pdu::pdu> leading;
  for (const auto& f : pdus) {
    if (f.p.op() != pdu::opcode::login_request || f.end - f.start < 48 ||
        (!leading.empty() && f.p.header().initiator_task_tag() != leading[0].header().initiator_task_tag()))
      break;
    leading.push_back(f.p);
  }
  std::size_t first_step = 0;
  if (leading.empty()) {
    out.prog.login.kind = login_kind::none;
  } else if (auto plan = engine_login(leading); plan && login.requests == leading.size()) {
    // Only a login that reached the Full Feature Phase with exactly these
    // requests replays as a plan: a case that sent the engine's first
    // request and then went its own way is scripted, byte for byte.
    out.prog.login = std::move(*plan);
    first_step = leading.size();
  } else {
    out.prog.login = login_plan{};
    out.prog.login.kind = login_kind::scripted;
  }
  for (std::size_t i = first_step; i < pdus.size(); ++i) {
    const auto& f = pdus[i];
    step st{f.p, plan_for(f, s)};
    if (f.end - f.start < 48) out.notes.push_back("steps[" + std::to_string(out.prog.steps.size()) +
                                                  "]: the stream ended inside a BHS; the rest is zeros");
    if (out.prog.login.kind == login_kind::scripted && st.pdu.op() == pdu::opcode::login_request)
      st.pdu = with_target_placeholder(std::move(st.pdu), options.target_name);
    out.prog.steps.push_back(std::move(st));
  }
  if (auto why = bound_violation(out.prog); !why.empty()) {
    out.notes.push_back("clamped to the format's bounds (" + why + ")");
    clamp_to_bounds(out.prog);
  }
  return out;
}

}  // namespace touchstone::fuzz
