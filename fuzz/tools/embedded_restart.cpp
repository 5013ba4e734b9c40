// Restarting the embedded reference target for minimisation.
#include "embedded_restart.hpp"

#include <string>

namespace touchstone::fuzz::tool {

std::function<bool()> embedded_restart(std::unique_ptr<conformance::embedded_target>& embedded,
                                       net::run_target& target, std::ostream& log) {
  return [&embedded, &target, &log] {
    embedded.reset();  // stops the old child (it may have died already)
    std::string why;
    embedded = conformance::start_embedded_target(why);
    if (!embedded) {
      log << "touchstone-fuzz: the embedded target did not start again: " << why << "\n";
      return false;
    }
    target.config = embedded->target();
    return true;
  };
}

}  // namespace touchstone::fuzz::tool
