#pragma once
// Bluesky AppView (XRPC) responses as records: getAuthorFeed and searchPosts
// items become posts (a repost reason becomes a repost, replies and quotes
// keep their parent, mention and tag facets are kept), getProfile and
// getFollowers give accounts and follow edges.
#include <string>
#include <string_view>

#include "lib/batch.hpp"
#include "lib/error.hpp"

namespace influence::lib {

struct BlueskyPage {
  Timestamp observed_at;
  std::string source;  // the URL, for messages
  std::optional<Timestamp> since;  // feed items older than this are left out
};

// app.bsky.feed.getAuthorFeed: {"feed": [{"post", "reply"?, "reason"?}], "cursor"}
Result<Page> bluesky_feed(std::string_view body, const BlueskyPage& page);
// app.bsky.feed.searchPosts: {"posts": [postView], "cursor"}
Result<Page> bluesky_search(std::string_view body, const BlueskyPage& page);
// app.bsky.graph.getFollowers: {"subject", "followers": [profileView], "cursor"};
// getFollows has "follows" instead and reverses the edges.
Result<Page> bluesky_follow_page(std::string_view body, const BlueskyPage& page);
// app.bsky.actor.getProfile: one profileViewDetailed, with the counters.
Result<Account> bluesky_profile(std::string_view body, const BlueskyPage& page);

}  // namespace influence::lib
