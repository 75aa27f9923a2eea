#pragma once
// Shared checks of the Mastodon, Bluesky and Twitter/X targets: whatever a
// response holds, what the mappers make of it is valid UTF-8 with valid ids,
// and writes back to the same value through the native format.
#include <string_view>

#include "lib/batch.hpp"
#include "lib/identity.hpp"
#include "lib/utf8.hpp"
#include "tests/fuzz/fuzz_records.hpp"

namespace fuzz {

inline void require(bool ok) {
  if (!ok) __builtin_trap();
}

inline void valid_text(std::string_view s) { require(influence::lib::find_invalid_utf8(s) == std::string_view::npos); }

inline void check_batch(const influence::lib::Batch& b) {
  using namespace influence::lib;
  for (const auto& a : b.accounts) {
    require(split_identity(a.id).has_value());
    valid_text(a.display_name);
    valid_text(a.bio);
    check_round_trip(a, RecordKind::accounts, &to_account);
  }
  for (const auto& p : b.posts) {
    require(split_identity(p.id).has_value() && split_identity(p.author).has_value());
    for (const auto& m : p.mentions) require(split_identity(m).has_value());
    for (const auto& id : {p.reply_to, p.reply_to_author, p.repost_of, p.quote_of})
      require(id.empty() || split_identity(id).has_value());
    valid_text(p.text);
    check_round_trip(p, RecordKind::posts, &to_post);
  }
  for (const auto& f : b.follows) check_round_trip(f, RecordKind::follows, &to_follow);
}

}  // namespace fuzz
