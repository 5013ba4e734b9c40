// The nesting check the JSON loaders make before parsing (nlohmann's parser
// recurses once per level: deep nesting would exhaust the stack).
#pragma once

#include <cstddef>
#include <string_view>

namespace touchstone::fuzz {

// False when brackets (outside strings) nest deeper than bound.
bool nesting_within(std::string_view text, std::size_t bound);

}  // namespace touchstone::fuzz
