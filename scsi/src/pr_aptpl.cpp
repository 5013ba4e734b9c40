// APTPL: the persistent reservation state saved to a file per LU, atomically
// (temp file, fsync, rename, fsync of the directory), and restored at start.
//
// The file is text: a version line, then one line per fact; strings are
// length-prefixed ("<bytes>:<text>") so no port name can break the syntax.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>

#include "pr_state.hpp"

namespace touchstone::scsi::pr {
namespace {

constexpr std::string_view magic = "touchstone-pr-state 1";

void put_string(std::ostream& out, const std::string& s) { out << s.size() << ':' << s; }

// A cursor over the file's text.
struct reader {
  std::string_view rest;

  bool word(std::string_view w) {
    skip_spaces();
    if (rest.substr(0, w.size()) != w) return false;
    rest.remove_prefix(w.size());
    return true;
  }
  template <class T>
  std::optional<T> number(int base = 10) {
    skip_spaces();
    T v{};
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v, base);
    if (ec != std::errc{} || end == rest.data()) return std::nullopt;
    rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
    return v;
  }
  std::optional<std::string> string() {
    auto n = number<std::size_t>();
    if (!n || rest.empty() || rest[0] != ':' || rest.size() < *n + 1) return std::nullopt;
    std::string s(rest.substr(1, *n));
    rest.remove_prefix(*n + 1);
    return s;
  }
  std::optional<it_nexus> nexus() {
    auto i = string();
    auto t = string();
    if (!i || !t) return std::nullopt;
    return it_nexus{*i, *t};
  }
  void skip_spaces() {
    while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\n')) rest.remove_prefix(1);
  }
};

std::optional<registration> read_registration(reader& r) {
  auto key = r.number<std::uint64_t>(16);
  auto all = r.number<int>();
  auto port = r.number<std::uint16_t>();
  auto it = r.nexus();
  if (!key || !all || !port || !it || *all > 1) return std::nullopt;
  return registration{*it, *key, *port, *all == 1};
}

std::optional<reservation> read_reservation(reader& r) {
  auto type = r.number<unsigned>();
  auto scope = r.number<unsigned>();
  auto it = r.nexus();
  if (!type || !scope || !it || *type > 0xF || !is_valid_pr_type(static_cast<std::uint8_t>(*type)))
    return std::nullopt;
  return reservation{*it, static_cast<pr_type>(*type), static_cast<std::uint8_t>(*scope)};
}

bool write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool fsync_directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

}  // namespace

std::string serialize(const state& s) {
  std::ostringstream out;
  out << magic << "\ngeneration " << s.generation << "\naptpl " << (s.aptpl ? 1 : 0) << '\n';
  for (const auto& r : s.registrations) {
    out << "registration " << std::hex << r.key << std::dec << ' ' << (r.all_tg_pt ? 1 : 0) << ' '
        << r.relative_target_port << ' ';
    put_string(out, r.it.initiator_port);
    out << ' ';
    put_string(out, r.it.target_port);
    out << '\n';
  }
  if (s.held) {
    out << "reservation " << static_cast<unsigned>(s.held->type) << ' '
        << static_cast<unsigned>(s.held->scope) << ' ';
    put_string(out, s.held->holder.initiator_port);
    out << ' ';
    put_string(out, s.held->holder.target_port);
    out << '\n';
  }
  out << "end\n";
  return out.str();
}

std::optional<state> deserialize(const std::string& text) {
  reader r{text};
  state s;
  auto generation = r.word(magic) && r.word("generation") ? r.number<std::uint32_t>() : std::nullopt;
  auto aptpl = r.word("aptpl") ? r.number<int>() : std::nullopt;
  if (!generation || !aptpl || *aptpl > 1) return std::nullopt;
  s.generation = *generation;
  s.aptpl = *aptpl == 1;
  while (r.word("registration")) {
    auto reg = read_registration(r);
    if (!reg) return std::nullopt;
    s.registrations.push_back(std::move(*reg));
  }
  if (r.word("reservation")) {
    s.held = read_reservation(r);
    if (!s.held) return std::nullopt;
  }
  if (!r.word("end")) return std::nullopt;
  r.skip_spaces();
  if (!r.rest.empty()) return std::nullopt;
  return s;
}

bool save_atomically(const std::string& path, const std::string& contents) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool written = write_all(fd, contents) && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return false;
  }
  return fsync_directory_of(path);
}

bool remove_durably(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return false;
  return fsync_directory_of(path);
}

}  // namespace touchstone::scsi::pr

namespace touchstone::scsi {

result<void, aptpl_error> enable_aptpl(logical_unit& lu, std::string path) {
  auto lock = lu.lock_execution();
  auto& ext = lu.extension<pr::extension>();
  ext.aptpl_path = std::move(path);
  std::ifstream in(ext.aptpl_path, std::ios::binary);
  //= spc4#5.13.5
  //# nothing saved (never APTPL=1, or the last APTPL bit was zero): an empty state
  if (!in) return errno == ENOENT ? result<void, aptpl_error>(ok) : fail(aptpl_error::io_error);
  std::stringstream text;
  text << in.rdbuf();
  auto restored = pr::deserialize(text.str());
  if (!restored) return fail(aptpl_error::corrupt);
  //= spc4#5.13.5
  //# with APTPL the registrations and the reservation survive power loss
  ext.current = std::move(*restored);
  return ok;
}

}  // namespace touchstone::scsi
