#pragma once
// The data model: accounts, posts and follow edges, identified by
// platform-qualified ids such as "mastodon:@alice@piaille.fr" or "bluesky:did:plc:abc".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/timeutil.hpp"

namespace influence::lib {

// Counters the platforms declare; nullopt where the source did not say.
using Count = std::optional<std::int64_t>;

struct Account {
  std::string id;  // platform-qualified
  std::string handle;
  std::string display_name;
  std::string bio;
  Count followers, following, posts;
  std::optional<bool> verified;
  std::string language;
  std::string location;
  std::string url;
  std::string kind;  // person, brand, media, employee... free text
  std::optional<Timestamp> created_at;
  std::string person;  // groups one person's accounts across platforms
  std::optional<Timestamp> observed_at;

  bool operator==(const Account&) const = default;
};

struct Post {
  std::string id;      // platform-qualified
  std::string author;  // platform-qualified account id
  Timestamp created_at = 0;
  std::string text;
  std::string language;
  std::string url;
  std::vector<std::string> hashtags;  // without '#', as written
  std::vector<std::string> mentions;  // platform-qualified account ids
  std::string reply_to;               // post id
  std::string reply_to_author;        // account id
  std::string repost_of;              // post id
  std::string quote_of;               // post id
  Count likes, reposts, replies, quotes, views;
  std::optional<Timestamp> observed_at;

  bool operator==(const Post&) const = default;
};

struct Follow {
  std::string follower;
  std::string followee;
  std::optional<Timestamp> observed_at;

  bool operator==(const Follow&) const = default;
};

enum class RecordKind { accounts, posts, follows };

const char* to_string(RecordKind kind);
std::optional<RecordKind> parse_record_kind(std::string_view text);

}  // namespace influence::lib
