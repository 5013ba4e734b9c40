// The leniency table (strict mode): name -> the requirement id it relaxes.
#include "touchstone/target/leniency.hpp"

#include <algorithm>
#include <array>

namespace touchstone::target {

std::span<const leniency> leniency_table() {
  static constexpr std::array rows{
      leniency{"initial-r2t", "rfc7143#section-13.10/initial-r2t",
               "unsolicited Data-Out announced (F=0) with InitialR2T=Yes is accepted up to "
               "FirstBurstLength instead of ending the task with CHECK CONDITION"},
      leniency{"immediate-data", "rfc7143#section-13.11/immediate-data",
               "immediate data with ImmediateData=No is taken (a non-write command's data is "
               "dropped) instead of ending the task with CHECK CONDITION"},
      leniency{"first-burst", "rfc7143#section-11.7.1/first-burst",
               "immediate data beyond FirstBurstLength (within EDTL) is taken instead of ending "
               "the task with CHECK CONDITION"},
      leniency{"data-sn", "rfc7143#section-7.9/data-sn",
               "a Data-Out with an unexpected DataSN but the right Buffer Offset is taken instead "
               "of ending the task at ERL 0"},
      leniency{"nop-out-ttt", "rfc7143#section-11.18.2/unknown-ttt",
               "a NOP-Out with a Target Transfer Tag no ping sent is ignored instead of Reject 0x09"},
      leniency{"protocol-level", "rfc7144#section-6.3/protocol-level",
               "QUERY TASK, QUERY TASK SET, I_T NEXUS RESET and QUERY ASYNCHRONOUS EVENT run "
               "without iSCSIProtocolLevel=2 instead of \"function not supported\""},
      leniency{"text-outstanding", "rfc7143#section-6.2/outstanding",
               "a Text Request whose ExpStatSN does not acknowledge the last Text Response is "
               "answered instead of rejected (Protocol Error)"},
      leniency{"login-outstanding", "rfc7143#section-6.3/outstanding",
               "a Login Request whose ExpStatSN does not acknowledge the last Login Response is "
               "answered instead of ending the login (initiator error)"},
      leniency{"unsolicited-order", "rfc7143#section-4.2.5.2/unsolicited-order",
               "unsolicited Data-Out of a command while an earlier command's unsolicited data is "
               "still due is taken instead of ending the session"},
  };
  return rows;
}

const leniency* find_leniency(std::string_view name) {
  const auto rows = leniency_table();
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const leniency& l) { return l.name == name; });
  return it == rows.end() ? nullptr : &*it;
}

const leniency* leniency_for(std::string_view requirement) {
  const auto rows = leniency_table();
  const auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const leniency& l) { return l.requirement == requirement; });
  return it == rows.end() ? nullptr : &*it;
}

}  // namespace touchstone::target
