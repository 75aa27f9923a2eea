#include "cli/fields.hpp"

#include <algorithm>

namespace influence::cli {

lib::Result<std::vector<std::string>> parse_fields(std::string_view text, const std::vector<std::string>& known) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    const auto comma = std::min(text.find(',', pos), text.size());
    const std::string f(text.substr(pos, comma - pos));
    if (std::find(known.begin(), known.end(), f) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return lib::fail(lib::ErrorKind::usage, "--fields: unknown field '" + f + "' (known: " + list + ")");
    }
    out.push_back(f);
    if (comma == text.size()) return out;
    pos = comma + 1;
  }
}

}  // namespace influence::cli
