// THE persistent reservation access table, exhaustively: every command kind x
// reservation type x relation of the I_T nexus, each cell asserted through
// device_server::execute with real CDBs; then every command of the built-in
// table against the same table; then the SPC-2 RESERVE/RELEASE interplay.
#include <set>

#include "pr_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

response stub_good(command_context& ctx) { return ctx.good(); }

// The built-in table, plus RESERVE/RELEASE 6/10 stubs (own rules, GOOD) while
// the SPC-2 family is not registered, so their cells run through execute too.
command_table table_with_spc2() {
  command_table t = builtin_command_table();
  for (std::uint8_t op : {0x16, 0x17, 0x56, 0x57}) {
    if (!t.knows_opcode(op))
      t.add({.opcode = op, .name = "SPC-2 STUB", .cdb_length = static_cast<std::uint8_t>(op < 0x20 ? 6 : 10),
             .access = reservation_access::own_rules, .run = stub_good});
  }
  return t;
}

struct access_fixture {
  std::shared_ptr<logical_unit> lu =
      std::make_shared<logical_unit>(lu_config{}, make_memory_store(512, 2048));
  device_server server{table_with_spc2()};
  nexus a = nexus_of(initiator_a());
  nexus b = nexus_of(initiator_b());
  nexus c = nexus_of(initiator_c());
  task_tag tag = 1;

  access_fixture() {
    REQUIRE(server.add_lu(lu));
    for (const auto& n : {a, b, c}) {
      lu->touch(n.it);
      while (lu->pop_ua(n.it)) {
      }
    }
  }
  response run(const nexus& n, const byte_buffer& cdb, bytes_view data = {}) {
    request r;
    r.cdb = cdb;
    r.tag = tag++;
    r.data_out = data;
    r.expected_data_in_length = 1U << 20;
    return server.execute(n, r);
  }
  void out(const nexus& n, std::uint8_t sa, std::uint64_t key, std::uint64_t sa_key, pr_type t) {
    auto list = basic_list(key, sa_key);
    REQUIRE(run(n, prout_cdb(sa, code(t), 24), list).status == status::good);
  }
  // A registers (0xA) and, unless `type` is none, reserves; B registers (0xB)
  // when the subject must be a registrant. Returns the subject I_T nexus.
  nexus arrange(pr_type type, pr_relation relation) {
    out(a, prsa::register_key, 0, 0xA, pr_type::none);
    if (type != pr_type::none) out(a, prsa::reserve, 0xA, 0, type);
    switch (relation) {
      case pr_relation::holder:
        return a;
      case pr_relation::registered:
        out(b, prsa::register_key, 0, 0xB, pr_type::none);
        return b;
      case pr_relation::not_registered:
        break;
    }
    return c;
  }
};

std::uint64_t key_of(const access_fixture& f, const nexus& n) {
  if (n.it == f.a.it) return 0xA;
  return n.it == f.b.it ? 0xB : 0;
}

// Real CDBs for each command kind (data-out where the command takes some).
struct command_case {
  std::string_view name;
  byte_buffer cdb;
  byte_buffer data;
};

std::vector<command_case> commands_of(pr_command_kind kind, std::uint64_t own_key) {
  switch (kind) {
    case pr_command_kind::allowed:
      return {{"TEST UNIT READY", cdb6(0x00, 0, 0), {}}, {"READ CAPACITY(10)", cdb10(0x25, 0, 0), {}}};
    case pr_command_kind::reads:
      return {{"READ(10)", cdb10(0x28, 0, 1), {}}, {"READ(16)", cdb16(0x88, 0, 1), {}}};
    case pr_command_kind::writes:
      return {{"WRITE(10)", cdb10(0x2A, 0, 1), byte_buffer(512, 0x5A)},
              {"SYNCHRONIZE CACHE(10)", cdb10(0x35, 0, 0), {}}};
    case pr_command_kind::persistent_reserve_in:
      return {{"PR IN READ KEYS", prin_cdb(prsa::read_keys), {}},
              {"PR IN READ FULL STATUS", prin_cdb(prsa::read_full_status), {}}};
    case pr_command_kind::persistent_reserve_out:
      // Re-registering its own key: GOOD for any I_T nexus, whatever the reservation.
      return {{"PR OUT REGISTER", prout_cdb(prsa::register_key, 0, 24), basic_list(own_key, own_key)}};
    case pr_command_kind::spc2_reserve:
      return {{"RESERVE(6)", cdb6(0x16, 0, 0), {}}, {"RESERVE(10)", cdb10(0x56, 0, 0), {}}};
    case pr_command_kind::spc2_release:
      return {{"RELEASE(6)", cdb6(0x17, 0, 0), {}}, {"RELEASE(10)", cdb10(0x57, 0, 0), {}}};
  }
  return {};
}

bool reachable(pr_type type, pr_relation relation) {
  if (type == pr_type::none) return relation != pr_relation::holder;
  // Under the all registrants types every registrant is a holder.
  return !(is_all_registrants(type) && relation == pr_relation::registered);
}

constexpr pr_relation relations[] = {pr_relation::holder, pr_relation::registered,
                                     pr_relation::not_registered};

}  // namespace

TEST_CASE("the access table has one row per command kind and reservation type",
          "[scsi][persistent_reservations][pr_access]") {
  auto table = pr_access_table();
  std::set<std::pair<int, int>> seen;
  for (const auto& row : table) {
    CHECK(seen.insert({static_cast<int>(row.kind), static_cast<int>(row.type)}).second);
    // The holder is never refused (but SPC-2 RESERVE while registrations exist).
    if (row.type != pr_type::none)
      CHECK((row.holder == pr_verdict::allowed || row.kind == pr_command_kind::spc2_reserve));
  }
  CHECK(seen.size() == 7 * 7);
}

TEST_CASE("every cell of the access table, through execute",
          "[scsi][persistent_reservations][pr_access]") {
  auto table = pr_access_table();
  const std::size_t index = GENERATE_COPY(range(std::size_t{0}, table.size()));
  const pr_relation relation = GENERATE(values({pr_relation::holder, pr_relation::registered,
                                                pr_relation::not_registered}));
  const pr_access_row& row = table[index];
  INFO("kind " << int(row.kind) << " type " << int(row.type) << " relation " << int(relation));
  if (!reachable(row.type, relation)) {
    // Unreachable cells agree with the cell that applies instead.
    if (row.type != pr_type::none) CHECK(row.verdict(relation) == row.holder);
    return;
  }
  access_fixture probe;
  const nexus subject = probe.arrange(row.type, relation);
  for (const auto& cmd : commands_of(row.kind, key_of(probe, subject))) {
    access_fixture f;
    (void)f.arrange(row.type, relation);
    INFO(cmd.name);
    auto r = f.run(subject, cmd.cdb, cmd.data);
    const bool expect_conflict = row.verdict(relation) == pr_verdict::conflict;
    CHECK((r.status == status::reservation_conflict) == expect_conflict);
    if (!expect_conflict) CHECK(r.status == status::good);
  }
}

TEST_CASE("every built-in command obeys the access table", "[scsi][persistent_reservations][pr_access]") {
  const pr_type type = GENERATE(pr_type::none, pr_type::write_exclusive, pr_type::exclusive_access,
                                pr_type::write_exclusive_registrants_only,
                                pr_type::exclusive_access_registrants_only,
                                pr_type::write_exclusive_all_registrants,
                                pr_type::exclusive_access_all_registrants);
  for (pr_relation relation : relations) {
    if (!reachable(type, relation)) continue;
    access_fixture f;
    const nexus subject = f.arrange(type, relation);
    for (const command_entry* e : f.server.commands().entries()) {
      byte_buffer cdb(e->cdb_length < 6 ? 6 : e->cdb_length, 0);
      cdb[0] = e->opcode;
      if (e->service_action) {
        auto field = *service_action_field_of(e->opcode);
        if (field.mask == 0xFFFF) put_be16(&cdb[field.byte], *e->service_action);
        else cdb[field.byte] = static_cast<std::uint8_t>(*e->service_action);
      }
      INFO(e->name << " type " << int(type) << " relation " << int(relation));
      auto r = f.run(subject, cdb);
      const bool conflict =
          pr_access(pr_command_kind_of(*e), type, relation) == pr_verdict::conflict;
      CHECK((r.status == status::reservation_conflict) == conflict);
    }
  }
}

TEST_CASE("no registration: no persistent reservation conflict at all",
          "[scsi][persistent_reservations][pr_access]") {
  access_fixture f;
  f.out(f.a, prsa::register_key, 0, 0xA, pr_type::none);
  f.out(f.a, prsa::register_key, 0xA, 0, pr_type::none);  // and gone again
  CHECK(f.run(f.c, cdb6(0x16, 0, 0)).status == status::good);
  CHECK(f.run(f.c, cdb10(0x2A, 0, 1), byte_buffer(512, 0)).status == status::good);
}

TEST_CASE("SPC-2 interplay accessor: a registration or a reservation exists",
          "[scsi][persistent_reservations][pr_access]") {
  access_fixture f;
  auto exists = [&] {
    auto lock = f.lu->lock_execution();
    return persistent_reservation_or_registration_exists(*f.lu);
  };
  CHECK_FALSE(exists());
  f.out(f.a, prsa::register_key, 0, 0xA, pr_type::none);
  CHECK(exists());
  f.out(f.a, prsa::register_key, 0xA, 0, pr_type::none);
  CHECK_FALSE(exists());
}
