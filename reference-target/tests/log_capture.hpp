// What the target logs during one test: spdlog's ostream sink behind the
// default logger (level info, pattern "LEVEL message"), restored at the end.
// Read it only while nothing logs (after an embedded server has stopped).
#pragma once

#include <cstddef>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace touchstone::target::test {

class log_capture {
 public:
  log_capture() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger->set_level(spdlog::level::info);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(std::move(logger));
  }
  ~log_capture() { spdlog::set_default_logger(previous_); }
  log_capture(const log_capture&) = delete;
  log_capture& operator=(const log_capture&) = delete;

  std::string text() const { return out_.str(); }
  std::size_t bytes() const { return text().size(); }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    std::istringstream in(text());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  // Lines containing `needle`.
  std::size_t count(std::string_view needle) const {
    std::size_t n = 0;
    for (const auto& line : lines())
      if (line.find(needle) != std::string::npos) ++n;
    return n;
  }
  bool has_line(std::string_view exact) const {
    for (const auto& line : lines())
      if (line == exact) return true;
    return false;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace touchstone::target::test
