// The compact binary form of a session program (program_binary.hpp).
#include "touchstone/fuzz/program_binary.hpp"

#include "binary_io.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace touchstone::fuzz {
namespace {

using binary_io::put;
using binary_io::put_bytes;
using binary_io::reader;

void save_login(std::vector<std::uint8_t>& out, const login_plan& l) {
  put(out, static_cast<std::uint8_t>(l.kind), 1);
  put(out, l.chap ? 1 : 0, 1);
  put(out, l.isid, 6);
  put(out, l.tsih, 2);
  put(out, l.cid, 2);
  put(out, l.offers.size(), 1);
  for (const auto& kv : l.offers) {
    put(out, kv.key.size(), 2);
    put_bytes(out, kv.key);
    put(out, kv.value.size(), 2);
    put_bytes(out, kv.value);
  }
}

void save_step(std::vector<std::uint8_t>& out, const step& s) {
  put_bytes(out, s.pdu.bhs);
  put(out, s.pdu.ahs.size(), 2);
  put_bytes(out, s.pdu.ahs);
  put(out, s.pdu.data.size(), 4);
  put_bytes(out, s.pdu.data);
  put(out, static_cast<std::uint8_t>(s.send.digests), 1);
  put(out, static_cast<std::uint8_t>(s.send.numbers), 1);
  put(out, s.send.wait_answer ? 1 : 0, 1);
  put(out, s.send.delay_ms, 4);
  put(out, s.send.splits.size(), 1);
  for (auto at : s.send.splits) put(out, at, 4);
}

void load_login(reader& r, login_plan& l) {
  l.kind = r.enum_value<login_kind>(static_cast<std::uint8_t>(login_kind::scripted), "login.kind");
  l.chap = r.num(1, "login.chap") != 0;
  l.isid = r.num(6, "login.isid");
  l.tsih = static_cast<std::uint16_t>(r.num(2, "login.tsih"));
  l.cid = static_cast<std::uint16_t>(r.num(2, "login.cid"));
  const auto offers = r.num(1, "login.offers");
  if (offers > max_offers) r.fail("login.offers: " + std::to_string(offers) + " offers");
  for (std::uint64_t i = 0; i < offers && !r.error; ++i) {
    pdu::key_value kv;
    r.bytes(r.num(2, "offer key length"), kv.key, "offer key");
    r.bytes(r.num(2, "offer value length"), kv.value, "offer value");
    l.offers.push_back(std::move(kv));
  }
}

void load_step(reader& r, step& s) {
  if (r.take(pdu::bhs_size, "step BHS")) {
    std::copy_n(r.in.begin(), pdu::bhs_size, s.pdu.bhs.begin());
    r.in = r.in.subspan(pdu::bhs_size);
  }
  r.bytes(r.num(2, "AHS length"), s.pdu.ahs, "AHS");
  const auto len = r.num(4, "data length");
  if (len > max_data_segment) r.fail("data: " + std::to_string(len) + " bytes");
  r.bytes(len, s.pdu.data, "data");
  s.send.digests = r.enum_value<digest_mode>(static_cast<std::uint8_t>(digest_mode::data_wrong), "digests");
  s.send.numbers = r.enum_value<numbering>(static_cast<std::uint8_t>(numbering::as_written), "numbering");
  s.send.wait_answer = r.num(1, "wait_answer") != 0;
  s.send.delay_ms = static_cast<std::uint32_t>(r.num(4, "delay_ms"));
  const auto splits = r.num(1, "splits");
  if (splits > max_splits) r.fail("splits: " + std::to_string(splits));
  for (std::uint64_t i = 0; i < splits && !r.error; ++i)
    s.send.splits.push_back(static_cast<std::uint32_t>(r.num(4, "split")));
}

}  // namespace

std::vector<std::uint8_t> save_binary(const program& p) {
  std::vector<std::uint8_t> out(std::begin(program_binary_magic), std::end(program_binary_magic));
  save_login(out, p.login);
  put(out, p.steps.size(), 2);
  for (const auto& s : p.steps) save_step(out, s);
  return out;
}

result<program, load_error> load_binary(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < sizeof program_binary_magic ||
      !std::equal(std::begin(program_binary_magic), std::end(program_binary_magic), bytes.begin()))
    return fail(load_error{"not a binary session program (no TSP1 magic)"});
  reader r{bytes.subspan(sizeof program_binary_magic), std::nullopt};
  program p;
  load_login(r, p.login);
  const auto steps = r.num(2, "steps");
  if (steps > max_steps) r.fail("steps: " + std::to_string(steps) + " steps");
  for (std::uint64_t i = 0; i < steps && !r.error; ++i) load_step(r, p.steps.emplace_back());
  if (!r.error && !r.in.empty()) r.fail(std::to_string(r.in.size()) + " bytes after the last step");
  if (r.error) return fail(load_error{*r.error});
  if (auto bad = bound_violation(p); !bad.empty()) return fail(load_error{bad});
  return p;
}

}  // namespace touchstone::fuzz
