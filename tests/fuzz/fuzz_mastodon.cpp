// Mastodon responses: the first byte picks the endpoint, the rest is the body.
#include "lib/mastodon.hpp"
#include "tests/fuzz/fuzz_platforms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace influence::lib;
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const MastodonPage page{"piaille.fr", 1'770'000'000, "fuzz", (data[0] & 4) ? std::optional<Timestamp>(1'760'000'000) : std::nullopt};
  switch (data[0] % 3) {
    case 0:
      if (auto p = mastodon_statuses(body, page)) {
        fuzz::check_batch(p->batch);
        // A page may repeat a status: the batch keeps it once, items counts the entries.
        fuzz::require(p->items == 0 || !p->batch.posts.empty());
      }
      break;
    case 1:
      if (auto p = mastodon_follow_page(body, page, "mastodon:@subject@piaille.fr", data[0] & 8)) fuzz::check_batch(p->batch);
      break;
    default:
      if (auto a = mastodon_account(body, page)) {
        Batch b;
        b.add(a->account);
        fuzz::check_batch(b);
      }
  }
  return 0;
}
