// Replay driver for the g++ presets: runs a libFuzzer harness once over every
// file in the directories or files given, so the harness's oracle is
// exercised on the seed corpus without clang, and a crash reproducer can be
// replayed with the command docs/fuzzing.md shows for the libFuzzer build.
//
// Exit codes (also in --help):
//   0  every input replayed, no finding;
//   1  a finding: the harness aborted or crashed on an input (named on stderr);
//   2  usage or set-up error: a path that does not exist or cannot be read,
//      or no input at all (an empty corpus is a broken test, not a pass).
// Arguments starting with '-' are libFuzzer flags (-runs=10, -dict=...,
// -max_len=...): the driver has no use for them, says so on stderr and does
// not count them as inputs, so a libFuzzer command line replays as it is.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

constexpr int exit_finding = 1;
constexpr int exit_usage = 2;

// The input being replayed, for the signal handler's message (a harness
// reports a finding with std::abort()).
char current_input[4096];

void on_fatal_signal(int sig) {
  // Only async-signal-safe calls here: write(2) and _exit(2).
  const char prefix[] = "finding: the harness died of signal ";
  char num[4] = {static_cast<char>('0' + sig / 10 % 10), static_cast<char>('0' + sig % 10), ' ', 0};
  const char* digits = sig < 10 ? num + 1 : num;
  [[maybe_unused]] auto r = ::write(STDERR_FILENO, prefix, sizeof prefix - 1);
  r = ::write(STDERR_FILENO, digits, std::strlen(digits));
  const char on[] = "on input ";
  r = ::write(STDERR_FILENO, on, sizeof on - 1);
  r = ::write(STDERR_FILENO, current_input, std::strlen(current_input));
  r = ::write(STDERR_FILENO, "\n", 1);
  ::_exit(exit_finding);
}

void install_finding_handlers() {
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_fatal_signal);
}

void print_usage(const char* argv0) {
  std::printf(
      "usage: %s [libFuzzer flags, ignored] FILE|DIR...\n"
      "Replays each FILE, and each regular file in each DIR, once through the harness.\n"
      "exit codes: 0 no finding; 1 a finding (the harness aborted or crashed: the input\n"
      "is named on stderr); 2 usage or set-up error (a path that does not exist or\n"
      "cannot be read, no input at all)\n",
      argv0);
}

// The inputs named by the arguments, in order; a missing or unreadable path
// is reported and makes the whole run a set-up error before anything runs.
bool collect_inputs(int argc, char** argv, std::vector<fs::path>& inputs) {
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.size() > 1 && arg[0] == '-') {
      std::fprintf(stderr, "note: ignoring %s (a libFuzzer flag: the replay driver runs each input once)\n",
                   arg.c_str());
      continue;
    }
    std::error_code ec;
    const fs::path path{arg};
    if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
      if (ec) std::fprintf(stderr, "error: cannot list %s: %s\n", arg.c_str(), ec.message().c_str());
    } else if (fs::exists(path, ec)) {
      inputs.push_back(path);
    } else {
      std::fprintf(stderr, "error: %s does not exist\n", arg.c_str());
      ok = false;
    }
    if (ec) ok = false;
  }
  return ok;
}

bool read_file(const fs::path& path, std::vector<std::uint8_t>& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), {});
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-help=1") == 0) {
      print_usage(argv[0]);
      return 0;
    }
  }
  std::vector<fs::path> inputs;
  if (!collect_inputs(argc, argv, inputs)) return exit_usage;
  if (inputs.empty()) {
    std::fprintf(stderr, "error: no input to replay\n");
    print_usage(argv[0]);
    return exit_usage;
  }
  install_finding_handlers();
  std::vector<std::uint8_t> bytes;
  for (const auto& path : inputs) {
    if (!read_file(path, bytes)) {
      std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
      return exit_usage;
    }
    std::snprintf(current_input, sizeof current_input, "%s", path.c_str());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("replayed %zu inputs\n", inputs.size());
  return 0;
}
