// touchstone-target ctl VERB [key=value ...]: one JSON-RPC request on the
// control socket, the answer printed as a table (lists), key: value lines
// (objects), or raw JSON (--json).
#include <algorithm>
#include <asio.hpp>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "target_tool.hpp"

namespace touchstone::target::tool {

using json = nlohmann::json;

std::string runtime_dir() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  return xdg != nullptr && *xdg != '\0' ? std::string(xdg) : std::string("/tmp");
}

namespace {
constexpr std::string_view socket_prefix = "touchstone-target-";
constexpr std::string_view socket_suffix = ".sock";
}  // namespace

std::string default_control_path(const std::string& host, unsigned port) {
  // The uid keeps users apart in a shared /tmp; host and port keep instances apart.
  return runtime_dir() + "/" + std::string(socket_prefix) + std::to_string(::getuid()) + "-" + host + "-" +
         std::to_string(port) + std::string(socket_suffix);
}

std::vector<std::string> control_sockets() {
  std::vector<std::string> found;
  const std::string dir = runtime_dir();
  const std::string mine = std::string(socket_prefix) + std::to_string(::getuid()) + "-";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return found;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name(e->d_name);
    if (name.starts_with(mine) && name.ends_with(socket_suffix)) found.push_back(dir + "/" + std::string(name));
  }
  ::closedir(d);
  return found;
}

namespace {

// "true"/"false", a number, a JSON object/array, or a string.
json typed_value(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() < 19)
    return std::stoull(text);
  if (!text.empty() && (text[0] == '{' || text[0] == '[')) {
    json parsed = json::parse(text, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
  }
  return text;
}

std::optional<json> params_of(const std::vector<std::string>& args) {
  json params = json::object();
  if (args.size() == 1 && !args[0].empty() && args[0][0] == '{') {
    params = json::parse(args[0], nullptr, false);
    if (params.is_discarded()) return std::nullopt;
    return params;
  }
  for (const auto& a : args) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) return std::nullopt;
    params[a.substr(0, eq)] = typed_value(a.substr(eq + 1));
  }
  return params;
}

std::string cell(const json& v) {
  if (v.is_string()) return *v.get_ptr<const std::string*>();
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

void print_table(const json& rows) {
  std::vector<std::string> columns;
  for (const auto& row : rows)
    for (const auto& [key, value] : row.items())
      if (!value.is_object() && std::find(columns.begin(), columns.end(), key) == columns.end())
        columns.push_back(key);
  // Names first, the rest alphabetically (nlohmann keeps objects sorted).
  static const std::vector<std::string> leading{"iqn", "target", "lun", "type", "initiator", "tsih", "store"};
  std::stable_partition(columns.begin(), columns.end(), [](const std::string& c) {
    return std::find(leading.begin(), leading.end(), c) != leading.end();
  });
  std::vector<std::size_t> width;
  for (const auto& c : columns) {
    std::size_t w = c.size();
    for (const auto& row : rows) w = std::max(w, row.contains(c) ? cell(row[c]).size() : 1);
    width.push_back(w);
  }
  auto line = [&](auto value_of) {
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::string v = value_of(i);
      out += v + std::string(width[i] - v.size() + (i + 1 < columns.size() ? 2 : 0), ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    std::printf("%s\n", out.c_str());
  };
  line([&](std::size_t i) { return columns[i]; });
  for (const auto& row : rows)
    line([&](std::size_t i) { return row.contains(columns[i]) ? cell(row[columns[i]]) : std::string("-"); });
}

void print_readable(const json& result) {
  if (result.is_array() && !result.empty() && result[0].is_object()) return print_table(result);
  if (result.is_array() && result.empty()) return (void)std::printf("(none)\n");
  if (!result.is_object()) return (void)std::printf("%s\n", cell(result).c_str());
  for (const auto& [key, value] : result.items())
    std::printf("%s: %s\n", key.c_str(), value.is_object() ? value.dump(2).c_str() : cell(value).c_str());
}

// Whether an instance accepts connections on `path`.
bool answers(const std::string& path) {
  asio::io_context io;
  asio::local::stream_protocol::socket socket(io);
  std::error_code ec;
  socket.connect(asio::local::stream_protocol::endpoint(path), ec);
  return !ec;
}

// The sockets of running instances; those nobody answers on (left by an
// instance that was killed) are skipped, and said so.
std::vector<std::string> live_control_sockets() {
  std::vector<std::string> live;
  for (const auto& path : control_sockets()) {
    if (answers(path)) live.push_back(path);
    else std::fprintf(stderr, "ctl: skipping %s: nothing answers on it (left by a stopped instance)\n", path.c_str());
  }
  return live;
}

std::optional<std::string> pick_control(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("TOUCHSTONE_TARGET_CONTROL"); env != nullptr && *env != '\0')
    return std::string(env);
  const auto found = live_control_sockets();
  if (found.size() == 1) return found[0];
  if (found.empty())
    std::fprintf(stderr, "ctl: no running instance has a control socket in %s; give --control PATH\n",
                 runtime_dir().c_str());
  else
    std::fprintf(stderr, "ctl: %zu instances are running; give --control PATH (one of %s ...)\n",
                 found.size(), found[0].c_str());
  return std::nullopt;
}

std::optional<std::string> round_trip(const std::string& path, const std::string& request) {
  asio::io_context io;
  asio::local::stream_protocol::socket socket(io);
  std::error_code ec;
  socket.connect(asio::local::stream_protocol::endpoint(path), ec);
  if (!ec) asio::write(socket, asio::buffer(request), ec);
  std::string answer;
  if (!ec) asio::read_until(socket, asio::dynamic_buffer(answer), '\n', ec);
  if (ec) {
    std::fprintf(stderr, "ctl: %s: %s\n", path.c_str(), ec.message().c_str());
    return std::nullopt;
  }
  return answer;
}

}  // namespace

int run_ctl(const ctl_options& o) {
  const auto params = params_of(o.args);
  if (!params) {
    std::fprintf(stderr, "ctl: expected key=value arguments or one JSON object\n");
    return 2;
  }
  const auto path = pick_control(o.control);
  if (!path) return 2;
  const json request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", o.verb}, {"params", *params}};
  const auto answer = round_trip(*path, request.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
  if (!answer) return 1;
  const json response = json::parse(*answer, nullptr, false);
  if (response.is_discarded() || !response.is_object()) {
    std::fprintf(stderr, "ctl: not a JSON-RPC response: %s", answer->c_str());
    return 1;
  }
  if (const auto e = response.find("error"); e != response.end()) {
    if (o.json) std::printf("%s\n", e->dump(2).c_str());
    const auto code = e->is_object() && e->contains("code") ? cell((*e)["code"]) : "?";
    const auto message = e->is_object() && e->contains("message") ? cell((*e)["message"]) : "";
    std::fprintf(stderr, "error %s: %s\n", code.c_str(), message.c_str());
    return 1;
  }
  const auto r = response.find("result");
  if (r == response.end()) return 1;
  if (o.json) std::printf("%s\n", r->dump(2, ' ', false, json::error_handler_t::replace).c_str());
  else print_readable(*r);
  return 0;
}

}  // namespace touchstone::target::tool
