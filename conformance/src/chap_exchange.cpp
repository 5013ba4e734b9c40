// The initiator's CHAP steps, on the pdu chap helpers.
#include "chap_exchange.hpp"

#include "touchstone/pdu/chap.hpp"

namespace touchstone::conformance {

namespace {
pdu::bytes_view bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

bool chap_exchange::may_transit() const {
  if (!enabled()) return true;
  if (state_ == state::idle) return false;  // AuthMethod=CHAP offered, not yet settled
  return state_ != state::algorithm_sent;
}

void chap_exchange::receive(const pdu::key_value& kv) { from_target_.push_back(kv); }

result<pdu::text_pairs, std::string> chap_exchange::next_step(const pdu::negotiator& n) {
  const auto method = n.agreed().find("AuthMethod");
  chosen_ = method != n.agreed().end() && method->second == "CHAP";
  if (!enabled() || !chosen_) {
    if (enabled() && method != n.agreed().end()) state_ = state::done;  // the target chose None
    return pdu::text_pairs{};
  }
  switch (state_) {
    case state::idle:
      //= rfc7143#section-12.1.3
      //# To guarantee interoperability, initiators MUST always offer it as one
      //# of the proposed algorithms.
      state_ = state::algorithm_sent;
      return pdu::text_pairs{{"CHAP_A", "5"}};
    case state::algorithm_sent:
      return respond();
    case state::responded: {
      if (auto ok = verify_target(); !ok) return fail(ok.error());
      state_ = state::done;
      return pdu::text_pairs{};
    }
    case state::done:
      return pdu::text_pairs{};
  }
  return pdu::text_pairs{};
}

//= rfc7143#section-12.1.3
//# The initiator MUST continue with:
//#
//#    CHAP_N=<N> CHAP_R=<R>
//#
//# or, if it requires target authentication, with:
//#
//#    CHAP_N=<N> CHAP_R=<R> CHAP_I=<I> CHAP_C=<C>
result<pdu::text_pairs, std::string> chap_exchange::respond() {
  const auto algorithm = find_value(from_target_, "CHAP_A");
  const auto identifier_text = find_value(from_target_, "CHAP_I");
  const auto challenge_text = find_value(from_target_, "CHAP_C");
  if (!algorithm || !identifier_text || !challenge_text)
    return fail(std::string("the target sent no CHAP_A/CHAP_I/CHAP_C"));
  if (*algorithm != "5") return fail("the target chose CHAP_A=" + *algorithm + ", not offered");
  auto identifier = pdu::parse_chap_identifier(*identifier_text);
  auto challenge = pdu::parse_chap_binary(*challenge_text);
  if (!identifier || !challenge) return fail(std::string("unreadable CHAP_I or CHAP_C"));
  auto response = pdu::chap_response(*identifier, bytes_of(credentials_->secret), *challenge);
  if (!response) return fail(std::string("MD5 failed"));
  pdu::text_pairs out{{"CHAP_N", credentials_->user},
                      {"CHAP_R", pdu::encode_chap_binary(*response)}};
  if (credentials_->mutual()) {
    auto id = pdu::chap_make_identifier();
    auto c = pdu::chap_make_challenge(16);
    if (!id || !c) return fail(std::string("no random challenge"));
    our_identifier_ = *id;
    our_challenge_ = *c;
    out.push_back({"CHAP_I", std::to_string(our_identifier_)});
    out.push_back({"CHAP_C", pdu::encode_chap_binary(our_challenge_)});
  }
  from_target_.clear();
  state_ = state::responded;
  return out;
}

//= rfc7143#section-12.1.3
//# If the target authentication fails, the initiator MUST close the
//# connection
result<void, std::string> chap_exchange::verify_target() const {
  if (!enabled() || !chosen_ || !credentials_->mutual() || state_ == state::done) return ok;
  const auto user = find_value(from_target_, "CHAP_N");
  const auto answer = find_value(from_target_, "CHAP_R");
  if (!user || !answer) return fail(std::string("mutual CHAP: the target sent no CHAP_N/CHAP_R"));
  if (*user != credentials_->target_user)
    return fail("mutual CHAP: the target named itself " + *user);
  auto expected = pdu::chap_response(our_identifier_, bytes_of(credentials_->target_secret),
                                     our_challenge_);
  auto received = pdu::parse_chap_binary(*answer);
  if (!expected || !received || !pdu::chap_response_matches(*expected, *received))
    return fail(std::string("mutual CHAP: the target's CHAP_R is wrong"));
  return ok;
}

}  // namespace touchstone::conformance
