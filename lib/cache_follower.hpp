#pragma once
// Keeps the column cache up to date through an import, so that the first
// reading command after it maps a cache instead of reading every row of the
// store again (at ten million posts: seconds instead of most of a minute).
//
// The store hands it what each write transaction changed: the posts it
// inserted (tokenised and interned on a thread of its own while SQLite works
// on the caller's), the follows and the accounts it inserted. finish() joins
// them to the corpus of the cache that matched the store when the import
// began, and gives the whole-store corpus that read_store_corpus() would
// give, down to term ids and the order of every list. When the import
// changed an account the store had (a newer snapshot, a stub filled in),
// finish() reads the accounts again instead (a million in about a second).
//
// New posts into a store that has posts are appended when they all come
// after the store's in (created_at, id) order, as a week's import after the
// weeks before does; their parents are found among them and among the
// store's posts by id.
//
// A newer snapshot of a post that changes only its counters, as a re-fetch
// of overlapping pages brings, changes that post's row.
//
// It follows only what it can do exactly; anything else gives up, the cache
// stays as it was (stale, so ignored) and the next reading command rebuilds
// it from the tables, as without a follower:
// - a post whose text, links, hashtags, mentions, language or time changed;
// - new posts that do not all come after the store's: a merge, which would
//   rewrite every column;
// - a new post that a post of the store was waiting for as its parent (the
//   cache keeps those ids): that post's row would change;
// - a transaction rolled back, or another process writing between two of
//   ours (the content version is not the one we left).
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "lib/column_cache.hpp"
#include "lib/corpus.hpp"
#include "lib/error.hpp"
#include "lib/model.hpp"

namespace influence::lib {

class CacheFollower {
 public:
  // `base`: the store's whole corpus at `version` (the matching cache, or an
  // empty corpus for an empty store); input_bytes: see Store::follow_imports().
  CacheFollower(Corpus base, ContentVersion version, std::uint64_t input_bytes = 0);
  ~CacheFollower();
  CacheFollower(const CacheFollower&) = delete;
  CacheFollower& operator=(const CacheFollower&) = delete;

  // The content version the store must have for what was followed to hold.
  ContentVersion expected() const { return expected_; }
  void committed(ContentVersion v) { expected_ = v; }

  // A post the store inserted, with the row ids of its author, of the
  // accounts it mentions and of reply_to_author (0 when none).
  void inserted(const Post& p, std::int64_t author, std::span<const std::int64_t> mentions,
                std::int64_t reply_to_author);
  // A follow the store inserted, as row ids.
  void inserted(std::int64_t followee, std::int64_t follower);
  // That up to `n` more follows are about to be inserted: room is made at
  // once, where growing by doubling faulted in twice the memory and copied
  // it (at fifty million edges, 1.3 s of the writing thread).
  void expect_follows(std::size_t n);
  // An account the store inserted as a new row, whole or as a stub that only
  // has an id.
  void inserted(const Account& a, std::int64_t rid);
  void inserted_stub(std::string_view id, std::int64_t rid);
  // The store changed an account it had, or its counter snapshots: finish()
  // reads the accounts back.
  void account_changed() { accounts_changed_ = true; }
  // A newer snapshot of a post that changes only its counters (a re-fetch):
  // its row takes them. Any other update is not followed (the store drops
  // the follower).
  void recounted(const Post& p);
  // No more posts before finish(): the worker puts the inserted posts in
  // order while the store commits. A post inserted after this gives up.
  void end_of_input();

  // The whole-store corpus after the import, read inside a read transaction
  // of `db` that sees expected(); nullopt when it gave up or finds that it
  // cannot follow what happened.
  Result<std::optional<Corpus>> finish(sqlite3* db);

 private:
  // Stops following for good (see above): finish() then gives nullopt.
  void give_up();

  struct Worker;
  Corpus base_;
  ContentVersion expected_;
  std::uint64_t input_bytes_;
  bool following_ = true;
  std::unique_ptr<Worker> worker_;  // started with the first post
  // Inserted follows as (followee, follower) row ids.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> follows_;
  // Posts whose counters changed, in the order they did.
  struct Recount {
    std::string id;
    SmallCount likes, reposts, replies, quotes;
  };
  std::vector<Recount> recounts_;
  // The accounts inserted, in row order, while none the store had changed:
  // row ids first_new_rid_, first_new_rid_ + 1... Their strings are in
  // new_text_; the snapshots' accounts count from the first of them.
  std::vector<CorpusAccount> new_accounts_;
  std::vector<CounterSnapshot> new_history_;
  std::shared_ptr<TextArena> new_text_ = std::make_shared<TextArena>();
  std::int64_t first_new_rid_ = 0;
  bool accounts_changed_ = false;
  // The whole store's accounts into `out` (in row order, with the index of
  // each row id), from the base and the accounts inserted when they are all
  // it has: true; false when they must be read back.
  Result<bool> followed_accounts(sqlite3* db, Corpus& out, std::vector<std::uint32_t>& index_of_rid);
};

}  // namespace influence::lib
