// A touchstone-target process for the kill -9 tests: started with a file
// LUN on an ephemeral port (its "portal" and "iqn" lines read from its
// stdout), killed with SIGKILL, restarted on the same files, always reaped.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "touchstone/conformance/connection.hpp"

extern char** environ;

namespace touchstone::target::test {

class target_process {
 public:
  // `lun`: the --lun option, e.g. "file:/tmp/x/lun0.img,size=1MiB,bs=4096";
  // `io_backend`: TOUCHSTONE_IO_BACKEND for the process (empty: as inherited).
  target_process(std::string binary, std::string dir, std::string lun, std::string io_backend = {})
      : binary_(std::move(binary)), dir_(std::move(dir)), lun_(std::move(lun)) {
    for (char** e = environ; *e != nullptr; ++e)
      if (io_backend.empty() || std::string_view(*e).rfind("TOUCHSTONE_IO_BACKEND=", 0) != 0)
        env_.emplace_back(*e);
    if (!io_backend.empty()) env_.push_back("TOUCHSTONE_IO_BACKEND=" + io_backend);
  }
  ~target_process() { stop(); }
  target_process(const target_process&) = delete;
  target_process& operator=(const target_process&) = delete;

  // Starts the target and waits (at most 5 s) for its address on stdout.
  void start() {
    REQUIRE(pid_ <= 0);
    const std::string out = dir_ + "/out", log = dir_ + "/log";
    ::unlink(out.c_str());
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&files, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    std::vector<std::string> args{binary_, "--listen",  "127.0.0.1:0",          "--lun",
                                  lun_,    "--control", dir_ + "/control.sock", "--log-level",
                                  "warn"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_) envp.push_back(e.data());
    envp.push_back(nullptr);
    const int e = ::posix_spawn(&pid_, binary_.c_str(), &files, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&files);
    REQUIRE(e == 0);
    bool listening = false;
    for (int i = 0; i < 500 && !(listening = read_address(out)); ++i) {
      REQUIRE(alive());
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(listening);
  }

  // SIGKILL: no shutdown, no flush, no destructor runs.
  void kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // SIGTERM (a clean shutdown) for at most 5 s, then SIGKILL.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 500 && alive(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kill9();
  }

  // Whether the running process holds an io_uring (its file LUN's backend).
  bool has_io_uring() const {
    std::error_code ec;
    const auto fds = "/proc/" + std::to_string(pid_) + "/fd";
    for (const auto& fd : std::filesystem::directory_iterator(fds, ec)) {
      const auto link = std::filesystem::read_symlink(fd.path(), ec);
      if (!ec && link.string() == "anon_inode:[io_uring]") return true;
    }
    return false;
  }

  conformance::endpoint where;
  std::string iqn;

 private:
  // Reaps the process if it has ended (its pid is never signalled again).
  bool alive() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, nullptr, WNOHANG) == 0) return true;
    pid_ = -1;
    return false;
  }

  // The "portal HOST:PORT" and "iqn IQN" lines, once "url" follows them.
  bool read_address(const std::string& path) {
    std::ifstream in(path);
    std::string line, portal;
    bool url = false;
    while (std::getline(in, line)) {
      if (line.rfind("portal ", 0) == 0) portal = line.substr(7);
      if (line.rfind("iqn ", 0) == 0) iqn = line.substr(4);
      if (line.rfind("url ", 0) == 0) url = true;
    }
    const auto colon = portal.rfind(':');
    if (!url || colon == std::string::npos || iqn.empty()) return false;
    where.host = portal.substr(0, colon);
    where.port = static_cast<std::uint16_t>(std::stoi(portal.substr(colon + 1)));
    return true;
  }

  std::string binary_, dir_, lun_;
  std::vector<std::string> env_;
  pid_t pid_ = -1;
};

}  // namespace touchstone::target::test
