#pragma once
// The data model: accounts, posts and follow edges, identified by
// platform-qualified ids such as "mastodon:@alice@piaille.fr" or "bluesky:did:plc:abc".
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
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
  // Member by member, where std::swap moves each member three times: the
  // importer swaps every record into its batch (std::swap<Post> was 1.7 % of
  // the writing thread in a ten-million-post import).
  friend void swap(Account& a, Account& b) noexcept {
    using std::swap;
    swap(a.id, b.id);
    swap(a.handle, b.handle);
    swap(a.display_name, b.display_name);
    swap(a.bio, b.bio);
    swap(a.followers, b.followers);
    swap(a.following, b.following);
    swap(a.posts, b.posts);
    swap(a.verified, b.verified);
    swap(a.language, b.language);
    swap(a.location, b.location);
    swap(a.url, b.url);
    swap(a.kind, b.kind);
    swap(a.created_at, b.created_at);
    swap(a.person, b.person);
    swap(a.observed_at, b.observed_at);
  }
};

// Whether the store keeps the account's counters as a dated snapshot: they
// say when they were seen, and there is at least one.
inline bool has_counts(const Account& a) { return a.observed_at && (a.followers || a.following || a.posts); }

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
  // Member by member, as for Account.
  friend void swap(Post& a, Post& b) noexcept {
    using std::swap;
    swap(a.id, b.id);
    swap(a.author, b.author);
    swap(a.created_at, b.created_at);
    swap(a.text, b.text);
    swap(a.language, b.language);
    swap(a.url, b.url);
    swap(a.hashtags, b.hashtags);
    swap(a.mentions, b.mentions);
    swap(a.reply_to, b.reply_to);
    swap(a.reply_to_author, b.reply_to_author);
    swap(a.repost_of, b.repost_of);
    swap(a.quote_of, b.quote_of);
    swap(a.likes, b.likes);
    swap(a.reposts, b.reposts);
    swap(a.replies, b.replies);
    swap(a.quotes, b.quotes);
    swap(a.views, b.views);
    swap(a.observed_at, b.observed_at);
  }
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
