// The findings of a run in its reports: the list --json holds
// ("finding_list": kind, signature, folder, count, minimised, confirmed) and
// the JUnit XML --junit writes (one failing testcase per distinct finding,
// its text the signature and the folder; a skipped testcase per unconfirmed
// stall; one passing testcase "no findings" when there are none), for CI
// systems that show JUnit results.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "touchstone/fuzz/net/findings.hpp"

namespace touchstone::fuzz::tool {

struct finding_entry {
  net::finding_kind kind = net::finding_kind::protocol;
  std::string signature;    // signature::text()
  std::string folder;       // where it was written
  std::uint64_t count = 1;  // times seen
  bool minimised = false;   // minimized.json written
  // False for a stall no replay showed again (campaign.cpp): reported,
  // never counted as a finding.
  bool confirmed = true;
};

nlohmann::json finding_list_json(const std::vector<finding_entry>& found);

// The JUnit document; `suite` names the run (the target).
std::string junit_xml(const std::vector<finding_entry>& found, const std::string& suite,
                      double seconds);
bool write_junit(const std::string& file, const std::vector<finding_entry>& found,
                 const std::string& suite, double seconds, std::string& why);

}  // namespace touchstone::fuzz::tool
