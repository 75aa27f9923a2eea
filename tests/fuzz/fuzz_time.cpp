// Dates, times and durations: what parses must format and parse back the same.
#include <cstdint>
#include <string>

#include "lib/timeutil.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace influence::lib;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto t = parse_rfc3339(text)) {
    if (parse_rfc3339(format_rfc3339(*t)) != t) __builtin_trap();
  }
  (void)parse_duration(text);
  (void)parse_time_or_duration(text, 1767225600, "--since");
  return 0;
}
