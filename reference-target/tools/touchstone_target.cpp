// touchstone-target: the strict, rootless reference iSCSI target.
//
//   touchstone-target --lun mem:64MiB
//   touchstone-target --listen 127.0.0.1:0 --lun file:disk.img,size=1GiB --chap user:secret
//   touchstone-target --config target.json
//   touchstone-target ctl lun.add target=IQN store=mem size=16MiB
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <malloc.h>
#include <optional>
#include <sstream>
#include <tuple>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include "target_tool.hpp"
#include "touchstone/pdu/chap.hpp"
#include "touchstone/target/config_file.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/leniency.hpp"
#include "touchstone/target/management.hpp"

using namespace touchstone;
using namespace touchstone::target;

namespace {

struct serve_options {
  std::string config_file;
  std::vector<std::string> listen;
  std::vector<std::string> luns;
  std::string iqn{default_iqn};
  std::string alias;
  std::string chap, mutual_chap;
  std::vector<std::string> allow;
  std::vector<std::string> mutants;  // --mutant NAME (target_mutants.cpp)
  unsigned nop_in_interval = 0;  // seconds, 0: no NOP-In pings
  unsigned nop_in_timeout = 30;
  std::string header_digest, data_digest;  // optional | required | off
  std::optional<std::uint32_t> max_erl;      // limits.max_erl
  std::vector<std::string> redirect;        // TargetAddress values (status class 01)
  bool redirect_permanent = false;
  bool redirect_after_security = false;
  std::string control;
  unsigned threads = 1;  // I/O threads
  // Over the config file's top-level limits when given.
  std::optional<std::uint32_t> max_connections, max_connections_per_address, max_login_connections;
  // Over every target's limits.max_connections_per_session when given.
  std::optional<std::uint32_t> max_connections_per_session;
  std::string log_level = "info";
  std::string log_format = "text";
  // Override the config file's "logging" when given.
  std::optional<unsigned> log_interval, log_rate, log_burst;
};

config_result<instance_config> read_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail(config_error{path, "cannot read the config file"});
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parse_config(text.str());
  if (!parsed) return fail(config_error{path + ": " + parsed.error().path, parsed.error().message});
  return parsed;
}

config_result<chap_account> account_option(const std::string& option, const std::string& text) {
  auto a = parse_account_option(text);
  if (!a) return fail(config_error{option, "expected USER:SECRET"});
  return *a;
}

// --header-digest / --data-digest: the config file's words, or the key
// values they stand for ("CRC32C" = required).
std::optional<std::string> digest_offer(std::string_view mode) {
  if (mode == "optional" || mode == "None,CRC32C") return "None,CRC32C";
  if (mode == "required" || mode == "CRC32C") return "CRC32C";
  if (mode == "off" || mode == "None") return "None";
  return std::nullopt;
}

// The command-line options build the same model as a config file.
config_result<instance_config> config_from_options(const serve_options& o) {
  instance_config c;
  target_definition t;
  t.settings.iqn = o.iqn;
  t.settings.alias = o.alias;
  if (!o.chap.empty()) {
    auto a = account_option("--chap", o.chap);
    if (!a) return fail(a.error());
    t.settings.chap = *a;
  }
  if (!o.mutual_chap.empty()) {
    auto a = account_option("--mutual-chap", o.mutual_chap);
    if (!a) return fail(a.error());
    t.settings.mutual_chap = *a;
  }
  for (std::size_t i = 0; i < o.luns.size(); ++i) {
    auto l = parse_lun_option(o.luns[i], i);
    if (!l) return fail(l.error());
    t.luns.push_back(*l);
  }
  t.settings.leniencies.insert(o.allow.begin(), o.allow.end());
  t.settings.limits.nop_in_interval = std::chrono::seconds(o.nop_in_interval);
  t.settings.limits.nop_in_timeout = std::chrono::seconds(o.nop_in_timeout);
  if (o.max_erl) t.settings.limits.max_erl = *o.max_erl;
  for (const auto& [option, mode, offer] :
       {std::tuple{"--header-digest", o.header_digest, &t.settings.limits.header_digest},
        std::tuple{"--data-digest", o.data_digest, &t.settings.limits.data_digest}}) {
    if (mode.empty()) continue;
    const auto value = digest_offer(mode);
    if (!value) return fail(config_error{option, "expected optional, required (CRC32C) or off (None)"});
    *offer = *value;
  }
  for (const auto& a : o.redirect)
    if (auto bad = redirect_address_error(a)) return fail(config_error{"--redirect", *bad});
  if (!o.redirect.empty())
    t.settings.redirect = redirect_config{o.redirect, o.redirect_permanent, o.redirect_after_security};
  else if (o.redirect_permanent || o.redirect_after_security)
    return fail(config_error{"--redirect", "--redirect-permanent/--redirect-after-security need --redirect"});
  if (auto bad = check_target(t, "--iqn/--lun/--chap")) return fail(*bad);
  c.targets.push_back(std::move(t));
  return c;
}

config_result<instance_config> build_config(const serve_options& o) {
  auto c = o.config_file.empty() ? config_from_options(o) : read_config_file(o.config_file);
  if (!c) return c;
  if (auto bad = tool::apply_mutants(o.mutants, *c)) return fail(*bad);
  for (const auto& [option, limit] :
       {std::tuple{o.max_connections, &c->connections.max_connections},
        std::tuple{o.max_connections_per_address, &c->connections.max_connections_per_address},
        std::tuple{o.max_login_connections, &c->connections.max_login_connections}})
    if (option) *limit = *option;
  if (o.max_connections_per_session)
    for (auto& t : c->targets) t.settings.limits.max_connections_per_session = *o.max_connections_per_session;
  if (o.log_interval) c->logging.interval = std::chrono::seconds(*o.log_interval);
  if (o.log_rate) c->logging.lines_per_second = *o.log_rate;
  if (o.log_burst) c->logging.burst = *o.log_burst;
  if (o.listen.empty()) return c;
  c->portals.clear();
  for (const auto& l : o.listen) {
    auto e = parse_endpoint(l);
    if (!e) return fail(config_error{"--listen " + l, e.error()});
    c->portals.push_back(*e);
  }
  return c;
}

void print_banner(const std::vector<endpoint_text>& bound, const instance& in, const std::string& control) {
  for (const auto& b : bound) std::printf("portal %s\n", b.portal().c_str());
  for (const auto& [iqn, t] : in.targets()) {
    std::printf("iqn %s\n", iqn.c_str());
    for (auto lun : t.node->devices->luns())
      std::printf("url iscsi://%s/%s/%llu\n", bound[0].portal().c_str(), iqn.c_str(),
                  static_cast<unsigned long long>(lun));
  }
  std::printf("control %s\n", control.c_str());
  std::fflush(stdout);
}

// SIGHUP and config.reload: a bad new config is refused, the old one stays.
app_result<std::vector<std::string>> reload(const serve_options& o, instance& in) {
  if (o.config_file.empty())
    return fail(app_error{app_error_code::config_refused, "started without --config: nothing to reload"});
  auto next = build_config(o);
  if (!next) {
    spdlog::error("reload refused, keeping the running config: {}", next.error().text());
    return fail(app_error{app_error_code::config_refused, next.error().text()});
  }
  for (const auto& w : weak_secret_warnings(*next)) spdlog::warn("{}", w);
  auto applied = in.apply(*next);
  if (!applied) {
    spdlog::error("reload refused, keeping the running config: {}", applied.error().message);
    return applied;
  }
  if (next->logging != in.peer_log_budget()->limits()) {
    in.set_log_limits(next->logging);
    applied->push_back("logging limits changed");
  }
  for (const auto& line : *applied) spdlog::info("reload: {}", line);
  if (applied->empty()) spdlog::info("reload: no target or LUN changed");
  return applied;
}

// Each connection holds a descriptor; the listeners, the control socket, the
// I/O threads' event descriptors, the stores and the reserve descriptor take
// a few more. The usual soft RLIMIT_NOFILE of 1024 (kept low for programs
// that use select()) would run out before max_connections: raise it as far
// as needed, within the hard limit, as servers that need many descriptors do.
// A process-wide setting: the program makes it, not the library.
void raise_descriptor_limit(const connection_limits& l) {
  constexpr rlim_t own_descriptors = 256;
  rlimit r{};
  if (l.max_connections == 0 || ::getrlimit(RLIMIT_NOFILE, &r) != 0) return;
  const rlim_t wanted = l.max_connections + own_descriptors;
  if (r.rlim_cur == RLIM_INFINITY || r.rlim_cur >= wanted) return;
  const rlim_t before = r.rlim_cur;
  r.rlim_cur = std::min(wanted, r.rlim_max);
  if (::setrlimit(RLIMIT_NOFILE, &r) != 0) r.rlim_cur = before;
  if (r.rlim_cur > before) spdlog::info("raised the descriptor limit (RLIMIT_NOFILE) from {} to {}", before, r.rlim_cur);
  if (r.rlim_cur < wanted)
    spdlog::warn("descriptor limit (RLIMIT_NOFILE) {}: below max_connections {} + {} for the target's own; "
                 "out of descriptors, accepts pause until some are free", r.rlim_cur, l.max_connections,
                 own_descriptors);
}

// The exit statuses of both commands (the help's footer, docs/target.md).
constexpr int exit_ok = 0;
constexpr int exit_runtime = 1;  // run_ctl: no answer, or an error answered; no random bytes
constexpr int exit_setup = 2;    // usage: options, config, LUNs, portals, control socket

// Set-up mistakes that still start a target: said once, on stderr.
void warn_about(const instance_config& c) {
  for (const auto& w : weak_secret_warnings(c)) spdlog::warn("{}", w);
  for (const auto& t : c.targets)
    if (t.luns.empty())
      spdlog::warn("target {} has no LUNs: initiators log in and find none (add --lun mem:64MiB, "
                   "\"luns\" in the config, or ctl lun.add)", t.settings.iqn);
}

void report_listen_error(const std::string& error) {
  if (error.find("in use") == std::string::npos) return spdlog::error("{}", error);
  spdlog::error("{} (another process listens there; --listen 127.0.0.1:0 picks a free port)", error);
}

int serve(const serve_options& o) {
  if (!tool::set_up_logging(o.log_level, o.log_format)) {
    std::fprintf(stderr, "--log-level %s: expected %s\n", o.log_level.c_str(), tool::log_level_names);
    return exit_setup;
  }
  auto config = build_config(o);
  if (!config) {
    spdlog::error("{}", config.error().text());
    return exit_setup;
  }
  warn_about(*config);
  raise_descriptor_limit(config->connections);
  server srv;
  auto bound = srv.listen(config->portals);
  if (!bound) {
    report_listen_error(bound.error());
    return exit_setup;
  }
  std::vector<std::string> portals;
  for (const auto& b : *bound) portals.push_back(b.portal());
  instance in(portals, config->discovery);
  in.admission().set_limits(config->connections);
  in.set_log_limits(config->logging);
  for (auto& t : config->targets) {
    if (auto created = in.create_target(std::move(t)); !created) {
      spdlog::error("{}", created.error().message);
      return exit_setup;
    }
  }
  const auto control = o.control.empty() ? tool::default_control_path((*bound)[0].host, (*bound)[0].port) : o.control;
  rpc_dispatcher rpc;
  management_context context;
  context.targets = &in;
  if (!o.config_file.empty()) context.reload = [&] { return reload(o, in); };
  context.info = {{"portals", portals}, {"control", control}, {"config", o.config_file}, {"pid", ::getpid()}};
  register_management(rpc, context);
  if (auto opened = srv.open_control(control, rpc); !opened) {
    spdlog::error("{}", opened.error());
    return exit_setup;
  }
  srv.on_hangup([&] {
    if (o.config_file.empty()) spdlog::warn("SIGHUP: started without --config, nothing to reload");
    else (void)reload(o, in);
  });
  print_banner(*bound, in, control);
  if (o.threads > 1) spdlog::info("{} I/O threads", o.threads);
  srv.run(in, o.threads);
  spdlog::info("stopped");
  return exit_ok;
}

// Data buffers of up to a few MiB (a 1 MiB READ's data and its Data-In
// PDUs, a WRITE's Data-Out) come and go with every command: glibc would mmap
// and munmap each (page faults and zeroing on every command, a third of the
// CPU time at 1 MiB). Keep them in the heap, and up to 32 MiB of it freed.
// A process-wide setting: the program sets it, not the library (the
// conformance tool embeds the same server).
void keep_data_buffers_in_heap() {
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}


constexpr auto help_footer = R"(Examples:
  touchstone-target --lun mem:64MiB
      a 64 MiB memory LUN on 127.0.0.1:3260; stdout names the portal, the URL and the control socket
  touchstone-target --listen 127.0.0.1:0 --lun file:disk.img,size=1GiB --chap alice:alice-secret-123
      a file LUN on a free port, CHAP required
  touchstone-target --config target.json      (docs/target.md, docs/target-example.json)
  touchstone-target ctl target.list           (the running instance's targets)

Exit status: 0 stopped by SIGINT or SIGTERM; 1 runtime failure; 2 usage or set-up error (a bad
option, config, LUN, portal or control socket). ctl: 0 answered; 1 no answer, or an error answered;
2 usage error, or no running instance found.)";

void add_limit_and_log_options(CLI::App& app, serve_options& o) {
  app.add_option("--max-connections", o.max_connections,
                 "TCP connections at most, closed at once beyond (default 1024; 0: no limit)")
      ->check(CLI::Range(0u, 1u << 20));
  app.add_option("--max-connections-per-address", o.max_connections_per_address,
                 "connections from one source address at most (default 256; 0: no limit)")
      ->check(CLI::Range(0u, 1u << 20));
  app.add_option("--max-connections-per-session", o.max_connections_per_session,
                 "connections in one session at most: MaxConnections (default 4; 1: one per session)")
      ->check(CLI::Range(1u, 65535u));
  app.add_option("--max-login-connections", o.max_login_connections,
                 "connections not yet in the Full Feature Phase at most (default 256; 0: no limit)")
      ->check(CLI::Range(0u, 1u << 20));
  app.add_option("--control", o.control,
                 "control socket path (default: $XDG_RUNTIME_DIR or /tmp, "
                 "touchstone-target-UID-HOST-PORT.sock after the first portal)");
  app.add_option("--log-level", o.log_level, std::string("one of ") + tool::log_level_names)
      ->capture_default_str();
  app.add_option("--log-format", o.log_format, "text|json")->capture_default_str()->check(CLI::IsMember({"text", "json"}));
  app.add_option("--log-interval", o.log_interval,
                 "seconds: each connection logs the first line of each kind (requirement id) per interval "
                 "in full, then a count (default 10; 0: every line)")
      ->check(CLI::Range(0u, 3600u));
  app.add_option("--log-rate", o.log_rate,
                 "lines about initiators per second, all connections together (default 20; 0: no bound)")
      ->check(CLI::Range(0u, 1000000u));
  app.add_option("--log-burst", o.log_burst, "lines about initiators at once before --log-rate applies (default 200)")
      ->check(CLI::Range(1u, 1000000u));
}

void add_serve_options(CLI::App& app, serve_options& o) {
  app.add_option("--config", o.config_file, "JSON config file (targets, portals, LUNs, CHAP, limits)");
  app.add_option("--listen", o.listen,
                 "HOST:PORT to listen on, repeatable; HOST an IP address or a host name, [V6]:PORT; "
                 "port 0: a free one (default 127.0.0.1:3260)");
  app.add_option("--lun", o.luns, "mem:SIZE, null:SIZE or file:PATH[,size=SIZE][,ro][,bs=4096][,aptpl=STATE]; "
                                  "LUNs from 0; a file that does not exist needs size=");
  app.add_option("--iqn", o.iqn, "the target's iSCSI name")->capture_default_str();
  app.add_option("--alias", o.alias, "the target's alias (TargetAlias)");
  app.add_option("--chap", o.chap, "USER:SECRET the initiator must authenticate with (CHAP MD5)");
  app.add_option("--mutual-chap", o.mutual_chap, "USER:SECRET the target answers mutual CHAP with");
  std::string allow_help = "relax one named rule of strict mode (repeatable); NAME (requirement id):";
  std::vector<std::string> leniency_names;
  for (const auto& l : leniency_table()) {
    allow_help += "\n  " + std::string(l.name) + " (" + std::string(l.requirement) + "): " + std::string(l.relaxes);
    leniency_names.emplace_back(l.name);
  }
  app.add_option("--allow", o.allow, allow_help)->check(CLI::IsMember(leniency_names));
  tool::add_mutant_options(app, o.mutants);
  app.add_option("--nop-in-interval", o.nop_in_interval,
                 "seconds without a PDU from the initiator before a NOP-In ping (0: none)")
      ->capture_default_str();
  app.add_option("--nop-in-timeout", o.nop_in_timeout,
                 "seconds a ping may go unanswered before the connection is dropped")
      ->capture_default_str()->check(CLI::Range(1u, 3600u));
  app.add_option("--header-digest", o.header_digest,
                 "optional (default: offer None,CRC32C), required (CRC32C only) or off (None only)");
  app.add_option("--data-digest", o.data_digest, "optional (default), required (CRC32C) or off (None)");
  app.add_option("--max-erl", o.max_erl,
                 "highest ErrorRecoveryLevel offered (default 1; 0: no SNACK, digest errors end tasks)")
      ->check(CLI::Range(0u, 1u));
  app.add_option("--redirect", o.redirect,
                 "HOST[:PORT] to send Normal logins to (status 0101, repeatable; discovery stays here)");
  app.add_flag("--redirect-permanent", o.redirect_permanent, "redirect with 0102 (moved permanently)");
  app.add_flag("--redirect-after-security", o.redirect_after_security,
               "redirect once the security negotiation (CHAP) is complete");
  app.add_option("--threads", o.threads, "I/O threads; each connection is served by one of them, in turn")
      ->capture_default_str()->check(CLI::Range(1u, 64u));
  add_limit_and_log_options(app, o);
  for (const char* name : {"--lun", "--iqn", "--alias", "--chap", "--mutual-chap", "--allow",
                           "--header-digest", "--data-digest", "--max-erl", "--nop-in-interval", "--nop-in-timeout",
                           "--redirect", "--redirect-permanent", "--redirect-after-security"})
    app.get_option(name)->excludes("--config");
}

CLI::App* add_ctl(CLI::App& app, tool::ctl_options& c) {
  auto* ctl = app.add_subcommand("ctl", "send one management request to a running instance");
  ctl->add_option("--control", c.control,
                  "control socket (default: $TOUCHSTONE_TARGET_CONTROL, or the only one that answers)");
  ctl->add_flag("--json", c.json, "print the raw JSON result");
  ctl->add_option("verb", c.verb, "target.list target.create target.remove lun.list lun.add lun.remove "
                                  "session.list stats config.reload server.info")->required();
  ctl->add_option("args", c.args, "key=value ... or one JSON object");
  ctl->footer("Exit status: 0 answered; 1 no answer, or an error answered; 2 usage error, or no running "
              "instance found.");
  return ctl;
}

}  // namespace

// --generate-chap-secret (RFC 7143 section 9.2.1: the means to generate
// random secrets; pdu::chap_make_secret is the only generator).
int print_chap_secret() {
  const auto secret = touchstone::pdu::chap_make_secret();
  if (!secret) {
    std::fprintf(stderr, "touchstone-target: no random bytes for a CHAP secret\n");
    return exit_runtime;
  }
  std::printf("%s\n", secret->c_str());
  return exit_ok;
}

int main(int argc, char** argv) {
  keep_data_buffers_in_heap();
  // A closed stdout or stderr (a pipe whose reader went) must not kill the
  // target before it removes its control socket: writes then fail quietly.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"touchstone-target: the strict reference iSCSI target"};
  app.footer(help_footer);
  serve_options o;
  add_serve_options(app, o);
  tool::ctl_options c;
  auto* ctl = add_ctl(app, c);
  bool generate_secret = false;
  app.add_flag("--generate-chap-secret", generate_secret,
               "print a fresh random CHAP secret (128 random bits, 32 hex digits) and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and exits 0; every other parse error is a usage error (2),
    // not one of CLI11's own codes (104-109).
    return app.exit(e) == 0 ? exit_ok : exit_setup;
  }
  if (ctl->parsed()) return tool::run_ctl(c);
  if (generate_secret) return print_chap_secret();
  return serve(o);
}
