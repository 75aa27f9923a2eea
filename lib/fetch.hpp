#pragma once
// Live import from the platforms' public APIs: Mastodon (hashtag timeline,
// an account's statuses, followers, following) and Bluesky (an actor's feed,
// followers, post search). Every page is stored in its own transaction with
// the cursor of the next one, so an interrupted fetch resumes where it stopped.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lib/http.hpp"
#include "lib/importer.hpp"
#include "lib/store.hpp"

namespace influence::lib {

enum class FetchSource { mastodon_tag, mastodon_account, mastodon_followers, mastodon_following,
                         bluesky_actor, bluesky_followers, bluesky_query };

struct FetchRequest {
  FetchSource source = FetchSource::mastodon_tag;
  std::string subject;     // a tag, @user[@domain], a Bluesky handle or DID, a search text
  std::string instance;    // Mastodon: the instance's domain ("piaille.fr")
  std::string api;         // base URL: https://INSTANCE, or the Bluesky AppView
  std::size_t limit = 0;   // at most this many posts or accounts; 0: no limit
  std::optional<Timestamp> since;  // posts older than this are not fetched
  bool resume = false;     // go on from the stored cursor
};

// What a fetch would do, for --dry-run, and the key its cursor is stored under.
struct FetchPlan {
  std::string key;
  std::string what;                  // "posts tagged #ski on piaille.fr"
  std::vector<std::string> requests; // the first requests, in order
  std::optional<FetchCursor> stored; // where an earlier fetch stopped
  bool complete = false;             // the stored fetch reached its last page
};

struct FetchProgress {
  std::int64_t pages = 0;
  std::int64_t items = 0;  // posts, or accounts for follower lists
  ImportSummary summary;   // what the pages did to the store
};

struct FetchResult {
  FetchProgress progress;
  std::string stopped_because;  // "last page", "--limit", "--since", "already complete"
  bool resumed = false;
};

// Checks the request and says what would be fetched; `store` may be null.
Result<FetchPlan> plan_fetch(const FetchRequest& request, Store* store);

// Fetches and stores page after page. On an error the pages already stored
// stay stored (with the cursor), and the error says how to resume.
Result<FetchResult> run_fetch(Store& store, HttpClient& http, const FetchRequest& request,
                              const std::function<void(const FetchProgress&)>& on_page);

}  // namespace influence::lib
