#include "value_names.hpp"

#include "touchstone/pdu/scsi_response.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace touchstone::pdu_tool {
namespace {

using entry = std::pair<std::uint64_t, std::string_view>;

template <std::size_t N>
std::string_view lookup(const std::array<entry, N>& table, std::uint64_t v) {
  const auto it = std::find_if(table.begin(), table.end(), [v](const entry& e) { return e.first == v; });
  return it == table.end() ? std::string_view{} : it->second;
}

// rfc7143 section 11.3.1, in our words:
// Task Attributes (ATTR): 0 Untagged, 1 Simple, 2 Ordered, 3 Head of queue, 4 ACA
constexpr std::array<entry, 5> task_attributes{{
    {0, "Untagged"}, {1, "Simple"}, {2, "Ordered"}, {3, "Head of queue"}, {4, "ACA"}}};

// rfc7143 section 11.12.3, in our words:
// 0 - SecurityNegotiation, 1 - LoginOperationalNegotiation, 3 - FullFeaturePhase
constexpr std::array<entry, 3> login_stages{{
    {0, "SecurityNegotiation"}, {1, "LoginOperationalNegotiation"}, {3, "FullFeaturePhase"}}};

//= rfc7143#section-11.13.5
//# The table below shows all of the currently allocated status codes.
constexpr std::array<entry, 18> login_statuses{{
    {0x0000, "Success"},
    {0x0101, "Target moved temporarily"},
    {0x0102, "Target moved permanently"},
    {0x0200, "Initiator error"},
    {0x0201, "Authentication failure"},
    {0x0202, "Authorization failure"},
    {0x0203, "Not found"},
    {0x0204, "Target removed"},
    {0x0205, "Unsupported version"},
    {0x0206, "Too many connections"},
    {0x0207, "Missing parameter"},
    {0x0208, "Can't include in session"},
    {0x0209, "Session type not supported"},
    {0x020a, "Session does not exist"},
    {0x020b, "Invalid during login"},
    {0x0300, "Target error"},
    {0x0301, "Service unavailable"},
    {0x0302, "Out of resources"}}};

// rfc7143 section 11.5.1, in our words:
// 1 ABORT TASK ... 8 TASK REASSIGN; 9-12 are assigned in [RFC7144]
constexpr std::array<entry, 12> tmf_functions{{
    {1, "ABORT TASK"}, {2, "ABORT TASK SET"}, {3, "CLEAR ACA"}, {4, "CLEAR TASK SET"},
    {5, "LOGICAL UNIT RESET"}, {6, "TARGET WARM RESET"}, {7, "TARGET COLD RESET"},
    {8, "TASK REASSIGN"}, {9, "QUERY TASK"}, {10, "QUERY TASK SET"}, {11, "I_T NEXUS RESET"},
    {12, "QUERY ASYNCHRONOUS EVENT"}}};

// rfc7143 section 11.6.1, in our words:
// 0 Function complete ... 6 Function authorization failed, 255 Function rejected
constexpr std::array<entry, 9> tmf_responses{{
    {0, "Function complete"}, {1, "Task does not exist"}, {2, "LUN does not exist"},
    {3, "Task still allegiant"}, {4, "Task allegiance reassignment not supported"},
    {5, "Task management function not supported"}, {6, "Function authorization failed"},
    {7, "Function succeeded"}, {255, "Function rejected"}}};

// rfc7143 section 11.14.1, in our words:
// 0 - close the session, 1 - close the connection, 2 - remove the connection for recovery
constexpr std::array<entry, 3> logout_reasons{{
    {0, "Close the session"}, {1, "Close the connection"}, {2, "Remove the connection for recovery"}}};

// rfc7143 section 11.15.1, in our words:
// 0 closed successfully, 1 CID not found, 2 recovery not supported, 3 cleanup failed
constexpr std::array<entry, 4> logout_responses{{
    {0, "Closed successfully"}, {1, "CID not found"}, {2, "Connection recovery is not supported"},
    {3, "Cleanup failed"}}};

// rfc7143 section 11.16.1, in our words:
// 0 - Data/R2T SNACK, 1 - Status SNACK, 2 - DataACK, 3 - R-Data SNACK
constexpr std::array<entry, 4> snack_types{{
    {0, "Data/R2T SNACK"}, {1, "Status SNACK"}, {2, "DataACK"}, {3, "R-Data SNACK"}}};

// rfc7143 section 11.9.1, in our words:
// The codes used for iSCSI Asynchronous Messages (events): 0 - 5; 248-255 vendor-unique
constexpr std::array<entry, 6> async_events{{
    {0, "SCSI asynchronous event"}, {1, "Logout request"}, {2, "Connection drop"},
    {3, "Session drop"}, {4, "Negotiation request"}, {5, "Task termination"}}};

// rfc7143 section 11.17.1, in our words:
// The reject Reason is coded as follows: 0x01 Reserved ... 0x0c Waiting for Logout
constexpr std::array<entry, 12> reject_reasons{{
    {0x01, "Reserved"}, {0x02, "Data (payload) digest error"}, {0x03, "SNACK Reject"},
    {0x04, "Protocol Error"}, {0x05, "Command not supported"},
    {0x06, "Immediate command reject - too many immediate commands"},
    {0x07, "Task in progress"}, {0x08, "Invalid data ack"}, {0x09, "Invalid PDU field"},
    {0x0a, "Long op reject"}, {0x0b, "Deprecated (Negotiation Reset)"},
    {0x0c, "Waiting for Logout"}}};

// rfc7143 section 11.4.3, in our words:
// 0x00 - Command Completed at Target, 0x01 - Target Failure
constexpr std::array<entry, 2> iscsi_responses{{
    {0x00, "Command Completed at Target"}, {0x01, "Target Failure"}}};

// rfc7143 section 11.2.2.1, in our words:
// 1 - Extended CDB, 2 - Bidirectional Read Expected Data Transfer Length
constexpr std::array<entry, 2> ahs_types{{
    {1, "Extended CDB"}, {2, "Bidirectional Read Expected Data Transfer Length"}}};

}  // namespace

std::string_view task_attribute_name(std::uint64_t v) { return lookup(task_attributes, v); }
std::string_view login_stage_name(std::uint64_t v) { return lookup(login_stages, v); }
std::string_view login_status_name(std::uint64_t v) { return lookup(login_statuses, v); }
std::string_view tmf_function_name(std::uint64_t v) { return lookup(tmf_functions, v); }
std::string_view tmf_response_name(std::uint64_t v) { return lookup(tmf_responses, v); }
std::string_view logout_reason_name(std::uint64_t v) { return lookup(logout_reasons, v); }
std::string_view logout_response_name(std::uint64_t v) { return lookup(logout_responses, v); }
std::string_view snack_type_name(std::uint64_t v) { return lookup(snack_types, v); }
std::string_view async_event_name(std::uint64_t v) {
  if (v >= 248 && v <= 255) return "Vendor-unique";
  return lookup(async_events, v);
}
std::string_view reject_reason_name(std::uint64_t v) { return lookup(reject_reasons, v); }
std::string_view iscsi_response_name(std::uint64_t v) {
  if (v >= 0x80 && v <= 0xff) return "Vendor specific";
  return lookup(iscsi_responses, v);
}
// The library's names (pdu/scsi_response.hpp): the status byte is one octet.
std::string_view scsi_status_name(std::uint64_t v) { return v > 0xff ? std::string_view{} : pdu::scsi_status_name(static_cast<std::uint8_t>(v)); }
std::string_view ahs_type_name(std::uint64_t v) { return lookup(ahs_types, v); }

}  // namespace touchstone::pdu_tool
