// Malformed-PDU helpers shared by the malformed*.cpp case files: send one
// PDU on a fresh session, then judge a Reject, a close, or the format-error
// termination of section 7.7, each followed by the survival check.
#pragma once

#include <algorithm>

#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {

// The answer to a PDU sent on a logged-in session.
struct provoked {
  session* s = nullptr;
  pdu::pdu sent;
  observation answer;
};

template <class Build>
provoked provoke(case_context& ctx, Build build) {
  provoked p;
  p.s = ctx.logged_in();
  if (!p.s) return p;
  p.sent = build(*p.s);
  if (const auto ec = p.s->send(p.sent)) p.answer = {observed::io_error, {}, ec.message()};
  else p.answer = p.s->expect_pdu();
  return p;
}

// Reject with one of `reasons`, or (when close_allowed) the connection
// closing; then a fresh session must work.
inline verdict refused(case_context& ctx, const provoked& p, std::string_view what,
                       std::initializer_list<std::uint8_t> reasons, bool close_allowed) {
  if (!p.s) return ctx.setup_error();
  if (p.answer.connection_lost()) {
    if (!close_allowed) return verdict::fail(std::string(what) + " closed the connection instead of a Reject");
  } else if (const auto reason = reject_reason(p.answer)) {
    if (std::find(reasons.begin(), reasons.end(), *reason) == reasons.end())
      return verdict::fail(std::string(what) + " was rejected with reason " + std::to_string(*reason));
  } else {
    return unexpected(p.answer, close_allowed ? "a Reject or the connection's close" : "a Reject");
  }
  return survives(ctx, what);
}

// A format error: the target MUST terminate the connection (section 7.7).
inline verdict terminated(case_context& ctx, const provoked& p, std::string_view what) {
  if (!p.s) return ctx.setup_error();
  auto seen = p.answer;
  if (seen.is_pdu()) seen = p.s->expect_close(p.s->times().wait);
  if (!seen.connection_lost())
    return verdict::fail(std::string(what) + " (a format error) did not end the connection: " + p.answer.describe());
  return survives(ctx, what);
}

}  // namespace touchstone::conformance::cases
