// The command line for finding.json, secrets hidden.
#include "command_line.hpp"

#include <string_view>

namespace touchstone::fuzz::tool {
namespace {

constexpr std::string_view hidden = "***";

bool takes_secret(std::string_view option) {
  return option == "--mutual-chap" || option == "--discovery-chap";
}

// USER%SECRET -> USER%***
std::string without_secret(std::string_view account) {
  const auto at = account.find('%');
  return at == std::string_view::npos
             ? std::string(account)
             : std::string(account.substr(0, at + 1)) + std::string(hidden);
}

// iscsi://user%secret@host/... -> iscsi://user%***@host/...
std::string without_url_secret(std::string_view arg) {
  constexpr std::string_view scheme = "iscsi://";
  if (arg.substr(0, scheme.size()) != scheme) return std::string(arg);
  const auto authority_end = arg.find('/', scheme.size());
  const auto at = arg.rfind('@', authority_end);
  if (at == std::string_view::npos || at < scheme.size()) return std::string(arg);
  const auto userinfo = arg.substr(scheme.size(), at - scheme.size());
  return std::string(scheme) + without_secret(userinfo) + std::string(arg.substr(at));
}

std::string quoted(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t'\"\\$") == std::string::npos) return arg;
  std::string out = "'";
  for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string shown_command_line(int argc, const char* const* argv) {
  std::string out;
  bool secret_next = false;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string shown;
    const auto eq = arg.find('=');
    if (secret_next)
      shown = without_secret(arg);
    else if (eq != std::string_view::npos && takes_secret(arg.substr(0, eq)))
      shown = std::string(arg.substr(0, eq + 1)) + without_secret(arg.substr(eq + 1));
    else
      shown = without_url_secret(arg);
    secret_next = takes_secret(arg);
    out += (i ? " " : "") + quoted(shown);
  }
  return out;
}

}  // namespace touchstone::fuzz::tool
