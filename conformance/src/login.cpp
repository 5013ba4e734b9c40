// The login driver: one request/response exchange at a time, stage by stage.
#include "touchstone/conformance/login.hpp"

#include "chap_exchange.hpp"
#include "touchstone/pdu/negotiation.hpp"

namespace touchstone::conformance {

using pdu::login_stage;

std::string_view name(login_ending e) {
  switch (e) {
    case login_ending::success: return "success";
    case login_ending::status: return "status";
    case login_ending::protocol: return "protocol";
    case login_ending::transport: return "transport";
  }
  return "?";
}

std::string login_outcome::summary() const {
  switch (how) {
    case login_ending::success: return "logged in";
    case login_ending::status: {
      char code[8];
      std::snprintf(code, sizeof code, "0x%04x", static_cast<unsigned>(status));
      return std::string("login status ") + code + (detail.empty() ? "" : " (" + detail + ")");
    }
    default: return std::string(name(how)) + ": " + detail;
  }
}

pdu::text_pairs login_outcome::response_pairs() const {
  pdu::text_pairs all;
  for (const auto& r : responses) {
    auto pairs = pairs_of(r);
    all.insert(all.end(), pairs.begin(), pairs.end());
  }
  return all;
}

std::optional<std::string> find_value(const pdu::text_pairs& pairs, std::string_view key) {
  std::optional<std::string> found;
  for (const auto& kv : pairs)
    if (kv.key == key) found = kv.value;
  return found;
}

pdu::text_pairs pairs_of(const pdu::pdu& p) {
  auto parsed = pdu::parse_text(pdu::bytes_view{p.data});
  return parsed ? std::move(*parsed) : pdu::text_pairs{};
}

pdu::text_pairs identity_keys(const login_options& o) {
  pdu::text_pairs keys{{"InitiatorName", o.initiator_name}};
  if (o.declare_session_type) keys.push_back({"SessionType", o.discovery ? "Discovery" : "Normal"});
  // A Discovery session names its target only when asked to (a Named
  // Discovery session, section 7.4.2.2): discovery_login() clears the name.
  if (!o.discovery || !o.target_name.empty()) keys.push_back({"TargetName", o.target_name});
  return keys;
}

pdu::login_request_builder login_request(session& s, const login_options& o) {
  pdu::login_request_builder b;
  b.isid(o.isid).tsih(o.tsih).cid(o.cid).cmd_sn(o.cmd_sn).exp_stat_sn(s.exp_stat_sn());
  b.initiator_task_tag(s.next_itt()).csg(login_stage::security_negotiation);
  return b;
}

namespace {

class login_driver {
 public:
  login_driver(session& s, const login_options& o)
      : s_(s), o_(o), n_(context(o), {}), chap_(o.chap), itt_(s.next_itt()) {}

  login_outcome run() {
    stage_ = o_.security_stage ? login_stage::security_negotiation
                               : login_stage::operational_negotiation;
    n_.set_phase(phase_of(stage_));
    auto text = identity_keys(o_);
    append(text, stage_ == login_stage::security_negotiation ? security_offer() : operational_offer());
    for (int i = 0; i < o_.max_exchanges; ++i) {
      if (!exchange_text(text)) return std::move(out_);
      if (finished_) return finish();
      text = next_text();
      if (!error_.empty()) return fail_protocol();
    }
    out_.how = login_ending::protocol;
    out_.detail = "no Final-Response after " + std::to_string(o_.max_exchanges) + " exchanges";
    return std::move(out_);
  }

 private:
  static pdu::negotiation_context context(const login_options& o) {
    return {pdu::role::initiator, pdu::negotiation_phase::security,
            o.discovery ? pdu::session_kind::discovery : pdu::session_kind::normal, o.tsih == 0};
  }
  static pdu::negotiation_phase phase_of(login_stage st) {
    return st == login_stage::security_negotiation ? pdu::negotiation_phase::security
                                                   : pdu::negotiation_phase::operational;
  }
  static void append(pdu::text_pairs& to, const pdu::text_pairs& more) {
    to.insert(to.end(), more.begin(), more.end());
  }

  pdu::text_pairs security_offer() {
    pdu::text_pairs offer{{"AuthMethod", chap_.enabled() ? "CHAP" : "None"}};
    return negotiated(offer);
  }

  pdu::text_pairs operational_offer() {
    auto offer = o_.operational;
    if (!find_value(offer, "MaxRecvDataSegmentLength"))
      offer.push_back({"MaxRecvDataSegmentLength", std::to_string(o_.max_recv_data_segment_length)});
    return negotiated(offer);
  }

  // Registers offers with the negotiator; keys it refuses go out anyway
  // (a case may offer anything) and are noted.
  pdu::text_pairs negotiated(const pdu::text_pairs& offer) {
    for (const auto& kv : offer) {
      auto r = n_.offer_pairs({kv});
      if (!r) out_.problems.push_back("our offer " + kv.key + ": " + std::string(pdu::name(r.error())));
    }
    return offer;
  }

  // T=1 toward the next stage unless CHAP still has steps to take or more
  // text follows (C=1).
  pdu::pdu build(pdu::bytes_view text, bool more) {
    auto b = pdu::login_request_builder{};
    b.isid(o_.isid).tsih(o_.tsih).cid(o_.cid).cmd_sn(o_.cmd_sn).exp_stat_sn(s_.exp_stat_sn());
    b.initiator_task_tag(itt_).csg(stage_);
    const bool may_transit = stage_ != login_stage::security_negotiation || chap_.may_transit();
    //= rfc7143#section-11.12.2
    //# A Login Request with the
    //# C bit set to 1 MUST have the T bit set to 0.
    if (may_transit && !continuing_ && !more)
      b.transit_to(stage_ == login_stage::security_negotiation ? login_stage::operational_negotiation
                                                               : login_stage::full_feature_phase);
    if (more) b.continue_bit();
    b.data(text);
    return b.build();
  }

  // The target declares its MaxRecvDataSegmentLength only as login ends, so
  // every Login Request is held to the default.
  //= rfc7143#section-13.12
  //# The transmitter (initiator or target) is required to send PDUs with a
  //# data segment that does not exceed MaxRecvDataSegmentLength of the
  //# receiver.
  static constexpr std::size_t login_segment_limit = 8192;

  // One request's text: longer text goes out in several Login Requests, C=1
  // on all but the last, each but the last answered by an empty response.
  //= rfc7143#section-6
  //# Since some key=value pairs may not fit entirely in a single PDU, the
  //# C (Continue) bit is used (both in Login and Text) to indicate that
  //# "more follows".
  bool exchange_text(const pdu::text_pairs& text) {
    const auto encoded = pdu::encode_text(text);
    const auto chunks = pdu::split_text(encoded, login_segment_limit);
    for (const auto& chunk : chunks) {
      if (!exchange(build(chunk.data, chunk.continue_bit))) return false;
      if (!chunk.continue_bit) continue;
      if (finished_) {
        out_.how = login_ending::protocol;
        out_.detail = "the target ended the login while our text continued (C=1)";
        return false;
      }
      //= rfc7143#section-6.2
      //# A target receiving a Text or Login Request with the C bit set to 1
      //# MUST answer with a Text or Login Response with no data segment
      //# (DataSegmentLength 0).
      if (const auto& r = out_.responses.back(); !r.data.empty()) {
        out_.how = login_ending::protocol;
        out_.detail = "the target answered our Login Request with C=1 by " + std::to_string(r.data.size()) +
                      " bytes of text" + (pdu::login_response_view(r).continue_bit() ? " (C=1)" : "") +
                      ", not an empty Login Response";
        return false;
      }
    }
    return true;
  }

  // Sends one request and reads its response; false when the login ended.
  bool exchange(const pdu::pdu& request) {
    out_.requests.push_back(request);
    if (const auto ec = s_.send(request)) return end_transport("sending a Login Request: " + ec.message());
    auto seen = s_.expect_pdu();
    out_.last = seen;
    if (!seen.is_pdu()) return end_transport(seen.describe());
    if (!seen.is(pdu::opcode::login_response)) {
      out_.how = login_ending::protocol;
      out_.detail = "a " + describe(seen.received) + " during login";
      return false;
    }
    out_.responses.push_back(seen.received);
    return read_response(seen.received);
  }

  bool end_transport(std::string why) {
    out_.how = login_ending::transport;
    out_.detail = std::move(why);
    return false;
  }

  bool read_response(const pdu::pdu& p) {
    const pdu::login_response_view r(p);
    if (r.status() != pdu::login_status::success) {
      out_.how = login_ending::status;
      out_.status = r.status();
      out_.detail = pdu::login_response_view(p).status_class() == 1 ? "redirection" : "";
      return false;
    }
    if (!assembler_.add(pdu::bytes_view{p.data}, r.continue_bit())) {
      error_ = "the target's login text exceeds the assembler's bound";
      return true;
    }
    continuing_ = r.continue_bit();
    if (continuing_) return true;
    auto pairs = assembler_.take();
    if (!pairs) {
      error_ = "malformed login text: " + std::string(pdu::name(pairs.error()));
      return true;
    }
    received_ = std::move(*pairs);
    transited_ = r.transit();
    next_stage_ = r.nsg();
    tsih_ = r.tsih();
    finished_ = r.is_final_response();
    if (finished_) absorb(received_);
    return true;
  }

  // Feeds the target's pairs to the negotiator one at a time, so one bad key
  // does not hide the others; CHAP keys go to the CHAP exchange instead.
  pdu::text_pairs absorb(const pdu::text_pairs& pairs) {
    pdu::text_pairs answers;
    for (const auto& kv : pairs) {
      if (kv.key.rfind("CHAP_", 0) == 0) {
        chap_.receive(kv);
        continue;
      }
      auto r = n_.receive({kv});
      if (!r) {
        const auto problem = r.error() == pdu::negotiation_error::answer_not_admissible
                                 ? not_admissible(kv)
                                 : kv.key + "=" + kv.value + ": " + std::string(pdu::name(r.error()));
        out_.problems.push_back(problem);
        if (o_.strict_negotiation) error_ = problem;
        continue;
      }
      append(answers, *r);
    }
    return answers;
  }

  //= rfc7143#section-6.2.2
  //# The selection, by the acceptor, of a value not admissible under the
  //# selection rules is considered a protocol error.
  // Noted once, on the session, with what we offered; the negotiator keeps
  // the legal result, so the session goes on with it and never with the
  // illegal answer (a target answering ImmediateData=Yes to our No must not
  // make us send immediate data).
  std::string not_admissible(const pdu::key_value& kv) {
    const auto ours = find_value(o_.operational, kv.key);
    const auto kept = n_.agreed().find(kv.key);
    auto text = kv.key + "=" + kv.value + " answers our offer " + kv.key + "=" + ours.value_or("?") +
                ": not admissible under the key's result function (rfc7143#section-6.2.2); going on with " +
                (kept != n_.agreed().end() ? kv.key + "=" + kept->second : "the default (no legal result)");
    s_.note_violation({{"rfc7143#section-6.2.2/answer-not-admissible", pdu::severity::protocol_error,
                        "a negotiation answer its result function rules out"},
                       text});
    return text;
  }

  // The text of the next request, after a complete (or partial) response.
  pdu::text_pairs next_text() {
    if (continuing_ || !error_.empty()) return {};
    auto text = absorb(received_);
    if (stage_ == login_stage::security_negotiation) {
      auto step = chap_.next_step(n_);
      if (!step) {
        error_ = step.error();
        return {};
      }
      append(text, *step);
    }
    if (transited_ && next_stage_ != stage_) {
      stage_ = next_stage_;
      n_.set_phase(phase_of(stage_));
      if (stage_ == login_stage::operational_negotiation) append(text, operational_offer());
    }
    return text;
  }

  login_outcome fail_protocol() {
    out_.how = login_ending::protocol;
    out_.detail = error_;
    s_.wire().close();
    return std::move(out_);
  }

  login_outcome finish() {
    if (auto verified = chap_.verify_target(); !verified) {
      error_ = verified.error();
      return fail_protocol();
    }
    auto params = n_.finish();
    if (!params) {
      out_.problems.push_back("negotiated values: " + std::string(pdu::name(params.error())));
      if (o_.strict_negotiation) {
        error_ = out_.problems.back();
        return fail_protocol();
      }
      params = lenient_parameters();
    }
    out_.params = *params;
    out_.how = login_ending::success;
    const pdu::login_response_view last(out_.responses.back());
    s_.set_tsih(tsih_);
    s_.set_cmd_sn(last.exp_cmd_sn());
    s_.enter_full_feature(out_.params);
    return std::move(out_);
  }

  // The agreed and declared values applied one by one, skipping bad ones.
  pdu::session_parameters lenient_parameters() const {
    pdu::session_parameters p;
    for (const auto& [key, value] : n_.agreed()) (void)pdu::apply_key(p, key, value);
    for (const auto& [key, value] : n_.declared_by_us()) (void)pdu::apply_key(p, key, value);
    const auto ours = p.max_recv_data_segment_length;
    for (const auto& [key, value] : n_.declared_by_peer()) (void)pdu::apply_key(p, key, value);
    p.max_recv_data_segment_length = ours;
    p.max_send_data_segment_length = 8192;
    if (const auto it = n_.declared_by_peer().find("MaxRecvDataSegmentLength");
        it != n_.declared_by_peer().end()) {
      auto value = pdu::parse_number(it->second);
      if (value) p.max_send_data_segment_length = static_cast<std::uint32_t>(*value);
    }
    return p;
  }

  session& s_;
  const login_options& o_;
  pdu::negotiator n_;
  chap_exchange chap_;
  std::uint32_t itt_;
  login_outcome out_;
  pdu::text_assembler assembler_;
  pdu::text_pairs received_;
  login_stage stage_ = login_stage::security_negotiation;
  login_stage next_stage_ = login_stage::security_negotiation;
  bool transited_ = false;
  bool continuing_ = false;
  bool finished_ = false;
  std::uint16_t tsih_ = 0;
  std::string error_;
};

}  // namespace

login_outcome login(session& s, const login_options& o) { return login_driver(s, o).run(); }

}  // namespace touchstone::conformance
