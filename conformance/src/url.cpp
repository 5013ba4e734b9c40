// The iscsi:// URL parser.
#include "touchstone/conformance/url.hpp"

#include <charconv>

namespace touchstone::conformance {

namespace {

result<std::uint64_t, std::string> number(std::string_view text, std::uint64_t max,
                                          std::string_view what) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v > max)
    return fail("bad " + std::string(what) + " '" + std::string(text) + "'");
  return v;
}

// host, [v6] or host:port
result<void, std::string> parse_authority(std::string_view a, target_url& u) {
  std::string_view port;
  if (!a.empty() && a.front() == '[') {
    const auto close = a.find(']');
    if (close == std::string_view::npos) return fail(std::string("unclosed '[' in the host"));
    u.host = std::string(a.substr(1, close - 1));
    const auto rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return fail(std::string("junk after ']' in the host"));
      port = rest.substr(1);
    }
  } else {
    const auto colon = a.rfind(':');
    u.host = std::string(a.substr(0, colon));
    if (colon != std::string_view::npos) port = a.substr(colon + 1);
  }
  if (u.host.empty()) return fail(std::string("no host"));
  if (!port.empty() || a.back() == ':') {
    auto p = number(port, 65535, "port");
    if (!p || *p == 0) return fail(p ? std::string("bad port '0'") : p.error());
    u.port = static_cast<std::uint16_t>(*p);
  }
  return ok;
}

result<void, std::string> parse_query(std::string_view q, target_url& u) {
  while (!q.empty()) {
    const auto amp = q.find('&');
    const auto item = q.substr(0, amp);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return fail("bad query item '" + std::string(item) + "'");
    const auto key = item.substr(0, eq);
    const auto value = std::string(item.substr(eq + 1));
    if (key == "target_user") u.target_user = value;
    else if (key == "target_password") u.target_password = value;
    else return fail("unknown query key '" + std::string(key) + "'");
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
  }
  return ok;
}

}  // namespace

result<target_url, std::string> parse_target_url(std::string_view text) {
  constexpr std::string_view scheme = "iscsi://";
  if (text.substr(0, scheme.size()) != scheme)
    return fail(std::string("the URL must start with iscsi://"));
  target_url u;
  auto rest = text.substr(scheme.size());
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    if (auto r = parse_query(rest.substr(q + 1), u); !r) return fail(r.error());
    rest = rest.substr(0, q);
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return fail(std::string("no /target-iqn after the host"));
  auto authority = rest.substr(0, slash);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const auto credentials = authority.substr(0, at);
    const auto percent = credentials.find('%');
    u.user = std::string(credentials.substr(0, percent));
    if (percent != std::string_view::npos) u.secret = std::string(credentials.substr(percent + 1));
    if (u.user.empty()) return fail(std::string("empty user before '@'"));
    authority = authority.substr(at + 1);
  }
  if (auto r = parse_authority(authority, u); !r) return fail(r.error());
  auto path = rest.substr(slash + 1);
  const auto lun_slash = path.find('/');
  u.target_name = std::string(path.substr(0, lun_slash));
  if (u.target_name.empty()) return fail(std::string("no target name"));
  if (lun_slash != std::string_view::npos) {
    auto lun = number(path.substr(lun_slash + 1), 16383, "LUN");
    if (!lun) return fail(lun.error());
    u.lun = static_cast<std::uint16_t>(*lun);
  }
  return u;
}

std::string display(const target_url& u) {
  const bool v6 = u.host.find(':') != std::string::npos;
  std::string out = "iscsi://";
  if (!u.user.empty()) out += u.user + "@";
  out += v6 ? "[" + u.host + "]" : u.host;
  out += ":" + std::to_string(u.port) + "/" + u.target_name + "/" + std::to_string(u.lun);
  return out;
}

}  // namespace touchstone::conformance
