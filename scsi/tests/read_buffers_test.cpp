// READ buffers reused within a thread: a reused buffer carries the store's
// data, never the last READ's, and what a thread keeps is bounded.
#include "support.hpp"
#include "touchstone/scsi/read_buffers.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

constexpr std::uint32_t blocks_4mib = 8192;  // of 512 bytes

// Empties the calling thread's kept buffer (tests share the thread).
void drop_kept() {
  if (kept_read_buffer_capacity() > 0) (void)take_read_buffer(min_reused_read_buffer);
}

}  // namespace

TEST_CASE("a READ after a READ's buffer came back returns the store's data, not the old buffer's",
          "[scsi][read_write][read_buffers]") {
  drop_kept();
  fixture f(make_memory_store(512, 2 * blocks_4mib));
  const auto first = pattern(blocks_4mib * 512, 1);
  const auto second = pattern(blocks_4mib * 512, 2);
  REQUIRE(f.run(cdb16(0x8A, 0, blocks_4mib), first).status == status::good);
  REQUIRE(f.run(cdb16(0x8A, blocks_4mib, blocks_4mib), second).status == status::good);

  auto r1 = f.run(cdb16(0x88, 0, blocks_4mib));
  REQUIRE((r1.data_in == first));
  const auto* was = r1.data_in.data();
  give_back_read_buffer(std::move(r1.data_in));
  const bool keeps = kept_read_buffer_capacity() > 0;

  // Half the length from the other half of the LU: the same memory when
  // buffers are kept, and exactly the store's bytes either way.
  auto r2 = f.run(cdb16(0x88, blocks_4mib, blocks_4mib / 2));
  CHECK((r2.data_in == byte_buffer(second.begin(), second.begin() + blocks_4mib / 2 * 512)));
  if (keeps) CHECK(r2.data_in.data() == was);
  // A range never written reads as zeros through a reused buffer too.
  give_back_read_buffer(std::move(r2.data_in));
  REQUIRE(f.run(cdb16(0x8A, 0, blocks_4mib), byte_buffer(blocks_4mib * 512, 0)).status == status::good);
  auto r3 = f.run(cdb16(0x88, 0, blocks_4mib));
  CHECK((r3.data_in == byte_buffer(blocks_4mib * 512, 0)));
}

TEST_CASE("a thread keeps at most one READ buffer, within the size bounds", "[scsi][read_buffers]") {
  drop_kept();
  give_back_read_buffer(byte_buffer(min_reused_read_buffer - 1));
  CHECK(kept_read_buffer_capacity() == 0);  // small: the allocator's business
  byte_buffer huge;
  huge.reserve(max_reused_read_buffer + 1);
  give_back_read_buffer(std::move(huge));
  CHECK(kept_read_buffer_capacity() == 0);  // over the bound: freed

  give_back_read_buffer(byte_buffer(2 * min_reused_read_buffer));
  const auto kept = kept_read_buffer_capacity();
  if (kept == 0) return;  // AddressSanitizer builds keep nothing
  CHECK(kept == 2 * min_reused_read_buffer);
  give_back_read_buffer(byte_buffer(min_reused_read_buffer));
  CHECK(kept_read_buffer_capacity() == kept);  // the larger one stays
  // A request larger than the kept buffer gets a new one; the kept stays.
  CHECK(take_read_buffer(3 * min_reused_read_buffer).size() == 3 * min_reused_read_buffer);
  CHECK(kept_read_buffer_capacity() == kept);
  CHECK(take_read_buffer(min_reused_read_buffer).size() == min_reused_read_buffer);
  CHECK(kept_read_buffer_capacity() == 0);
}
