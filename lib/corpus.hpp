#pragma once
// The corpus: what scoring reads. An in-memory snapshot of the accounts, of
// the posts of a time window (plus the posts they react to), and of the
// follow graph, with accounts and posts referred to by index.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/model.hpp"

namespace influence::lib {

inline constexpr std::uint32_t no_index = UINT32_MAX;

struct CorpusAccount {
  std::string id;  // platform-qualified
  std::string platform;
  std::string handle;
  std::string display_name;
  std::string kind;
  std::string person;
  // Declared counters of the latest snapshot at or before the window's end.
  Count followers, following, posts;
  bool stub = false;  // known only from posts or follows that name it
};

enum class PostType : std::uint8_t { original, reply, quote, repost };

struct CorpusPost {
  std::string id;
  std::uint32_t author = no_index;
  Timestamp created_at = 0;
  PostType type = PostType::original;
  bool in_window = true;  // false for posts loaded only because a window post reacts to them
  // The post replied to, quoted or reposted, when the store has it.
  std::uint32_t parent = no_index;
  // Its author: from the parent post, or from reply_to_author when the parent is unknown.
  std::uint32_t parent_author = no_index;
  std::vector<std::uint32_t> mentions;
  std::string text;
  std::string language;
  std::string url;
  std::vector<std::string> hashtags;
  Count likes, reposts, replies, quotes;
};

struct Corpus {
  Timestamp since = 0, until = 0;  // [since, until)
  std::vector<CorpusAccount> accounts;
  std::vector<CorpusPost> posts;
  // Followers of account a: follower_ids[follower_start[a] .. follower_start[a+1]).
  std::vector<std::uint64_t> follower_start;
  std::vector<std::uint32_t> follower_ids;
  bool has_follow_graph() const { return !follower_ids.empty(); }
  std::uint64_t graph_followers(std::uint32_t a) const {
    return follower_start.empty() ? 0 : follower_start[a + 1] - follower_start[a];
  }
};

// Accounts that `name` designates: the platform-qualified id, or the handle
// with or without a leading '@' (several accounts can share a handle).
std::vector<std::uint32_t> find_accounts(const Corpus& c, std::string_view name);

struct CorpusQuery {
  Timestamp since = 0;
  Timestamp until = 0;
  std::vector<std::string> platforms;  // empty: all
};

}  // namespace influence::lib
