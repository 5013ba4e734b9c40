// Test helpers for the SBC-3 families beyond READ/WRITE: parameter lists,
// CDBs, a fully provisioned store, and sense assertions.
#pragma once

#include <utility>
#include <vector>

#include "support.hpp"

namespace touchstone::scsi::test {

// A store that cannot deallocate (LBPME=0): a fully provisioned LU.
class thick_store final : public block_store {
 public:
  explicit thick_store(std::shared_ptr<block_store> inner) : inner_(std::move(inner)) {}
  std::uint32_t block_size() const override { return inner_->block_size(); }
  std::uint64_t block_count() const override { return inner_->block_count(); }
  store_result read(std::uint64_t lba, std::span<std::uint8_t> out) override {
    return inner_->read(lba, out);
  }
  store_result write(std::uint64_t lba, std::span<const std::uint8_t> in) override {
    return inner_->write(lba, in);
  }
  store_result sync() override { return inner_->sync(); }
  store_result unmap(std::uint64_t lba, std::uint64_t) override {
    return fail(store_error{store_errc::unsupported, lba, 0});
  }
  result<block_extent, store_error> block_status(std::uint64_t lba) override {
    if (lba >= block_count()) return fail(store_error{store_errc::out_of_range, lba, 0});
    return block_extent{lba, block_count() - lba, block_state::mapped};
  }
  bool thin_provisioned() const override { return false; }

 private:
  std::shared_ptr<block_store> inner_;
};

inline byte_buffer unmap_cdb(std::uint16_t parameter_list_length, std::uint8_t b1 = 0) {
  byte_buffer c(10, 0);
  c[0] = 0x42;
  c[1] = b1;
  put_be16(&c[7], parameter_list_length);
  return c;
}

struct unmap_range {
  std::uint64_t lba;
  std::uint32_t blocks;
};

// An UNMAP parameter list: 8-byte header, then one 16-byte descriptor per range.
inline byte_buffer unmap_list(const std::vector<unmap_range>& ranges) {
  byte_buffer b(8 + 16 * ranges.size(), 0);
  put_be16(&b[0], static_cast<std::uint16_t>(b.size() - 2));
  put_be16(&b[2], static_cast<std::uint16_t>(16 * ranges.size()));
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    put_be64(&b[8 + 16 * i], ranges[i].lba);
    put_be32(&b[8 + 16 * i + 8], ranges[i].blocks);
  }
  return b;
}

inline byte_buffer get_lba_status_cdb(std::uint64_t lba, std::uint32_t allocation) {
  byte_buffer c(16, 0);
  c[0] = 0x9E;
  c[1] = 0x12;
  put_be64(&c[2], lba);
  put_be32(&c[10], allocation);
  return c;
}

inline void require_invalid_parameter_field(const response& r, std::uint16_t byte,
                                            std::optional<std::uint8_t> bit = std::nullopt) {
  require_sense(r, sense_key::illegal_request, asc::invalid_field_in_parameter_list,
                field_pointer{false, byte, bit});
}

inline void require_lba_out_of_range(const response& r) {
  require_sense(r, sense_key::illegal_request, asc::lba_out_of_range);
  CHECK_FALSE(sense_of(r).field.has_value());
}

inline void require_short_data_out(const response& r) {
  require_sense(r, sense_key::illegal_request, asc::invalid_field_in_command_information_unit);
}

// MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION with INFORMATION = offset.
inline void require_miscompare(const response& r, std::uint64_t offset) {
  require_sense(r, sense_key::miscompare, asc::miscompare_during_verify);
  sense s = sense_of(r);
  REQUIRE(s.information.has_value());
  CHECK(*s.information == offset);
}

// MEDIUM ERROR with the failing LBA in INFORMATION.
inline void require_medium_error(const response& r, asc_ascq code, std::uint64_t lba) {
  require_sense(r, sense_key::medium_error, code);
  sense s = sense_of(r);
  REQUIRE(s.information.has_value());
  CHECK(*s.information == lba);
}

inline byte_buffer read_blocks(fixture& f, std::uint64_t lba, std::uint32_t blocks) {
  auto r = f.run(cdb16(0x88, lba, blocks));
  REQUIRE(r.status == status::good);
  return r.data_in;
}

inline void write_blocks(fixture& f, std::uint64_t lba, const byte_buffer& data) {
  const auto blocks = static_cast<std::uint32_t>(data.size() / f.lu->block_size());
  REQUIRE(f.run(cdb16(0x8A, lba, blocks), data).status == status::good);
}

inline void set_swp(fixture& f) { f.lu->pages().find(mode_page_code::control)->current[4] |= 0x08; }

inline lu_config read_only_config() {
  lu_config c;
  c.read_only = true;
  return c;
}

}  // namespace touchstone::scsi::test
