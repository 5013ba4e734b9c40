// The command line as finding.json records it, so a maintainer sees how the
// finding was made: the arguments joined by spaces (quoted when they hold a
// space or a quote), every CHAP secret hidden as "***" (a URL's
// user%secret@, the SECRET of --mutual-chap and --discovery-chap USER%SECRET).
#pragma once

#include <string>

namespace touchstone::fuzz::tool {

std::string shown_command_line(int argc, const char* const* argv);

}  // namespace touchstone::fuzz::tool
