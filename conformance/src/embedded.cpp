// The embedded default's hook: not wired until reference-target/ exists.
#include "touchstone/conformance/embedded.hpp"

namespace touchstone::conformance {

std::unique_ptr<embedded_target> start_embedded_target(std::string& why) {
  why = "the embedded reference target is not available yet (reference-target/ is in progress); "
        "give a target URL: iscsi://[user[%secret]@]host[:port]/iqn/lun";
  return nullptr;
}

}  // namespace touchstone::conformance
