// Twitter/X files: the input as one JSON document, then line by line.
#include <string>

#include "lib/twitter.hpp"
#include "tests/fuzz/fuzz_platforms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace influence::lib;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto each = [](Result<Batch> t, std::string_view) -> Result<void> {
    if (t) fuzz::check_batch(*t);
    return {};
  };
  (void)read_twitter(text, "fuzz", 1, 1'770'000'000, each);
  std::size_t start = 0, line = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    (void)read_twitter(text.substr(start, end - start), "fuzz", ++line, 1'770'000'000, each);
    start = end + 1;
  }
  return 0;
}
