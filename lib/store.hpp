#pragma once
// The store behind an interface: SQLite today, a distributed backend later.
// Imports go through a transaction: begin, put..., commit (or rollback).
#include <array>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lib/corpus.hpp"
#include "lib/error.hpp"
#include "lib/model.hpp"

namespace influence::lib {

enum class Upsert { inserted, updated, unchanged };

struct KindCount {
  std::string platform;
  std::string kind;  // account kind, "" when not declared
  std::int64_t accounts = 0;
  std::int64_t stubs = 0;
  std::int64_t posts = 0;
};

struct StoreStats {
  std::vector<KindCount> by_platform_kind;  // sorted by platform, then kind
  std::int64_t follows = 0;
  std::optional<Timestamp> first_post, last_post;
  std::vector<std::pair<std::string, std::int64_t>> top_hashtags;  // folded to lowercase
};

struct ExportFilter {
  std::vector<std::string> platforms;  // empty: all
  std::optional<Timestamp> since, until;  // posts only
};

// Where a paginated fetch stands, saved with each page so that an
// interrupted fetch resumes after the last page it stored.
struct FetchCursor {
  std::string next;          // the next page's URL; "" when the last page was reached
  std::int64_t pages = 0;    // pages stored so far
  std::int64_t items = 0;    // posts or accounts stored so far
  Timestamp updated_at = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<void> begin() = 0;
  virtual Result<void> commit() = 0;
  virtual void rollback() = 0;
  virtual Result<Upsert> put(const Account& a) = 0;
  virtual Result<Upsert> put(const Post& p) = 0;
  virtual Result<Upsert> put(const Follow& f) = 0;
  // Accounts or posts in bulk, stored as put() one by one in order would
  // store them: accounts several a statement while all are new, the
  // accounts of posts looked up together. Tells what they became
  // (inserted, updated, unchanged).
  virtual Result<std::array<std::int64_t, 3>> put_all(std::span<const Account> accounts) = 0;
  virtual Result<std::array<std::int64_t, 3>> put_all(std::span<const Post> posts) = 0;
  // Follows in bulk: queue() resolves the two accounts of each follow at
  // once (stubs are created in input order) and keeps the edges, taking a
  // batch of follows so that their lookups can overlap; flush_follows()
  // stores the queued edges in key order and tells what each became. The
  // outcome is that of putting them one by one in input order (the sort is
  // stable), but B-tree pages are visited in order instead of at random:
  // follow lists come grouped by follower, the table's key starts with the
  // followee.
  // With `behind`, flush_follows() may hold the queued edges (sorting on
  // another thread) and store them later, merged in key order with those
  // queued after them, by a call without it or by put() of a follow; each
  // call tells what the edges it stored became. A call without it stores
  // everything; commit() fails with edges queued or held.
  virtual Result<void> queue(std::span<const Follow> follows) = 0;
  virtual std::size_t queued_follows() const = 0;  // not counting those left sorting
  virtual Result<std::array<std::int64_t, 3>> flush_follows(bool behind = false) = 0;  // inserted, updated, unchanged
  // Saved inside the current transaction: the cursor commits with its page.
  virtual Result<void> save_fetch_cursor(const std::string& key, const FetchCursor& c) = 0;
  virtual Result<std::optional<FetchCursor>> fetch_cursor(const std::string& key) = 0;
  // Accounts created as stubs since begin(), because a post or follow named them.
  virtual std::int64_t stubs_created() const = 0;

  virtual Result<StoreStats> stats(std::size_t top_hashtags) = 0;
  // A load that read the tables writes the column cache on a thread of its
  // own while the caller goes on; the store waits for it before the next
  // load and when it closes. wait_for_cache() waits for it now.
  virtual Result<Corpus> load_corpus(const CorpusQuery& q) = 0;
  virtual void wait_for_cache() = 0;

  // Imports that keep the column cache up to date, so that the next reading
  // command maps it instead of rebuilding it: from the next begin(), the
  // store follows what each transaction inserts (tokenising posts on a
  // thread of its own), and update_column_cache() writes the cache that
  // results. It follows only what it can exactly (see lib/cache_follower.hpp);
  // otherwise the cache is left stale and the next load rebuilds it.
  // input_bytes: the size of what will be imported, when known (0 if not);
  // the follower reserves its columns from it instead of doubling them as
  // they grow (reserved address space costs nothing until written).
  virtual void follow_imports(std::uint64_t input_bytes = 0) = 0;
  // Nothing more will be put before update_column_cache(): what the follower
  // can do only once it has every post starts now, beside the commit. A post
  // put after it is stored, but the cache is then left stale.
  virtual void end_of_input() = 0;
  // What update_column_cache() did (the store is as imported either way):
  // wrote the cache; left it as it was, nothing having been written since
  // follow_imports() (or the store having no cache: it is not a file); or
  // left it stale, for the next load to rebuild, having given up.
  enum class CacheUpdate { written, unchanged, stale };
  virtual Result<CacheUpdate> update_column_cache() = 0;

  // Export in a stable order (by id); the callback returns false to stop.
  virtual Result<void> each_account(const ExportFilter& f, const std::function<bool(const Account&)>& fn) = 0;
  virtual Result<void> each_post(const ExportFilter& f, const std::function<bool(const Post&)>& fn) = 0;
  // The posts with these ids, in the order given (filter gives them sorted,
  // for export's order); ids the store lacks are skipped.
  virtual Result<void> each_post_with_id(std::span<const std::string> ids,
                                         const std::function<bool(const Post&)>& fn) = 0;
  virtual Result<void> each_follow(const ExportFilter& f, const std::function<bool(const Follow&)>& fn) = 0;
};

enum class OpenMode { read_only, read_write };

// Opens (and for read_write creates and migrates) the SQLite store at `path`.
// busy_timeout: seconds to wait for another writer before "store is busy".
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, OpenMode mode, double busy_timeout = 10);

}  // namespace influence::lib
