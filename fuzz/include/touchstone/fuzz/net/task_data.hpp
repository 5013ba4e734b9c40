// What a run's SCSI tasks got back, kept when run_options::keep_read_data
// asks (the data-integrity oracle's input, integrity.hpp): the ITT each step
// was sent with, every Data-In's data with its buffer offset, every status.
// Bounded: at most max_task_data_bytes of data and max_task_answers entries
// per run; past them the rest is dropped and `truncated` says so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::net {

inline constexpr std::size_t max_task_data_bytes = 1u << 20;
inline constexpr std::size_t max_task_answers = 4096;

struct task_answer {
  std::uint32_t itt = 0;
  std::uint32_t offset = 0;            // Data-In: its buffer offset
  pdu::byte_buffer data;               // Data-In: its data segment
  std::optional<std::uint8_t> status;  // SCSI Response, or Data-In with S
  std::optional<std::uint8_t> sense_key;  // SCSI Response with sense data
};

struct task_data {
  std::vector<std::uint32_t> step_itts;  // per step sent, in order (as sent)
  std::vector<task_answer> answers;
  std::size_t data_bytes = 0;
  bool truncated = false;

  // Notes a PDU the target sent (Data-In, SCSI Response; others ignored).
  void on_answer(const pdu::pdu& p);
  // Data for task `itt` laid out by buffer offset (at most `length` bytes;
  // bytes never sent stay absent: the result is as long as the data that
  // came contiguously from offset 0).
  pdu::byte_buffer data_of(std::uint32_t itt, std::size_t length) const;
  // The task's status (the last one seen), if any came.
  std::optional<std::uint8_t> status_of(std::uint32_t itt) const;
  // The sense key of the task's last SCSI Response with sense data, if any.
  std::optional<std::uint8_t> sense_key_of(std::uint32_t itt) const;
};

}  // namespace touchstone::fuzz::net
