// A case's verdict: pass, fail (the target departs from the clause), skip
// (the case cannot apply: the reason says why) or error (the case could not
// reach its judgement: the message says what was last seen).
#pragma once

#include <string>
#include <string_view>

namespace touchstone::conformance {

enum class verdict_kind : std::uint8_t { pass, fail, skip, error };

std::string_view name(verdict_kind k);
// "pass" -> verdict_kind::pass; false for anything else.
bool parse_verdict_kind(std::string_view text, verdict_kind& out);

struct verdict {
  verdict_kind kind = verdict_kind::error;
  std::string message;

  static verdict pass(std::string m = {}) { return {verdict_kind::pass, std::move(m)}; }
  static verdict fail(std::string m) { return {verdict_kind::fail, std::move(m)}; }
  static verdict skip(std::string reason) { return {verdict_kind::skip, std::move(reason)}; }
  static verdict error(std::string m) { return {verdict_kind::error, std::move(m)}; }

  friend bool operator==(const verdict&, const verdict&) = default;
};

}  // namespace touchstone::conformance
