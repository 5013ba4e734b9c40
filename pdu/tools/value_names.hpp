// Human names for the coded values of BHS fields (task attributes, login
// stages, reasons, responses, ...), for the touchstone-pdu printer. Each
// returns "" for a value the RFC does not assign, so the printer shows the
// number alone.
#pragma once

#include <cstdint>
#include <string_view>

namespace touchstone::pdu_tool {

using value_namer = std::string_view (*)(std::uint64_t);

std::string_view task_attribute_name(std::uint64_t v);
std::string_view login_stage_name(std::uint64_t v);
std::string_view login_status_name(std::uint64_t v);
std::string_view tmf_function_name(std::uint64_t v);
std::string_view tmf_response_name(std::uint64_t v);
std::string_view logout_reason_name(std::uint64_t v);
std::string_view logout_response_name(std::uint64_t v);
std::string_view snack_type_name(std::uint64_t v);
std::string_view async_event_name(std::uint64_t v);
std::string_view reject_reason_name(std::uint64_t v);
std::string_view iscsi_response_name(std::uint64_t v);
std::string_view scsi_status_name(std::uint64_t v);
std::string_view ahs_type_name(std::uint64_t v);

}  // namespace touchstone::pdu_tool
