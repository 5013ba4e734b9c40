// Answers of an io_plan, and the plan carried out synchronously.
#include "touchstone/scsi/io_plan.hpp"

namespace touchstone::scsi {
namespace {

// An error answer keeps the data-out length the CDB asked for (residuals).
response failed(const io_plan& plan, response r) {
  r.data_out_length = plan.finished.data_out_length;
  return r;
}

}  // namespace

response plan_outcome(io_plan& plan, const store_result& result) {
  if (result) return std::move(plan.finished);
  const auto direction = plan.op == io_plan::kind::read ? io_direction::read : io_direction::write;
  if (plan.op == io_plan::kind::sync) return failed(plan, sync_failure_response(plan.format));
  return failed(plan, store_failure_response(result.error(), direction, plan.format));
}

response plan_sync_outcome(io_plan& plan, const store_result& synced) {
  if (synced) return std::move(plan.finished);
  return failed(plan, sync_failure_response(plan.format));
}

response run_plan(block_store& store, io_plan plan) {
  switch (plan.op) {
    case io_plan::kind::none:
      return std::move(plan.finished);
    case io_plan::kind::read:
      return plan_outcome(plan, store.read(plan.lba, plan.finished.data_in));
    case io_plan::kind::sync:
      return plan_outcome(plan, store.sync());
    case io_plan::kind::write:
      break;
  }
  if (auto written = store.write(plan.lba, plan.data); !written || !plan.sync_after)
    return plan_outcome(plan, written);
  return plan_sync_outcome(plan, store.sync());
}

}  // namespace touchstone::scsi
