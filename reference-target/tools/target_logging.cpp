// Logging of touchstone-target: stderr, as text or as one JSON object a line.
#include "target_tool.hpp"

#include <set>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace touchstone::target::tool {

namespace {

// %* : the message as the inside of a JSON string.
class json_message_flag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (char c : msg.payload) append(static_cast<unsigned char>(c), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_message_flag>();
  }

 private:
  static void append(unsigned char c, spdlog::memory_buf_t& dest) {
    if (c == '"' || c == '\\') {
      dest.push_back('\\');
      dest.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      fmt::format_to(std::back_inserter(dest), "\\u{:04x}", c);
    } else {
      dest.push_back(static_cast<char>(c));
    }
  }
};

}  // namespace

bool set_up_logging(const std::string& level, const std::string& format) {
  static const std::set<std::string> accepted{"trace", "debug", "info", "warn", "warning", "error", "off"};
  if (!accepted.contains(level)) return false;
  spdlog::set_default_logger(spdlog::stderr_color_mt("target"));
  const auto parsed = spdlog::level::from_str(level);  // "warn" too
  spdlog::set_level(parsed);
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<json_message_flag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%f%z","level":"%l","message":"%*"})");
    spdlog::set_formatter(std::move(formatter));
  } else {
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  return true;
}

}  // namespace touchstone::target::tool
