// Bluesky responses: the first byte picks the endpoint, the rest is the body.
#include "lib/bluesky.hpp"
#include "tests/fuzz/fuzz_platforms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace influence::lib;
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const BlueskyPage page{1'770'000'000, "fuzz", (data[0] & 4) ? std::optional<Timestamp>(1'760'000'000) : std::nullopt};
  Result<Page> p = std::unexpected(Error{});
  switch (data[0] % 4) {
    case 0: p = bluesky_feed(body, page); break;
    case 1: p = bluesky_search(body, page); break;
    case 2: p = bluesky_follow_page(body, page); break;
    default:
      if (auto a = bluesky_profile(body, page)) {
        Batch b;
        b.add(*a);
        fuzz::check_batch(b);
      }
      return 0;
  }
  if (p) fuzz::check_batch(p->batch);
  return 0;
}
