#pragma once
// The corpus: what scoring reads. An in-memory, columnar snapshot of the
// accounts, of the posts of a time window (plus the posts they react to) and
// of the follow graph, with accounts, posts and words referred to by index.
// Posts hold no heap memory of their own: their words are term ids into one
// vocabulary, already tokenised (tokenize() ran once, when the corpus was
// built), and their id, text and URL live in one shared text blob. That is
// what lets a ten-million-post corpus load from the column cache in seconds.
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "lib/column.hpp"
#include "lib/id_index.hpp"
#include "lib/model.hpp"
#include "lib/text_arena.hpp"

namespace influence::lib {

inline constexpr std::uint32_t no_index = UINT32_MAX;

// Its strings are views into the corpus's account_text.
struct CorpusAccount {
  std::string_view id;  // platform-qualified
  std::string_view platform;
  std::string_view handle;
  std::string_view display_name;
  std::string_view kind;
  std::string_view person;
  // Declared counters of the latest snapshot at or before the window's end.
  Count followers, following, posts;
  bool stub = false;  // known only from posts or follows that name it
};

// One dated counter snapshot of an account (the store's account_counts).
struct CounterSnapshot {
  std::uint32_t account = no_index;
  Timestamp observed_at = 0;
  Count followers, following, posts;
};

enum class PostType : std::uint8_t { original, reply, quote, repost };

// A post's type and the id of the post it reacts to, from its three links
// (the store's columns): a repost before a quote before a reply.
struct PostLink {
  PostType type;
  std::string_view parent;  // "" for an original
};
inline PostLink post_link(std::string_view reply_to, std::string_view repost_of, std::string_view quote_of) {
  if (!repost_of.empty()) return {PostType::repost, repost_of};
  if (!quote_of.empty()) return {PostType::quote, quote_of};
  if (!reply_to.empty()) return {PostType::reply, reply_to};
  return {PostType::original, {}};
}

// Reposts say nothing of their own: their words are never tokenised, matched
// or counted (the corpus keeps no words for them).
inline bool has_own_words(PostType t) { return t != PostType::repost; }

// An optional count in 8 bytes where std::optional<std::int64_t> takes 16,
// so that a post row stays at 64 bytes: ten million of them are 640 MB.
// Counts are never negative; INT64_MIN stands for "not known".
class SmallCount {
 public:
  SmallCount() = default;
  SmallCount(std::int64_t v) : v_(v) {}
  SmallCount(const Count& c) : v_(c ? *c : unknown) {}
  bool has_value() const { return v_ != unknown; }
  explicit operator bool() const { return has_value(); }
  std::int64_t operator*() const { return v_; }
  std::int64_t value_or(std::int64_t d) const { return has_value() ? v_ : d; }
  operator Count() const { return has_value() ? Count(v_) : Count(); }

 private:
  static constexpr std::int64_t unknown = INT64_MIN;
  std::int64_t v_ = unknown;
};

struct CorpusPost {
  std::uint32_t author = no_index;
  // The post replied to, quoted or reposted, when the corpus has it.
  std::uint32_t parent = no_index;
  // Its author: from the parent post, or from reply_to_author when the parent is unknown.
  std::uint32_t parent_author = no_index;
  // The account a reply names as its parent's author (no_index when none is known).
  std::uint32_t reply_to_author = no_index;
  Timestamp created_at = 0;
  PostType type = PostType::original;
  // 0 for posts loaded only because a window post reacts to them. A byte,
  // not a bool: rows are mapped from the column cache, where a damaged byte
  // must be a value to check rather than an invalid bool.
  std::uint8_t in_window = 1;
  std::uint16_t language = 0;  // index into Corpus::languages ("" is 0)
  std::uint32_t unused = 0;    // the padding, named so that the cache never holds stray bytes
  SmallCount likes, reposts, replies, quotes;
};
static_assert(sizeof(CorpusPost) == 64 && std::is_trivially_copyable_v<CorpusPost>);

// Whom a post reacts to (its parent_author): the author of its parent when
// the corpus holds the parent (give it as `parents_author`, read only then),
// else the author a reply names; no_index for an original, or a quote or
// repost of a post the corpus lacks.
inline std::uint32_t reacted_author(const CorpusPost& p, std::uint32_t parents_author) {
  if (p.parent != no_index) return parents_author;
  return p.type == PostType::reply ? p.reply_to_author : no_index;
}

// Rows of variable-length lists in two arrays: row i is
// ids[start[i] .. start[i+1]).
struct Lists {
  Column<std::uint64_t> start{0};
  Column<std::uint32_t> ids;
  std::span<const std::uint32_t> row(std::size_t i) const {
    return {ids.data() + start[i], static_cast<std::size_t>(start[i + 1] - start[i])};
  }
  std::size_t rows() const { return start.size() - 1; }
  void push_row() { start.push_back(ids.size()); }
  void clear() {
    start.assign(1, 0);
    ids.clear();
  }
};

// Lets a map keyed by std::string be searched with a string_view, without
// making a string of it each time.
struct StringViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
template <class T>
using StringMap = std::unordered_map<std::string, T, StringViewHash, std::equal_to<>>;

// Folded words and hashtags, each once; a term id is an index.
struct Vocabulary {
  Vocabulary();
  Vocabulary(const Vocabulary&) = delete;  // shared through a pointer, never copied
  Vocabulary& operator=(const Vocabulary&) = delete;
  // Tells vocabularies apart for caches keyed by term id (an address can be reused).
  std::uint64_t serial;
  std::vector<std::string> terms;
  IdIndex index;  // positions in `terms`, rebuilt on demand
  std::uint32_t intern(std::string_view term);
  // The ids of `terms` (strings or string views), appended to `out`: what
  // intern() gives one term after the other. At a million terms a lookup
  // waits for its hash slot, then for the term the slot names, both cache
  // misses (nine tenths of interning); here each step is taken for a group
  // of terms, its memory prefetched, so that the misses of a group overlap.
  template <class Terms>
  void intern_all(const Terms& terms, std::vector<std::uint32_t>& out);
  // The id of a term, or no_index.
  std::uint32_t find(std::string_view term) const;
  void rebuild_index();
};

template <class Terms>
void Vocabulary::intern_all(const Terms& new_terms, std::vector<std::uint32_t>& out) {
  if (index.size() != terms.size()) rebuild_index();
  const std::size_t n = new_terms.size();
  const auto term = [&](std::size_t k) { return std::string_view(new_terms[k]); };
  constexpr std::size_t group = 16;
  std::array<std::uint32_t, group> hash, at;
  for (std::size_t first = 0; first < n; first += group) {
    const std::size_t m = std::min(group, n - first);
    for (std::size_t i = 0; i < m; ++i) {
      hash[i] = IdIndex::hash(term(first + i));
      index.prefetch(hash[i]);
    }
    for (std::size_t i = 0; i < m; ++i) {
      at[i] = index.candidate(hash[i]);
      if (at[i] != IdIndex::absent) __builtin_prefetch(&terms[at[i]]);
    }
    // A candidate is the term unless another shares its hash; a term new to
    // the vocabulary, or added by an earlier term of the group, is interned.
    for (std::size_t i = 0; i < m; ++i) {
      const std::string_view t = term(first + i);
      out.push_back(at[i] != IdIndex::absent && terms[at[i]] == t ? at[i] : intern(t));
    }
  }
}

struct Corpus {
  Timestamp since = 0, until = 0;  // [since, until)
  std::vector<CorpusAccount> accounts;
  // What the accounts' strings view: shared by the corpora selected from this one.
  std::shared_ptr<TextArena> account_text = std::make_shared<TextArena>();
  Column<CorpusPost> posts;
  // Per post, parallel to posts: accounts mentioned (other than the author),
  // words in order and hashtags (whole, folded) as term ids.
  Lists mentions, words, hashtags;
  std::shared_ptr<Vocabulary> vocabulary = std::make_shared<Vocabulary>();
  std::vector<std::string> languages{""};
  // Per post, where its id, text and URL lie, one after the other, in the blob.
  struct Strings {
    std::uint64_t offset = 0;
    std::uint32_t id_size = 0, text_size = 0, url_size = 0;
    std::uint32_t unused = 0;  // the padding, named (see CorpusPost::unused)
  };
  Column<Strings> post_strings;
  // The blob: owned by the corpus, or a read-only mapping of the column
  // cache (pages are read only when an explanation shows a post's text).
  std::shared_ptr<const void> text_owner;
  std::string_view text_blob;
  // Followers of account a: follower_ids[follower_start[a] .. follower_start[a+1]).
  Column<std::uint64_t> follower_start;
  Column<std::uint32_t> follower_ids;
  // Every counter snapshot, by account then time; kept in a whole-store
  // corpus so that a window can pick the counters of its end (select()).
  std::vector<CounterSnapshot> counter_history;
  // Posts that react to a post the store does not hold, with the id they
  // name, by post index: kept in a whole-store corpus so that an import can
  // tell when it brings one of those parents (see lib/cache_follower.hpp).
  std::vector<std::pair<std::uint32_t, std::string>> dangling_parents;

  bool has_follow_graph() const { return !follower_ids.empty(); }
  std::uint64_t graph_followers(std::uint32_t a) const {
    return follower_start.empty() ? 0 : follower_start[a + 1] - follower_start[a];
  }
  std::string_view post_id(std::size_t i) const {
    const auto& s = post_strings[i];
    return blob(s.offset, s.id_size);
  }
  std::string_view post_text(std::size_t i) const {
    const auto& s = post_strings[i];
    return blob(s.offset + s.id_size, s.text_size);
  }
  std::string_view post_url(std::size_t i) const {
    const auto& s = post_strings[i];
    return blob(s.offset + s.id_size + s.text_size, s.url_size);
  }
  std::string_view language_of(std::size_t i) const { return languages[posts[i].language]; }
  const std::string& term(std::uint32_t id) const { return vocabulary->terms[id]; }

 private:
  std::string_view blob(std::uint64_t at, std::uint32_t size) const { return text_blob.substr(at, size); }
};

// Accounts that `name` designates: the platform-qualified id, or the handle
// with or without a leading '@' (several accounts can share a handle).
std::vector<std::uint32_t> find_accounts(const Corpus& c, std::string_view name);

struct CorpusQuery {
  Timestamp since = 0;
  Timestamp until = 0;
  std::vector<std::string> platforms;  // empty: all
};

// Builds a corpus post by post: tokenises each text once, interns its terms,
// and appends its strings to the blob. Posts are added with their indices
// already resolved; finish() moves the text blob into the corpus.
class CorpusBuilder {
 public:
  explicit CorpusBuilder(Corpus& c);
  struct PostText {
    std::string_view id, text, url, language;
    const std::vector<std::string>* hashtags = nullptr;  // as written, without '#'
  };
  std::uint32_t add_post(const CorpusPost& p, const PostText& t, std::span<const std::uint32_t> mentions);
  // The same with the text already tokenised and its terms interned in the
  // corpus's vocabulary (by another thread; t.hashtags is not read).
  std::uint32_t add_post(const CorpusPost& p, const PostText& t, std::span<const std::uint32_t> mentions,
                         std::span<const std::uint32_t> words, std::span<const std::uint32_t> hashtags);
  // The id of a post added before finish().
  std::string_view post_id(std::uint32_t i) const {
    const auto& s = c_.post_strings[i];
    return std::string_view(blob_).substr(s.offset, s.id_size);
  }
  // Room for `bytes` of post strings: the blob then never moves while it grows.
  void reserve_strings(std::size_t bytes) { blob_.reserve(bytes); }
  void finish();

 private:
  Corpus& c_;
  std::string blob_;
  StringMap<std::uint16_t> language_ids_;
};

// The corpus of a window drawn from a corpus of the whole store: the posts
// created in [q.since, q.until) by accounts of q.platforms, in (created_at,
// id) order, then the posts they react to that the window lacks; accounts of
// those platforms with the counters of the latest snapshot at or before
// q.until (the earliest where all are later); follows among them. `whole`
// must hold its posts in (created_at, id) order. Strings and vocabulary are
// shared, not copied.
Corpus select(const Corpus& whole, const CorpusQuery& q);
// The same, taking the columns of `whole` over when the query keeps every post.
Corpus select(Corpus&& whole, const CorpusQuery& q);

// Makes every column of `c` a shared view (Column::share()): a copy of the
// corpus then shares its posts, lists and graph instead of copying them.
void share_columns(Corpus& c);

// Puts the posts of `c` in the order `order` gives (order[k] is the index of
// the post that becomes post k), with their strings, lists and parent links.
void reorder_posts(Corpus& c, std::span<const std::uint32_t> order);

// Checks that every index of a corpus is in range, so that a damaged column
// cache can never make scoring read out of bounds; with `whole_store`, also
// that the posts are in time order (select() finds a window by binary
// search) and all in their window, as a whole store's are. Returns what is
// wrong, or "".
std::string check_indices(const Corpus& c, bool whole_store = false);
// Its two parts: the columns (posts, their strings and lists, the follow
// graph), given the number of accounts so that the accounts can be read
// meanwhile, on two threads; then the rows read with the accounts (counter
// snapshots, dangling parents).
std::string check_columns(const Corpus& c, std::size_t accounts, bool whole_store);
std::string check_rows(const Corpus& c);

}  // namespace influence::lib
