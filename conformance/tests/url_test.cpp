// The iscsi:// URL parser.
#include <catch2/catch.hpp>

#include "touchstone/conformance/url.hpp"

using namespace touchstone::conformance;

TEST_CASE("libiscsi URL forms parse into their parts", "[conformance][url]") {
  auto u = parse_target_url("iscsi://127.0.0.1:3261/iqn.2024-01.org.example:disk/1");
  REQUIRE(u);
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == 3261);
  CHECK(u->target_name == "iqn.2024-01.org.example:disk");
  CHECK(u->lun == 1);
  CHECK(u->user.empty());

  u = parse_target_url("iscsi://alice%s3cret@host.example/iqn.2024-01.org.example:disk/0");
  REQUIRE(u);
  CHECK(u->user == "alice");
  CHECK(u->secret == "s3cret");
  CHECK(u->host == "host.example");
  CHECK(u->port == 3260);

  u = parse_target_url("iscsi://[::1]:3262/iqn.x:y/7?target_user=tgt&target_password=pw");
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->port == 3262);
  CHECK(u->lun == 7);
  CHECK(u->target_user == "tgt");
  CHECK(u->target_password == "pw");

  u = parse_target_url("iscsi://bob@h/iqn.x:y");
  REQUIRE(u);
  CHECK(u->user == "bob");
  CHECK(u->secret.empty());
  CHECK(u->lun == 0);
}

TEST_CASE("malformed URLs are refused with a reason", "[conformance][url]") {
  for (const char* bad : {"http://h/iqn/1", "iscsi://h", "iscsi://h/", "iscsi://h:0/iqn/1",
                          "iscsi://h:70000/iqn/1", "iscsi://h:x/iqn/1", "iscsi://h/iqn/lun",
                          "iscsi://[::1/iqn/1", "iscsi://@h/iqn/1", "iscsi://h/iqn/1?bogus=1",
                          "iscsi://:3260/iqn/1"}) {
    INFO(bad);
    const auto u = parse_target_url(bad);
    REQUIRE_FALSE(u);
    CHECK_FALSE(u.error().empty());
  }
}

TEST_CASE("display() leaves the secret out", "[conformance][url]") {
  const auto u = parse_target_url("iscsi://alice%s3cret@[::1]:3262/iqn.x:y/3");
  REQUIRE(u);
  CHECK(display(*u) == "iscsi://alice@[::1]:3262/iqn.x:y/3");
}
