// A conformance case: data (id, title, citations, level, tags, needs) and a
// small function returning a verdict. TOUCHSTONE_CASE registers both at
// static-initialisation time; there is no hand-kept table anywhere.
//
//   //= rfc7143#section-11.18.3 type=test
//   //# Ping data is reflected in the NOP-In Response.
//   TOUCHSTONE_CASE({.id = "nop.ping.echoes-data",
//                    .title = "a NOP-Out ping's data comes back in the NOP-In",
//                    .citations = {"rfc7143#section-11.18.3"},
//                    .level = requirement_level::must,
//                    .tags = {"nop"}}) {
//     auto* s = ctx.logged_in();
//     if (!s) return ctx.setup_error();
//     ...
//     return verdict::pass();
//   }
#pragma once

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "touchstone/conformance/verdict.hpp"

namespace touchstone::conformance {

class case_context;

enum class requirement_level : std::uint8_t { must, should, may };
std::string_view name(requirement_level l);

// What a case needs of the target beyond one LUN it may read.
enum class need : std::uint8_t {
  destructive,   // the case may end every session (--destructive)
  chap,          // CHAP credentials for the target (URL user%secret)
  mutual_chap,   // the target's own CHAP name and secret as well
  second_lun,    // a second LUN (--second-lun)
  writable_lun,  // the LUN may be written (--writable)
  discovery_chap,  // Discovery sessions authenticate with CHAP (--discovery-chap)
  // What the target negotiates when offered ErrorRecoveryLevel=2 and
  // MaxConnections=4 (the runner's recovery probe, target_config::recovery):
  erl1,  // ErrorRecoveryLevel 1 or more
  erl2,  // ErrorRecoveryLevel 2
  mcs,   // MaxConnections 2 or more
};
std::string_view name(need n);

struct case_info {
  std::string_view id;     // stable: "login.keys.first-burst-gt-max-burst"
  std::string_view title;  // one line
  std::vector<std::string_view> citations;  // "rfc7143#section-13.14"
  requirement_level level = requirement_level::must;
  std::vector<std::string_view> tags;
  std::vector<need> needs;
  // Runs with no other case beside it under --jobs (see runs_alone).
  bool serial = false;
};

using case_function = verdict (*)(case_context&);

struct registered_case {
  case_info info;
  case_function run = nullptr;
  const char* file = "";
  int line = 0;
};

// Every registered case, sorted by id on first use after registration.
const std::vector<registered_case>& all_cases();
const registered_case* find_case(std::string_view id);
// Ids registered twice (a build error in spirit: the tests check it is empty).
const std::vector<std::string>& duplicate_case_ids();

struct registrar {
  registrar(case_info info, case_function run, const char* file, int line);
};

// Cases that differ only in data: `rows` is an array (static storage) of
// rows, each with a `case_info info`; every row is registered as a case of
// its own whose function is run(ctx, row). Use TOUCHSTONE_CASE_TABLE.
template <const auto& rows, auto run>
class case_table {
  template <std::size_t I>
  static verdict run_row(case_context& ctx) {
    return run(ctx, rows[I]);
  }
  template <std::size_t... I>
  static void register_rows(const char* file, int line, std::index_sequence<I...>) {
    (registrar{rows[I].info, &run_row<I>, file, line}, ...);
  }

 public:
  case_table(const char* file, int line) {
    register_rows(file, line, std::make_index_sequence<std::size(rows)>{});
  }
};

}  // namespace touchstone::conformance

#define TOUCHSTONE_CASE_CAT2(a, b) a##b
#define TOUCHSTONE_CASE_CAT(a, b) TOUCHSTONE_CASE_CAT2(a, b)
#define TOUCHSTONE_CASE_IMPL(fn, ...)                                                         \
  static ::touchstone::conformance::verdict fn(::touchstone::conformance::case_context&);    \
  static const ::touchstone::conformance::registrar TOUCHSTONE_CASE_CAT(fn, _registrar){     \
      ::touchstone::conformance::case_info __VA_ARGS__, &fn, __FILE__, __LINE__};            \
  static ::touchstone::conformance::verdict fn(                                              \
      [[maybe_unused]] ::touchstone::conformance::case_context& ctx)
// TOUCHSTONE_CASE({case_info fields}) { body returning a verdict; `ctx` in scope }
#define TOUCHSTONE_CASE(...) \
  TOUCHSTONE_CASE_IMPL(TOUCHSTONE_CASE_CAT(touchstone_case_, __COUNTER__), __VA_ARGS__)
// TOUCHSTONE_CASE_TABLE(rows, run): registers each row of `rows` as a case
// (see case_table); defined after `rows` and `run`.
#define TOUCHSTONE_CASE_TABLE(rows, run)                                                     \
  static const ::touchstone::conformance::case_table<rows, run> TOUCHSTONE_CASE_CAT(         \
      touchstone_case_table_, __COUNTER__) {                                                 \
    __FILE__, __LINE__                                                                       \
  }
