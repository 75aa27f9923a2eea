#pragma once
// --fields: a comma-separated list of column names, each one of `known`.
#include <string>
#include <string_view>
#include <vector>

#include "lib/error.hpp"

namespace influence::cli {

lib::Result<std::vector<std::string>> parse_fields(std::string_view text, const std::vector<std::string>& known);

}  // namespace influence::cli
