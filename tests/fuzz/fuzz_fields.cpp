// --fields: what parses names only known fields, in the order given.
#include <cstdint>
#include <string>

#include "cli/fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> known{"rank", "account", "handle", "score", "echo"};
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto f = influence::cli::parse_fields(text, known)) {
    std::string joined;
    for (const auto& x : *f) joined += (joined.empty() ? "" : ",") + x;
    if (joined != text) __builtin_trap();
  }
  return 0;
}
