// Output of touchstone-pdu: a readable listing or one JSON document.
#pragma once

#include <cstdio>

#include "stream.hpp"

namespace touchstone::pdu_tool {

void print_text(const stream_report& r, std::FILE* out, std::FILE* err);
void print_json(const stream_report& r, std::FILE* out);

}  // namespace touchstone::pdu_tool
