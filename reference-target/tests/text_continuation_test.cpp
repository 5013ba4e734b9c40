// Text Requests with continuation, in process: a request text over two PDUs
// (C bit), an answer longer than the initiator's MaxRecvDataSegmentLength in
// parts invited by the Target Transfer Tag, a stale TTT, and a key repeated in one negotiation.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

step discovery_login(driver& d, pdu::text_pairs extra = {}) {
  pdu::text_pairs pairs{{"InitiatorName", std::string(initiator_iqn)}, {"SessionType", "Discovery"}};
  pairs.insert(pairs.end(), extra.begin(), extra.end());
  return d.feed(login(pdu::login_stage::operational_negotiation, pairs)
                    .transit_to(pdu::login_stage::full_feature_phase)
                    .build());
}

}  // namespace

TEST_CASE("text: a request text continued over two PDUs", "[target][text]") {
  //= rfc7143#section-11.10.2
  //= type=test
  //# When set to 1, this bit indicates that the text (set of key=value pairs)
  //# in this Text Request is not complete (it will be continued on subsequent
  //# Text Requests)
  //= rfc7143#section-6.4 type=test
  //# Whenever the target responds with the F bit set to 0, it MUST set the Target Transfer Tag to a
  //# value other than the default 0xffffffff.
  driver d;
  discovery_login(d);
  const auto all = text({{"SendTargets", "All"}});
  const pdu::byte_buffer head(all.begin(), all.begin() + 5), tail(all.begin() + 5, all.end());
  auto s1 = d.feed(pdu::text_request_builder().initiator_task_tag(3).cmd_sn(10).immediate()
                       .final_bit(false).continue_bit().data(head).build());
  REQUIRE(s1.sent.size() == 1);
  const pdu::text_response_view r1(s1.sent[0]);
  CHECK_FALSE(r1.final_bit());
  CHECK(r1.target_transfer_tag() != pdu::reserved_tag);
  CHECK(s1.sent[0].data.empty());
  auto s2 = d.feed(pdu::text_request_builder().initiator_task_tag(3).cmd_sn(10).immediate()
                       .target_transfer_tag(r1.target_transfer_tag()).data(tail).build());
  REQUIRE(s2.sent.size() == 1);
  const pdu::text_response_view r2(s2.sent[0]);
  CHECK(r2.final_bit());
  CHECK(r2.target_transfer_tag() == pdu::reserved_tag);
  CHECK(find_key(parse(s2.sent[0]), "TargetName") != nullptr);
}

TEST_CASE("text: a long answer in parts invited by the TTT", "[target][text]") {
  //= rfc7143#section-11.10.4
  //= type=test
  //# The target sets the Target Transfer Tag in a Text Response to a value
  //# other than the reserved value 0xffffffff whenever it indicates that it
  //# has more data to send
  //= rfc7143#section-11.10.4
  //= type=test
  //# If the Target Transfer Tag is not 0xffffffff, the LUN field MUST be sent
  //# by the target in the Text Response.
  constexpr std::uint64_t lun = 0x0001000000000000ULL;
  target_config config;
  for (int i = 0; i < 40; ++i) config.portals.push_back("192.0.2." + std::to_string(i) + ":3260");
  driver d(make_node(config));
  discovery_login(d, {{"MaxRecvDataSegmentLength", "512"}});
  auto s = d.feed(pdu::text_request_builder().initiator_task_tag(3).cmd_sn(10).immediate().lun(lun)
                      .data(text({{"SendTargets", "All"}})).build());
  pdu::byte_buffer answer;
  int parts = 0;
  for (;;) {
    REQUIRE(s.sent.size() == 1);
    const pdu::text_response_view r(s.sent[0]);
    CHECK(s.sent[0].data.size() <= 512);
    answer.insert(answer.end(), s.sent[0].data.begin(), s.sent[0].data.end());
    ++parts;
    if (r.final_bit()) {
      CHECK(r.target_transfer_tag() == pdu::reserved_tag);
      CHECK_FALSE(r.continue_bit());
      break;
    }
    CHECK(r.continue_bit());
    CHECK(r.target_transfer_tag() != pdu::reserved_tag);
    CHECK(r.lun() == lun);
    REQUIRE(parts < 20);
    s = d.feed(pdu::text_request_builder().initiator_task_tag(3).cmd_sn(10).immediate().lun(lun)
                   .target_transfer_tag(r.target_transfer_tag()).build());
  }
  CHECK(parts > 1);
  const auto pairs = pdu::parse_text(pdu::bytes_view(answer));
  REQUIRE(pairs);
  CHECK(pairs->size() == 41);
}

TEST_CASE("text: a stale Target Transfer Tag is rejected", "[target][text]") {
  //= rfc7143#section-11.11.4
  //= type=test
  //# The target may reject subsequent Text Requests with the Target Transfer
  //# Tag set to the "stale" value.
  driver d;
  discovery_login(d);
  auto s = d.feed(pdu::text_request_builder().initiator_task_tag(3).cmd_sn(10).immediate()
                      .target_transfer_tag(0x1234).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::invalid_pdu_field);
}

TEST_CASE("text: a key repeated in one negotiation is rejected as a protocol error", "[target][text]") {
  //= rfc7143#section-6.4
  //= type=test
  //# If such an attempt is
  //# detected by the target, the target MUST respond with a Reject PDU
  //# with a reason of "Protocol Error".
  driver d;
  logged_in(d);
  auto s = d.feed(pdu::text_request_builder().initiator_task_tag(3).cmd_sn(10).immediate()
                      .data(text({{"X-org.example.k", "1"}, {"X-org.example.k", "2"}})).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::protocol_error);
  CHECK_FALSE(s.closed);
  // The exchange is reset: the next request with the key once is answered.
  s = d.feed(pdu::text_request_builder().initiator_task_tag(4).cmd_sn(10).immediate()
                 .data(text({{"X-org.example.k", "1"}})).build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::text_response);
  CHECK(find_key(parse(s.sent[0]), "X-org.example.k") != nullptr);
}
