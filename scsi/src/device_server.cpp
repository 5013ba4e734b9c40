// Command dispatch: LU lookup, unit attentions, the command table, access
// checks, write protection, then the family's handler.
#include "touchstone/scsi/device_server.hpp"

#include <future>
#include <mutex>

#include "io_runner.hpp"

namespace touchstone::scsi {
namespace {

response error_response(logical_unit* lu, const sense& s) {
  response r;
  r.status = status::check_condition;
  const bool descriptor = lu != nullptr && lu->pages().d_sense();
  r.sense = encode_sense(s, descriptor ? sense_format::descriptor : sense_format::fixed);
  return r;
}

response lookup_failure(logical_unit* lu, command_table::lookup_error e, bytes_view cdb) {
  switch (e) {
    case command_table::lookup_error::unknown_opcode:
      return error_response(
          lu, make_sense(sense_key::illegal_request, asc::invalid_command_operation_code));
    case command_table::lookup_error::unknown_service_action: {
      auto f = *service_action_field_of(cdb[0]);
      return error_response(lu, invalid_field_in_cdb(f.byte, f.top_bit));
    }
    case command_table::lookup_error::short_cdb:
      break;
  }
  return error_response(lu, invalid_field_in_cdb(0));
}

//= spc4#7.5.8 table 429
//# SWP=1: commands that write the medium end in DATA PROTECT, WRITE PROTECTED
std::optional<sense> write_protection(const logical_unit& lu) {
  if (lu.read_only()) return make_sense(sense_key::data_protect, asc::write_protected);
  if (lu.pages().swp()) return make_sense(sense_key::data_protect, asc::software_write_protected);
  return std::nullopt;
}

}  // namespace

device_server::device_server() : device_server(shared_builtin_command_table()) {}

device_server::device_server(command_table table)
    : table_(std::make_shared<const command_table>(std::move(table))) {}

device_server::device_server(std::shared_ptr<const command_table> table) : table_(std::move(table)) {}

device_server::~device_server() {
  for (auto& lu : all_lus()) lu->io_queue().wait_idle();
}

bool device_server::add_lu(std::shared_ptr<logical_unit> lu) {
  std::vector<std::shared_ptr<logical_unit>> others;
  {
    std::unique_lock lock(lus_mutex_);
    if (!lu || lus_.count(lu->lun()) != 0) return false;
    for (auto& [n, other] : lus_) others.push_back(other);
    lus_.emplace(lu->lun(), std::move(lu));
  }
  //= spc4#6.33
  //# the inventory changed: REPORTED LUNS DATA HAS CHANGED on every I_T nexus
  for (auto& o : others) o->establish_ua_all(unit_attention::reported_luns_changed);
  return true;
}

bool device_server::remove_lu(lun_t lun) {
  {
    std::unique_lock lock(lus_mutex_);
    if (lus_.erase(lun) == 0) return false;
  }
  for (auto& o : all_lus()) o->establish_ua_all(unit_attention::reported_luns_changed);
  return true;
}

std::shared_ptr<logical_unit> device_server::find_lu(lun_t lun) const {
  std::shared_lock lock(lus_mutex_);
  auto found = lus_.find(lun);
  return found == lus_.end() ? nullptr : found->second;
}

std::vector<lun_t> device_server::luns() const {
  std::shared_lock lock(lus_mutex_);
  std::vector<lun_t> out;
  for (const auto& [n, lu] : lus_) out.push_back(n);
  return out;
}

std::vector<std::shared_ptr<logical_unit>> device_server::all_lus() const {
  std::shared_lock lock(lus_mutex_);
  std::vector<std::shared_ptr<logical_unit>> out;
  for (const auto& [n, lu] : lus_) out.push_back(lu);
  return out;
}

std::size_t device_server::tracked_nexuses() const {
  std::size_t n = 0;
  for (const auto& lu : all_lus()) n += lu->tracked_nexuses();
  return n;
}

std::uint64_t device_server::forgotten_nexuses() const {
  std::uint64_t n = 0;
  for (const auto& lu : all_lus()) n += lu->forgotten_nexuses();
  return n;
}

std::size_t device_server::tasks() const {
  std::size_t n = 0;
  for (const auto& lu : all_lus()) n += lu->tasks().size();
  return n;
}

response fit_to_transport(response r, const request& req) {
  if (r.data_in_length < r.data_in.size()) r.data_in_length = r.data_in.size();
  if (r.data_in.size() > req.expected_data_in_length) r.data_in.resize(req.expected_data_in_length);
  return r;
}

response device_server::execute(const nexus& nx, const request& req) {
  auto lu = find_lu(nx.lun);
  if (lu && lu->store().async() != nullptr) {
    std::promise<response> answer;
    auto later = answer.get_future();
    auto now = submit(nx, req, [&answer](response r) { answer.set_value(std::move(r)); });
    return now ? std::move(*now) : later.get();
  }
  return fit_to_transport(run(lu.get(), nx, req), req);
}

std::optional<response> device_server::submit(const nexus& nx, const request& req, completion done) {
  auto lu = find_lu(nx.lun);
  if (!lu || lu->store().async() == nullptr) return fit_to_transport(run(lu.get(), nx, req), req);
  return io_runner::submit(*this, *lu, nx, req, std::move(done));
}

response device_server::run(logical_unit* lu, const nexus& nx, const request& req) {
  if (lu == nullptr) return dispatch(nullptr, nx, req);
  if (auto refused = start_task(*lu, nx, req)) return *refused;
  response r;
  {
    auto lock = lu->lock_execution();
    r = dispatch(lu, nx, req);
  }
  return end_task(*lu, nx, req, std::move(r));
}

std::optional<response> device_server::start_task(logical_unit& lu, const nexus& nx,
                                                  const request& req) {
  bool report_aborted = false;
  switch (lu.tasks().start(nx.it, req.tag, req.attribute, &report_aborted)) {
    case task_set::start_outcome::was_aborted: {
      response r;
      r.aborted = true;
      if (report_aborted) r.status = status::task_aborted;
      return r;
    }
    case task_set::start_outcome::overlapped:
      return error_response(
          &lu, make_sense(sense_key::aborted_command, asc::overlapped_commands_attempted));
    case task_set::start_outcome::started:
      break;
  }
  return std::nullopt;
}

response device_server::end_task(logical_unit& lu, const nexus& nx, const request& req, response r) {
  if (auto aborted = lu.tasks().finish(nx.it, req.tag)) {
    r = response{};
    r.aborted = true;
    if (aborted->report_task_aborted) r.status = status::task_aborted;
  }
  return r;
}

std::optional<response> device_server::admit(logical_unit* lu, const nexus& nx, const request& req,
                                             const command_entry* entry) {
  //= spc4#4.2.5.1
  //# a LUN with no logical unit: ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED
  //# (INQUIRY, REPORT LUNS and REQUEST SENSE still answer)
  if (lu == nullptr && (entry == nullptr || !has(entry->flags, cmd_flag::runs_without_lu)))
    return error_response(
        nullptr, make_sense(sense_key::illegal_request, asc::logical_unit_not_supported));
  if (lu != nullptr) {
    lu->touch(nx.it);
    //= sam5#5.14
    //# a pending unit attention ends any command but INQUIRY, REPORT LUNS and
    //# REQUEST SENSE in CHECK CONDITION, UNIT ATTENTION, and is cleared
    if (entry == nullptr || !has(entry->flags, cmd_flag::ua_exempt)) {
      if (auto ua = lu->pop_ua(nx.it))
        return error_response(lu, make_sense(sense_key::unit_attention, asc_of(*ua)));
    }
  }
  if (entry == nullptr) return std::nullopt;  // the lookup failure is answered by the caller
  command_context ctx{*this, lu, nx, req, *entry};
  if (lu != nullptr) {
    if (lu->check_access(ctx) == access_decision::reservation_conflict)
      return ctx.reservation_conflict();
    //= sbc3#4.18.2
    //# a stopped logical unit: NOT READY, LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED
    if (has(entry->flags, cmd_flag::medium_access) && lu->stopped())
      return ctx.check_condition(sense_key::not_ready,
                                 asc::not_ready_initializing_command_required);
    if (has(entry->flags, cmd_flag::writes_medium)) {
      if (auto s = write_protection(*lu)) return ctx.check_condition(*s);
    }
  }
  return std::nullopt;
}

response device_server::dispatch(logical_unit* lu, const nexus& nx, const request& req) {
  auto found = table_->find(req.cdb);
  const command_entry* entry = found ? *found : nullptr;
  if (auto refused = admit(lu, nx, req, entry)) return *refused;
  if (!found) return lookup_failure(lu, found.error(), req.cdb);
  command_context ctx{*this, lu, nx, req, *entry};
  return entry->run(ctx);
}

void device_server::enter_task(const nexus& nx, task_tag tag, task_attribute attribute) {
  if (auto lu = find_lu(nx.lun)) (void)lu->tasks().enter(nx.it, tag, attribute);
}

void device_server::forget_task(const nexus& nx, task_tag tag) {
  if (auto lu = find_lu(nx.lun)) lu->tasks().forget(nx.it, tag);
}

}  // namespace touchstone::scsi
