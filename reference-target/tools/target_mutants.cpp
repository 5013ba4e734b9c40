// touchstone-target's --mutant and --list-mutants (mutant.hpp,
// docs/mutants.md): deliberate departures for checking the conformance suite.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "target_tool.hpp"
#include "touchstone/target/mutant.hpp"

namespace touchstone::target::tool {

void add_mutant_options(CLI::App& app, std::vector<std::string>& names) {
  app.add_option("--mutant", names,
                 "break rule NAME on purpose, repeatable (checks a conformance suite; --list-mutants, "
                 "docs/mutants.md)");
  // Prints and ends the parse as --help does (exit status 0).
  app.add_flag_callback(
      "--list-mutants",
      [] {
        std::fputs(mutant_listing().c_str(), stdout);
        throw CLI::Success();
      },
      "list the mutants --mutant takes (NAME, the rule it breaks, what the target does) and exit");
}

std::optional<config_error> apply_mutants(const std::vector<std::string>& names, instance_config& c) {
  const auto mutants = parse_mutants(names);
  if (!mutants) return config_error{"--mutant", mutants.error()};
  for (auto& t : c.targets) t.settings.mutants = *mutants;
  return std::nullopt;
}

}  // namespace touchstone::target::tool
