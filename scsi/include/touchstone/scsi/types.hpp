// SCSI wire values as named constants: status codes, sense keys, additional
// sense codes, task attributes. Wire enums keep unknown values (plain
// enum class over the wire type), so a decoder never loses information.
#pragma once

#include <cstdint>

namespace touchstone::scsi {

//= sam5#5.3.1 table 24
//# status codes
enum class status : std::uint8_t {
  good = 0x00,
  check_condition = 0x02,
  condition_met = 0x04,
  busy = 0x08,
  reservation_conflict = 0x18,
  task_set_full = 0x28,
  aca_active = 0x30,
  task_aborted = 0x40,
};

//= spc4#4.5.6 table 48
//# sense key descriptions
enum class sense_key : std::uint8_t {
  no_sense = 0x0,
  recovered_error = 0x1,
  not_ready = 0x2,
  medium_error = 0x3,
  hardware_error = 0x4,
  illegal_request = 0x5,
  unit_attention = 0x6,
  data_protect = 0x7,
  blank_check = 0x8,
  vendor_specific = 0x9,
  copy_aborted = 0xA,
  aborted_command = 0xB,
  volume_overflow = 0xD,
  miscompare = 0xE,
  completed = 0xF,
};

// An additional sense code and its qualifier.
struct asc_ascq {
  std::uint8_t asc = 0;
  std::uint8_t ascq = 0;
  friend constexpr bool operator==(asc_ascq, asc_ascq) = default;
};

//= spc4#4.5.6 table 49
//# ASC and ASCQ assignments (the ones this device server reports)
namespace asc {
inline constexpr asc_ascq no_additional_sense{0x00, 0x00};
inline constexpr asc_ascq not_ready_initializing_command_required{0x04, 0x02};
inline constexpr asc_ascq not_ready_manual_intervention_required{0x04, 0x03};
inline constexpr asc_ascq write_error{0x0C, 0x00};
inline constexpr asc_ascq invalid_field_in_command_information_unit{0x0E, 0x03};
inline constexpr asc_ascq unrecovered_read_error{0x11, 0x00};
inline constexpr asc_ascq miscompare_during_verify{0x1D, 0x00};
inline constexpr asc_ascq parameter_list_length_error{0x1A, 0x00};
inline constexpr asc_ascq invalid_command_operation_code{0x20, 0x00};
inline constexpr asc_ascq lba_out_of_range{0x21, 0x00};
inline constexpr asc_ascq invalid_field_in_cdb{0x24, 0x00};
inline constexpr asc_ascq logical_unit_not_supported{0x25, 0x00};
inline constexpr asc_ascq invalid_field_in_parameter_list{0x26, 0x00};
inline constexpr asc_ascq parameter_not_supported{0x26, 0x01};
inline constexpr asc_ascq parameter_value_invalid{0x26, 0x02};
inline constexpr asc_ascq invalid_release_of_persistent_reservation{0x26, 0x04};
inline constexpr asc_ascq write_protected{0x27, 0x00};
inline constexpr asc_ascq hardware_write_protected{0x27, 0x01};
inline constexpr asc_ascq software_write_protected{0x27, 0x02};
inline constexpr asc_ascq space_allocation_failed_write_protect{0x27, 0x07};
inline constexpr asc_ascq power_on_reset_or_bus_device_reset{0x29, 0x00};
inline constexpr asc_ascq power_on_occurred{0x29, 0x01};
inline constexpr asc_ascq scsi_bus_reset_occurred{0x29, 0x02};
inline constexpr asc_ascq bus_device_reset_function_occurred{0x29, 0x03};
inline constexpr asc_ascq device_internal_reset{0x29, 0x04};
inline constexpr asc_ascq i_t_nexus_loss_occurred{0x29, 0x07};
inline constexpr asc_ascq parameters_changed{0x2A, 0x00};
inline constexpr asc_ascq mode_parameters_changed{0x2A, 0x01};
inline constexpr asc_ascq reservations_preempted{0x2A, 0x03};
inline constexpr asc_ascq reservations_released{0x2A, 0x04};
inline constexpr asc_ascq registrations_preempted{0x2A, 0x05};
inline constexpr asc_ascq capacity_data_has_changed{0x2A, 0x09};
inline constexpr asc_ascq commands_cleared_by_another_initiator{0x2F, 0x00};
inline constexpr asc_ascq commands_cleared_by_device_server{0x2F, 0x02};
inline constexpr asc_ascq saving_parameters_not_supported{0x39, 0x00};
inline constexpr asc_ascq inquiry_data_has_changed{0x3F, 0x03};
inline constexpr asc_ascq reported_luns_data_has_changed{0x3F, 0x0E};
inline constexpr asc_ascq internal_target_failure{0x44, 0x00};
inline constexpr asc_ascq commands_cleared_by_iscsi_protocol_event{0x47, 0x7F};
inline constexpr asc_ascq overlapped_commands_attempted{0x4E, 0x00};
inline constexpr asc_ascq insufficient_registration_resources{0x55, 0x04};
}  // namespace asc

//= sam5#8.6 table 54
//# task attributes (the transport maps its own encoding onto these)
enum class task_attribute : std::uint8_t {
  simple = 0,
  ordered = 1,
  head_of_queue = 2,
  aca = 3,
};

}  // namespace touchstone::scsi
