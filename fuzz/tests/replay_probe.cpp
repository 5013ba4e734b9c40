// A stand-in harness for replay_exit_codes.sh: it reports a finding the way
// the real harnesses do (std::abort() after a message) on any input that
// starts with "finding", so the replay driver's exit code 1 can be tested
// without a real bug in the code under fuzzing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr char marker[] = "finding";
  if (size >= sizeof marker - 1 && std::memcmp(data, marker, sizeof marker - 1) == 0) {
    std::fprintf(stderr, "replay_probe oracle failed: the input asked for it\n");
    std::abort();
  }
  return 0;
}
