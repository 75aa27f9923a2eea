#pragma once
// Twitter/X data as research data sets ship it: API v1.1 tweet objects (one
// per line or in arrays, with user, retweeted_status, quoted_status and
// entities) and API v2 responses ({"data", "includes": {"users", "tweets"}}).
#include <functional>
#include <string>
#include <string_view>

#include "lib/batch.hpp"
#include "lib/error.hpp"

namespace influence::lib {

// One tweet's records, or why it cannot be read; `verbatim` is the tweet's
// JSON (for --rejects).
using TweetCallback = std::function<Result<void>(Result<Batch> tweet, std::string_view verbatim)>;

// Reads one JSON value (a line of a JSON Lines file or a whole document):
// calls `each` for every tweet it holds. An error only when the value is not
// JSON or holds no tweets; bad tweets go to `each` as errors. `now` stands for
// the observation time of v2 metrics when the file does not say.
Result<void> read_twitter(std::string_view text, const std::string& source, std::size_t line,
                          Timestamp now, const TweetCallback& each);

// "Wed Oct 10 20:19:24 +0000 2018" (v1.1) as Unix seconds.
std::optional<Timestamp> parse_twitter_time(std::string_view text);

}  // namespace influence::lib
