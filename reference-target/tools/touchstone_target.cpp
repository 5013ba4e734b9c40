// touchstone-target: the strict, rootless reference iSCSI target.
//
//   touchstone-target --lun mem:64MiB
//   touchstone-target --listen 127.0.0.1:0 --lun file:disk.img,size=1GiB --chap user:secret
#include <CLI/CLI.hpp>
#include <cstdio>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/iscsi_name.hpp"
#include "touchstone/target/server.hpp"

using namespace touchstone;
using namespace touchstone::target;

namespace {

// "64MiB", "1G", "4096": bytes.
std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) value = value * 10 + (text[i] - '0');
  if (i == 0) return std::nullopt;
  const auto unit = text.substr(i);
  static constexpr std::pair<std::string_view, int> units[] = {
      {"", 0}, {"B", 0}, {"K", 10}, {"KiB", 10}, {"M", 20}, {"MiB", 20},
      {"G", 30}, {"GiB", 30}, {"T", 40}, {"TiB", 40}};
  for (const auto& [name, shift] : units)
    if (unit == name) return value << shift;
  return std::nullopt;
}

struct lun_spec {
  std::string kind;  // mem | file
  std::string path;
  std::uint64_t size = 0;
  bool read_only = false;
};

std::optional<lun_spec> parse_lun(std::string_view text) {
  lun_spec spec;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  spec.kind = std::string(text.substr(0, colon));
  auto rest = text.substr(colon + 1);
  std::vector<std::string_view> parts;
  for (std::size_t comma; (comma = rest.find(',')) != std::string_view::npos;) {
    parts.push_back(rest.substr(0, comma));
    rest = rest.substr(comma + 1);
  }
  parts.push_back(rest);
  if (spec.kind == "mem") {
    const auto size = parse_size(parts[0]);
    if (!size) return std::nullopt;
    spec.size = *size;
  } else if (spec.kind == "file") {
    spec.path = std::string(parts[0]);
  } else {
    return std::nullopt;
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i] == "ro") spec.read_only = true;
    else if (parts[i].starts_with("size=")) {
      const auto size = parse_size(parts[i].substr(5));
      if (!size) return std::nullopt;
      spec.size = *size;
    } else return std::nullopt;
  }
  return spec;
}

std::shared_ptr<scsi::logical_unit> make_lu(const lun_spec& spec, scsi::lun_t lun) {
  constexpr std::uint32_t block = 512;
  scsi::lu_config config;
  config.lun = lun;
  config.read_only = spec.read_only;
  std::shared_ptr<scsi::block_store> store;
  if (spec.kind == "mem") {
    store = scsi::make_memory_store(block, spec.size / block);
  } else {
    scsi::file_store_options o;
    o.path = spec.path;
    o.block_size = block;
    o.block_count = spec.size / block;
    o.read_only = spec.read_only;
    auto opened = scsi::open_file_store(o);
    if (!opened) {
      spdlog::error("cannot open {}: error {}", spec.path, opened.error().os_error);
      return nullptr;
    }
    store = std::move(*opened);
  }
  return std::make_shared<scsi::logical_unit>(config, std::move(store));
}

std::optional<chap_account> parse_account(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  return chap_account{text.substr(0, colon), text.substr(colon + 1)};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"touchstone-target: the strict reference iSCSI target"};
  std::vector<std::string> listen{"127.0.0.1:3260"};
  std::vector<std::string> luns;
  std::string iqn(default_iqn);
  std::string chap, mutual_chap, log_level = "info";
  app.add_option("--listen", listen, "HOST:PORT to listen on ([V6]:PORT; port 0 = ephemeral)")
      ->capture_default_str();
  app.add_option("--lun", luns, "mem:SIZE or file:PATH[,size=SIZE][,ro]; LUNs numbered from 0")
      ->required();
  app.add_option("--iqn", iqn, "the target's iSCSI name")->capture_default_str();
  app.add_option("--chap", chap, "USER:SECRET the initiator must authenticate with (CHAP MD5)");
  app.add_option("--mutual-chap", mutual_chap, "USER:SECRET the target answers mutual CHAP with");
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("target"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  if (!pdu::validate_iscsi_name(iqn)) {
    spdlog::error("--iqn {}: not a valid iSCSI name", iqn);
    return 2;
  }
  auto node = std::make_shared<target_node>();
  node->config.iqn = iqn;
  node->devices = std::make_shared<scsi::device_server>();
  for (std::size_t i = 0; i < luns.size(); ++i) {
    const auto spec = parse_lun(luns[i]);
    if (!spec) {
      spdlog::error("--lun {}: expected mem:SIZE or file:PATH[,size=SIZE][,ro]", luns[i]);
      return 2;
    }
    auto lu = make_lu(*spec, i);
    if (!lu) return 1;
    node->devices->add_lu(std::move(lu));
  }
  for (auto [text, slot] : {std::pair{&chap, &node->config.chap},
                            std::pair{&mutual_chap, &node->config.mutual_chap}}) {
    if (text->empty()) continue;
    *slot = parse_account(*text);
    if (!*slot) {
      spdlog::error("expected USER:SECRET, got {}", *text);
      return 2;
    }
    //= rfc7143#section-9.2.1
    //# verify that the CHAP secret is at least 96 bits
    if (!pdu::chap_secret_is_strong(pdu::bytes_view(
            reinterpret_cast<const std::uint8_t*>((*slot)->secret.data()), (*slot)->secret.size())))
      spdlog::warn("CHAP secret of {} is shorter than 96 bits (rfc7143#section-9.2.1)", (*slot)->user);
  }
  std::vector<endpoint_text> wanted;
  for (const auto& l : listen) {
    auto e = parse_endpoint(l);
    if (!e) {
      spdlog::error("--listen {}: {}", l, e.error());
      return 2;
    }
    wanted.push_back(*e);
  }
  server srv(node);
  auto bound = srv.listen(wanted);
  if (!bound) {
    spdlog::error("{}", bound.error());
    return 1;
  }
  for (const auto& b : *bound) node->config.portals.push_back(b.portal());
  for (const auto& b : *bound) std::printf("portal %s\n", b.portal().c_str());
  std::printf("iqn %s\n", iqn.c_str());
  for (const auto& b : *bound)
    for (auto lun : node->devices->luns())
      std::printf("url iscsi://%s/%s/%llu\n", b.portal().c_str(), iqn.c_str(),
                  static_cast<unsigned long long>(lun));
  std::fflush(stdout);
  srv.run();
  spdlog::info("stopped");
  return 0;
}
