// The SQLite implementation of Store: one file, WAL mode, a schema version
// with migrations, upserts that keep the newest snapshot.
#include <malloc.h>

#include <algorithm>
#include <array>
#include <map>
#include <span>
#include <thread>
#include <filesystem>
#include <future>
#include <limits>
#include <unordered_map>

#include "lib/cache_follower.hpp"
#include "lib/column_cache.hpp"
#include "lib/handoff.hpp"
#include "lib/id_index.hpp"
#include "lib/identity.hpp"
#include "lib/sqlite_db.hpp"
#include "lib/sqlite_corpus.hpp"
#include "lib/sqlite_schema.hpp"
#include "lib/store.hpp"
#include "lib/strings.hpp"
#include "lib/text_fold.hpp"

namespace influence::lib {
namespace {

using sqlite::Statement;

// Row ids of the accounts an import has named, by id: every post names its
// author (and mentions), every follow two accounts. The ids sit one after the
// other in one string and an IdIndex finds them: a lookup hashes the id once
// and reads one slot, where an unordered_map<string, int64_t> took a node and
// a heap string per id and a tenth of a posts import.
class RidCache {
 public:
  static constexpr std::int64_t unknown = INT64_MIN;

  // `memo`: where the caller's last id of the same role was found. Follows
  // come grouped by follower (a following list at a time), so that id is
  // often the one asked for again, and comparing it reads no table.
  std::optional<std::int64_t> find(std::string_view id, std::uint32_t* memo = nullptr) {
    if (memo && *memo < entries_.size() && key(*memo) == id) return entries_[*memo].rid;
    const auto at = index_.find(id, key_of());
    if (at == IdIndex::absent) return std::nullopt;
    if (memo) *memo = at;
    return entries_[at].rid;
  }

  // The row ids of `ids` (`unknown` where the cache has none). A lookup reads
  // a hash slot, then the id's entry, then its bytes, each load waiting for
  // the one before: at a million ids these are cache misses, and one lookup
  // after another they were a quarter of a fifty-million-follows import. Here
  // each step is taken for a group of ids before the next, with the next
  // step's memory prefetched, so that the misses of a group overlap.
  void find_all(std::span<const std::string_view> ids, std::vector<std::int64_t>& rids) {
    rids.assign(ids.size(), unknown);
    constexpr std::size_t group = 32;
    std::array<std::uint32_t, group> hash, at;
    for (std::size_t first = 0; first < ids.size(); first += group) {
      const std::size_t n = std::min(group, ids.size() - first);
      for (std::size_t i = 0; i < n; ++i) {
        hash[i] = IdIndex::hash(ids[first + i]);
        index_.prefetch(hash[i]);
      }
      for (std::size_t i = 0; i < n; ++i) {
        at[i] = index_.candidate(hash[i]);
        if (at[i] == IdIndex::absent) continue;
        __builtin_prefetch(&entries_[at[i]]);
        if (at[i] > 0) __builtin_prefetch(&entries_[at[i] - 1]);
      }
      for (std::size_t i = 0; i < n; ++i)
        if (at[i] != IdIndex::absent) __builtin_prefetch(keys_.data() + begin(at[i]));
      for (std::size_t i = 0; i < n; ++i) {
        if (at[i] == IdIndex::absent) continue;
        if (key(at[i]) == ids[first + i]) rids[first + i] = entries_[at[i]].rid;
        else if (auto rid = find(ids[first + i])) rids[first + i] = *rid;  // another id with its hash
      }
    }
  }

  void add(std::string_view id, std::int64_t rid) {
    // Two million accounts take about 110 MB here; past that, start again
    // (lookups then find the rows in SQLite) rather than grow without bound.
    if (entries_.size() >= max_ids) clear();
    const auto at = static_cast<std::uint32_t>(entries_.size());
    keys_.append(id);
    entries_.push_back({keys_.size(), rid});
    index_.insert(id, at, key_of());
  }
  void clear() {
    index_ = IdIndex();
    keys_ = std::string();
    entries_ = {};
  }

 private:
  static constexpr std::size_t max_ids = 2'000'000;
  // Where an id's bytes end, and its row id: one load finds both.
  struct Entry {
    std::size_t end;
    std::int64_t rid;
  };
  std::size_t begin(std::uint32_t at) const { return at == 0 ? 0 : entries_[at - 1].end; }
  std::string_view key(std::uint32_t at) const {
    return std::string_view(keys_).substr(begin(at), entries_[at].end - begin(at));
  }
  struct KeyOf {
    const RidCache* cache;
    std::string_view operator()(std::uint32_t at) const { return cache->key(at); }
  };
  KeyOf key_of() const { return {this}; }
  IdIndex index_;
  std::string keys_;
  std::vector<Entry> entries_;
};

std::optional<std::int64_t> opt_time(const std::optional<Timestamp>& t) { return t; }

// Ends the read transaction a BEGIN opened, whichever way its scope is left.
struct CommitOnExit {
  sqlite3* db;
  ~CommitOnExit() { sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); }
};

// Copies what the WAL holds into the store file, on a connection of its own
// (so that another thread may use the caller's meanwhile).
void checkpoint_wal(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &db) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 10'000);
    // A connection knows the store is in WAL mode once it has read it.
    sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", nullptr, nullptr, nullptr);
    (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  sqlite3_close_v2(db);
}

// Snapshots without a time are older than any with one.
bool newer(const std::optional<Timestamp>& a, const std::optional<Timestamp>& b) {
  if (!a) return false;
  if (!b) return true;
  return *a > *b;
}

// `a` with the fields it leaves absent taken from `old`: a newer snapshot
// replaces what it says, and an absent field never erases a known value.
Account with_known_fields(const Account& a, const Account& old) {
  Account m = a;
  auto keep = [](auto& field, const auto& known) {
    if (!field && known) field = known;
  };
  auto keep_text = [](std::string& field, const std::string& known) {
    if (field.empty()) field = known;
  };
  keep(m.followers, old.followers);
  keep(m.following, old.following);
  keep(m.posts, old.posts);
  keep(m.verified, old.verified);
  keep(m.created_at, old.created_at);
  keep_text(m.handle, old.handle);
  keep_text(m.display_name, old.display_name);
  keep_text(m.bio, old.bio);
  keep_text(m.language, old.language);
  keep_text(m.location, old.location);
  keep_text(m.url, old.url);
  keep_text(m.kind, old.kind);
  keep_text(m.person, old.person);
  return m;
}

constexpr const char* account_columns =
    "id, handle, display_name, bio, followers, following, posts, verified, language, location, "
    "url, kind, created_at, person, observed_at";
constexpr const char* post_columns =
    "p.id, a.id, p.created_at, p.text, p.language, p.url, p.hashtags, p.mentions, p.reply_to, "
    "p.reply_to_author, p.repost_of, p.quote_of, p.likes, p.reposts, p.replies, p.quotes, "
    "p.views, p.observed_at";

Account read_account(const Statement& s, int c = 0) {
  Account a;
  a.id = s.text(c + 0);
  a.handle = s.text(c + 1);
  a.display_name = s.text(c + 2);
  a.bio = s.text(c + 3);
  a.followers = s.opt_int64(c + 4);
  a.following = s.opt_int64(c + 5);
  a.posts = s.opt_int64(c + 6);
  if (!s.is_null(c + 7)) a.verified = s.int64(c + 7) != 0;
  a.language = s.text(c + 8);
  a.location = s.text(c + 9);
  a.url = s.text(c + 10);
  a.kind = s.text(c + 11);
  a.created_at = s.opt_int64(c + 12);
  a.person = s.text(c + 13);
  a.observed_at = s.opt_int64(c + 14);
  return a;
}

Post read_post(const Statement& s) {
  Post p;
  p.id = s.text(0);
  p.author = s.text(1);
  p.created_at = s.int64(2);
  p.text = s.text(3);
  p.language = s.text(4);
  p.url = s.text(5);
  p.hashtags = split_spaces(s.text_view(6));
  p.mentions = split_spaces(s.text_view(7));
  p.reply_to = s.text(8);
  p.reply_to_author = s.text(9);
  p.repost_of = s.text(10);
  p.quote_of = s.text(11);
  p.likes = s.opt_int64(12);
  p.reposts = s.opt_int64(13);
  p.replies = s.opt_int64(14);
  p.quotes = s.opt_int64(15);
  p.views = s.opt_int64(16);
  p.observed_at = s.opt_int64(17);
  return p;
}

// Whether two snapshots of a post differ only in their counters (and when
// they were observed).
bool only_counters_differ(Post a, const Post& b) {
  a.likes = b.likes;
  a.reposts = b.reposts;
  a.replies = b.replies;
  a.quotes = b.quotes;
  a.views = b.views;
  a.observed_at = b.observed_at;
  return a == b;
}

#define TRY(expr)                                              \
  do {                                                         \
    if (auto _r = (expr); !_r) return std::unexpected(_r.error()); \
  } while (0)

class SqliteStore final : public Store {
 private:
  // 32 bytes: fifty million edges held (see flush_follows()) take 1.6 GB.
  struct QueuedFollow {
    static constexpr Timestamp no_time = INT64_MIN;  // no RFC 3339 time is this far back
    std::int64_t followee, follower;
    Timestamp observed_at;   // no_time when not known
    std::uint64_t position;  // in input order, counted across runs
    std::optional<Timestamp> observed() const {
      return observed_at == no_time ? std::nullopt : std::optional<Timestamp>(observed_at);
    }
  };

 public:
  ~SqliteStore() override {
    wait_for_cache();
    finalize_statements();
    if (db_) {
      sqlite::forget_display_name(db_);
      sqlite3_close_v2(db_);
    }
  }

  double busy_timeout = 10;

  Result<void> open(const std::string& path, OpenMode mode) {
    path_ = path;
    const bool exists = std::filesystem::exists(path);
    if (mode == OpenMode::read_only && !exists)
      return std::unexpected(Error{ErrorKind::store,
                                   "no store here; import data first (influence import FILE) or "
                                   "name one with --db",
                                   path, 0, {}});
    const int flags = mode == OpenMode::read_only ? SQLITE_OPEN_READONLY
                                                  : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite::open(path, flags | SQLITE_OPEN_NOMUTEX, &db_) != SQLITE_OK) {
      auto e = db_ ? sqlite::db_error(db_, "cannot open the store")
                   : Error{ErrorKind::store, "cannot open the store", path, 0, {}};
      e.file = path;
      return std::unexpected(e);
    }
    sqlite::set_display_name(db_, path);
    sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout * 1000));
    sqlite3_extended_result_codes(db_, 1);
    // Reading the schema version is the first access: it fails on non-databases.
    std::int64_t v = 0;
    {
      Statement version(db_, "PRAGMA user_version");
      auto row = version.ok() ? version.step() : std::unexpected(sqlite::db_error(db_, "cannot read the store"));
      if (!row) {
        auto e = row.error();
        e.file = path;
        return std::unexpected(e);
      }
      v = version.int64(0);
    }
    const auto latest = static_cast<std::int64_t>(sqlite::migrations.size());
    if (v > latest)
      return std::unexpected(Error{ErrorKind::store,
                                   "the store has schema version " + std::to_string(v) +
                                       ", newer than this influence understands (" +
                                       std::to_string(latest) + "); upgrade influence",
                                   path, 0, {}});
    if (mode == OpenMode::read_write) {
      // A new store's pages are 16 KiB, not SQLite's 4 KiB: a quarter of
      // the pages to split, cache and frame in the WAL for the same rows.
      // Imports into a new store at L (alternated): posts 50.5 / 43.8 s with
      // 4 KiB, 42.4 / 40.4 s with 16 KiB, follows 40.0 / 35.6 s and 33.6 /
      // 34.3 s; 64 KiB was no faster at M. The size is set before the WAL
      // is, which writes the header; a store made before keeps its pages.
      if (v == 0) TRY(sqlite::exec(db_, "PRAGMA page_size=16384"));
      TRY(sqlite::exec(db_, "PRAGMA journal_mode=WAL"));
      TRY(sqlite::exec(db_, "PRAGMA synchronous=NORMAL"));
      // Imports insert in no key order into the id indices of accounts and
      // posts: a page cache of up to 2 GiB, allocated only as used, keeps the
      // B-tree pages of a ten-million-row import in memory instead of
      // spilling them to the WAL and reading them back (bench/run L, when
      // follows were stored in batches: 96k rows/s with 256 MiB). Follows,
      // merged in key order, are stored through a small one (store_runs()).
      TRY(sqlite::exec(db_, "PRAGMA cache_size=-2097152"));
      if (v < latest) TRY(migrate(v));
    } else if (v == 0) {
      return std::unexpected(Error{ErrorKind::store, "not an influence store (empty or unknown schema)", path, 0, {}});
    } else if (v < latest) {
      // An older schema: upgrade it in place, as an import would, then read.
      sqlite::forget_display_name(db_);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      finalize_statements();
      return open(path, OpenMode::read_write);
    }
    return {};
  }

  Result<void> begin() override {
    stubs_ = 0;
    accounts_chunked_ = posts_chunked_ = true;
    // A chunk of follows the store may hold already is inserted behind a
    // savepoint (put_chunk()), which keeps a journal of the pages it changes
    // that the transaction had already changed, to undo the chunk alone.
    // Past 64 KiB SQLite spills that journal to a temporary file: when
    // accounts still went in that way, a million wrote 1.6 GB there (800k
    // writes, 25 pages a chunk of 32, for a store of 160 MB), and their
    // import took 4.4-4.6 s against 3.7-4.1 s in memory. There it is a copy
    // of those few pages, emptied at each chunk's end. The setting is read
    // when the transaction begins, and put back after it for the reads that
    // follow, whose sorts may be large.
    TRY(sqlite::exec(db_, "PRAGMA temp_store=MEMORY"));
    TRY(sqlite::exec(db_, "BEGIN IMMEDIATE"));
    if (follow_imports_) follow_this_transaction();
    return {};
  }
  Result<void> commit() override {
    if (!queued_.empty() || !runs_.empty()) {
      rollback();
      return fail(ErrorKind::store, "follows were queued but not stored; nothing was imported");
    }
    auto r = sqlite::exec(db_, "UPDATE store_generation SET generation = generation + 1");
    // The version this commit publishes, for the cache follower.
    Result<ContentVersion> version = ContentVersion{};
    if (r && follower_) version = content_version(db_, path_);
    if (r && !version) r = std::unexpected(version.error());
    // With a column cache to write next, the checkpoint that copies this
    // transaction's pages from the WAL into the store is left to
    // update_column_cache(), which runs it on the other core while the
    // corpus is put together: at ten million posts, 3 s of copying beside
    // 3 to 5 s there, where it took 12 s more after the commit. Not run
    // there, it runs when the store closes.
    if (r && follower_) r = sqlite::exec(db_, "PRAGMA wal_autocheckpoint=0");
    if (r) r = sqlite::exec(db_, "COMMIT");
    if (follower_) (void)sqlite::exec(db_, "PRAGMA wal_autocheckpoint=1000");  // SQLite's default
    (void)sqlite::exec(db_, "PRAGMA temp_store=DEFAULT");
    if (!r) {
      rollback();
      return r;
    }
    committed_ = true;
    if (follower_) follower_->committed(*version);
    return r;
  }
  void rollback() override {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_exec(db_, "PRAGMA temp_store=DEFAULT", nullptr, nullptr, nullptr);
    rid_cache_.clear();  // rows created inside the transaction are gone
    queued_.clear();
    if (sorted_.valid()) sorted_.wait();
    sorted_ = {};
    runs_.clear();
    held_ = 0;
    follow_counts_ = {0, 0, 0};
    follower_.reset();  // what it followed is gone with the transaction
  }
  std::int64_t stubs_created() const override { return stubs_; }

  Result<Upsert> put(const Account& a) override {
    // New accounts are the common case: try the insert first, and read the
    // stored row only when the id is taken (by an account or a stub).
    TRY(write_account(a, std::nullopt));
    Upsert outcome = Upsert::inserted;
    std::int64_t rid = 0;
    if (sqlite3_changes(db_) == 1) {
      rid = sqlite3_last_insert_rowid(db_);
      rid_cache_.add(a.id, rid);
      if (follower_) follower_->inserted(a, rid);
    } else {
      if (follower_) follower_->account_changed();
      auto& find = stmt(Query::find_account);
      find.reset().bind(1, a.id);
      auto found = find.step();
      if (!found) return std::unexpected(found.error());
      if (!*found) return fail(ErrorKind::store, "account " + a.id + " vanished during the import");
      rid = find.int64(0);
      const bool stub = find.int64(1) != 0;
      const Account old = read_account(find, 2);
      // A partial view (a follower list without counters) keeps what is known.
      const Account merged = with_known_fields(a, old);
      if (!stub) {
        // An older snapshot never overwrites a newer one; at equal times the
        // later import wins.
        outcome = newer(old.observed_at, a.observed_at) || old == merged ? Upsert::unchanged
                                                                        : Upsert::updated;
      }
      find.reset();
      if (outcome != Upsert::unchanged) TRY(write_account(merged, rid));
    }
    if (has_counts(a)) TRY(bind_counts(stmt(Query::insert_counts).reset(), 0, rid, a).run());
    return outcome;
  }

  static Statement& bind_counts(Statement& s, int at, std::int64_t rid, const Account& a) {
    return s.bind(at + 1, rid).bind(at + 2, *a.observed_at).bind(at + 3, a.followers).bind(at + 4, a.following)
        .bind(at + 5, a.posts);
  }

  Result<std::array<std::int64_t, 3>> put_all(std::span<const Account> accounts) override {
    std::array<std::int64_t, 3> counts{0, 0, 0};
    for (std::size_t i = 0; i < accounts.size(); i += account_chunk) {
      const auto chunk = accounts.subspan(i, std::min(account_chunk, accounts.size() - i));
      if (chunk.size() == account_chunk && accounts_chunked_) {
        TRY(put_account_chunk(chunk, counts));
      } else {
        const auto before = counts[static_cast<std::size_t>(Upsert::inserted)];
        TRY(put_each(chunk, counts));
        if (chunk.size() == account_chunk)
          accounts_chunked_ = counts[static_cast<std::size_t>(Upsert::inserted)] - before == std::ssize(chunk);
      }
    }
    return counts;
  }

  // Whether the next whole chunk of accounts, or of posts, is tried as one
  // statement. A chunk of which the statement inserted nothing (a
  // re-import, most often) is followed by chunks put one by one, until one
  // is all new: else each row of a re-import was tried twice (callgrind, S
  // posts imported again: the writing thread's 3.11 G instructions one by
  // one, 3.89 G a chunk a statement, 3.10 G with this; S accounts: 0.50 G,
  // 0.50 G, 0.42 G).
  bool accounts_chunked_ = true, posts_chunked_ = true;

  // What a put made of its record, added to `counts`.
  static Result<void> count(const Result<Upsert>& r, std::array<std::int64_t, 3>& counts) {
    if (!r) return std::unexpected(r.error());
    ++counts[static_cast<std::size_t>(*r)];
    return {};
  }

  Result<void> put_each(std::span<const Account> accounts, std::array<std::int64_t, 3>& counts) {
    for (const auto& a : accounts) TRY(count(put(a), counts));
    return {};
  }

  // `account_chunk` accounts in one statement, and their counter snapshots
  // in another: a statement a row was a quarter of SQLite's time in an
  // accounts import (a million into the store's tables: 2.9-3.4 s a row at
  // a time, 2.2-2.7 s 32 at a time). The statement ignores the ids already
  // stored (stubs, a re-import, an id twice in the input) instead of
  // undoing the chunk to a savepoint, which copied each page the chunk
  // changed to a journal of its own (see put_post_chunk()); the accounts it
  // ignored are put one by one in their turn, which merges them as put()
  // does.
  Result<void> put_account_chunk(std::span<const Account> chunk, std::array<std::int64_t, 3>& counts) {
    auto& ins = stmt(Query::insert_account_chunk);
    ins.reset();
    for (std::size_t k = 0; k < chunk.size(); ++k) bind_account(ins, static_cast<int>(k) * account_params, chunk[k]);
    TRY(ins.run());
    const auto inserted = static_cast<std::size_t>(sqlite3_changes(db_));
    accounts_chunked_ = inserted > 0;
    // The rows of one statement take the row ids after the largest, in
    // order (SQLite's rule while the largest is below 2^63 - 1): the last is
    // the last inserted.
    std::int64_t rid = sqlite3_last_insert_rowid(db_) - static_cast<std::int64_t>(inserted) + 1;
    if (inserted < chunk.size()) {
      TRY(read_inserted_ids(Query::account_ids_from, inserted));
      std::size_t next = 0;
      for (const auto& a : chunk) {
        if (next == inserted_ids_.size() || inserted_ids_[next] != a.id) {
          TRY(count(put(a), counts));
          continue;
        }
        ++next;
        rid_cache_.add(a.id, rid);
        if (has_counts(a)) TRY(bind_counts(stmt(Query::insert_counts).reset(), 0, rid, a).run());
        ++counts[static_cast<std::size_t>(Upsert::inserted)];
        if (follower_) follower_->inserted(a, rid);
        ++rid;
      }
      return {};
    }
    for (std::size_t k = 0; k < chunk.size(); ++k) rid_cache_.add(chunk[k].id, rid + static_cast<std::int64_t>(k));
    if (std::all_of(chunk.begin(), chunk.end(), has_counts)) {
      auto& hist = stmt(Query::insert_counts_chunk);
      hist.reset();
      for (std::size_t k = 0; k < chunk.size(); ++k)
        bind_counts(hist, static_cast<int>(5 * k), rid + static_cast<std::int64_t>(k), chunk[k]);
      TRY(hist.run());
      if (static_cast<std::size_t>(sqlite3_changes(db_)) != chunk.size())
        for (std::size_t k = 0; k < chunk.size(); ++k)
          TRY(bind_counts(stmt(Query::insert_counts).reset(), 0, rid + static_cast<std::int64_t>(k), chunk[k]).run());
    } else {
      for (std::size_t k = 0; k < chunk.size(); ++k)
        if (has_counts(chunk[k]))
          TRY(bind_counts(stmt(Query::insert_counts).reset(), 0, rid + static_cast<std::int64_t>(k), chunk[k]).run());
    }
    counts[static_cast<std::size_t>(Upsert::inserted)] += static_cast<std::int64_t>(chunk.size());
    if (follower_)
      for (std::size_t k = 0; k < chunk.size(); ++k) follower_->inserted(chunk[k], rid + static_cast<std::int64_t>(k));
    return {};
  }

  Result<std::array<std::int64_t, 3>> put_all(std::span<const Post> posts) override {
    // The ids the cache knows, looked up together (see RidCache::find_all):
    // at a million accounts, one lookup after another was a sixth of the
    // writing thread in a posts import. The others are found or made stubs
    // one by one in input order, as put() does.
    batch_ids_.clear();
    for (const auto& p : posts) {
      batch_ids_.push_back(p.author);
      batch_ids_.insert(batch_ids_.end(), p.mentions.begin(), p.mentions.end());
      if (!p.reply_to_author.empty()) batch_ids_.push_back(p.reply_to_author);
    }
    rid_cache_.find_all(batch_ids_, batch_rids_);
    std::array<std::int64_t, 3> counts{0, 0, 0};
    std::int64_t* known = batch_rids_.data();
    std::size_t i = 0;
    for (; posts.size() - i >= post_chunk; i += post_chunk) {
      const auto chunk = posts.subspan(i, post_chunk);
      if (posts_chunked_) {
        TRY(put_post_chunk(chunk, known, counts));
        continue;
      }
      const auto before = counts[static_cast<std::size_t>(Upsert::inserted)];
      const std::int64_t* each = known;
      for (const auto& p : chunk) TRY(count(put_post(p, each), counts));
      known += each - known;
      posts_chunked_ = counts[static_cast<std::size_t>(Upsert::inserted)] - before == std::ssize(chunk);
    }
    const std::int64_t* rest = known;
    for (; i < posts.size(); ++i) TRY(count(put_post(posts[i], rest), counts));
    return counts;
  }

  // How many account ids a post names: its author, its mentions, and the
  // author it replies to when given (the order of put_post()'s `known`).
  static std::size_t accounts_named(const Post& p) {
    return 1 + p.mentions.size() + (p.reply_to_author.empty() ? 0 : 1);
  }

  // `post_chunk` posts in one statement: a statement a post spent a seventh
  // of the writing thread's instructions starting and ending statements.
  // Their accounts are found or made stubs first, in input order as
  // put_post() does; `known` (see put_post()) is filled in on the way and
  // advanced past the chunk.
  //
  // The statement ignores the ids already stored instead of undoing the
  // chunk to a savepoint: a savepoint copies each page the chunk changes to
  // a journal of its own, and took back nearly all that the chunk saved
  // (callgrind, a hundred thousand posts: the writing thread's 1.71 G
  // instructions a statement a post, 1.69 G a chunk with a savepoint,
  // 1.46 G without). The posts it ignored are the rest when it inserted none, else
  // those whose ids its rows lack (the rows of one statement take the row ids
  // after the largest, in order): each is put as put_post() puts one, after
  // the rows before it, which compares and updates.
  Result<void> put_post_chunk(std::span<const Post> chunk, std::int64_t*& known,
                              std::array<std::int64_t, 3>& counts) {
    std::int64_t* const first = known;
    for (const auto& p : chunk) {
      const std::size_t named = accounts_named(p);
      for (std::size_t j = 0; j < named; ++j, ++known) {
        if (*known != RidCache::unknown) continue;
        const std::string& id = j == 0                  ? p.author
                                : j <= p.mentions.size() ? p.mentions[j - 1]
                                                         : p.reply_to_author;
        auto rid = ensure_account(id);
        if (!rid) return std::unexpected(rid.error());
        *known = *rid;
      }
    }
    auto& ins = stmt(Query::insert_post_chunk);
    ins.reset();
    const std::int64_t* at = first;
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      bind_post(ins, static_cast<int>(k) * post_params, chunk[k], *at, joined_[2 * k], joined_[2 * k + 1]);
      at += accounts_named(chunk[k]);
    }
    TRY(ins.run());
    const auto inserted = static_cast<std::size_t>(sqlite3_changes(db_));
    posts_chunked_ = inserted > 0;
    if (inserted < chunk.size()) TRY(read_inserted_ids(Query::post_ids_from, inserted));
    std::size_t next_inserted = 0;
    const std::int64_t* r = first;
    for (const auto& p : chunk) {
      const bool is_new = inserted == chunk.size() ||
                          (next_inserted < inserted_ids_.size() && inserted_ids_[next_inserted] == p.id);
      if (!is_new) {
        TRY(count(put_post(p, r), counts));
        continue;
      }
      ++next_inserted;
      ++counts[static_cast<std::size_t>(Upsert::inserted)];
      const std::int64_t author = *r++;
      const std::span<const std::int64_t> mentions(r, p.mentions.size());
      r += p.mentions.size();
      const std::int64_t reply_to_author = p.reply_to_author.empty() ? 0 : *r++;
      if (follower_) {
        follower_->inserted(p, author, mentions, reply_to_author);
        follower_takes_posts();
      }
    }
    return {};
  }

  void follower_takes_posts() {
    if (follower_has_posts_) return;
    // The follower's corpus grows as SQLite's page cache does, to 2.3 GB
    // at ten million posts: half the cache keeps the import under 4 GiB
    // (the posts table and its indices take appends and one random
    // index, which 1 GiB holds).
    follower_has_posts_ = true;
    (void)sqlite::exec(db_, "PRAGMA cache_size=-1048576");
  }

  Result<Upsert> put(const Post& p) override {
    const std::int64_t* none = nullptr;
    return put_post(p, none);
  }

  // `known`, when given: the row ids of the post's accounts in the order
  // author, mentions, reply_to_author (RidCache::unknown where not found),
  // advanced past them.
  Result<Upsert> put_post(const Post& p, const std::int64_t*& known) {
    const auto rid_of = [&](const std::string& id) -> Result<std::int64_t> {
      const std::int64_t rid = known ? *known++ : RidCache::unknown;
      return rid != RidCache::unknown ? Result<std::int64_t>(rid) : ensure_account(id);
    };
    auto author = rid_of(p.author);
    if (!author) return std::unexpected(author.error());
    mention_rids_.clear();
    for (const auto& m : p.mentions) {
      auto rid = rid_of(m);
      if (!rid) return std::unexpected(rid.error());
      mention_rids_.push_back(*rid);
    }
    std::int64_t reply_to_author = 0;
    if (!p.reply_to_author.empty()) {
      auto rid = rid_of(p.reply_to_author);
      if (!rid) return std::unexpected(rid.error());
      reply_to_author = *rid;
    }

    // New posts are the common case: try the insert first, compare only on conflict.
    auto& ins = stmt(Query::insert_post);
    TRY(bind_post(ins.reset(), p, *author).run());
    if (sqlite3_changes(db_) == 1) {
      if (follower_) {
        follower_->inserted(p, *author, mention_rids_, reply_to_author);
        follower_takes_posts();
      }
      return Upsert::inserted;
    }
    auto& find = stmt(Query::find_post);
    find.reset().bind(1, p.id);
    auto found = find.step();
    if (!found) return std::unexpected(found.error());
    if (!*found) return fail(ErrorKind::store, "post " + p.id + " vanished during the import");
    const Post old = read_post(find);
    find.reset();
    if (newer(old.observed_at, p.observed_at) || old == p) return Upsert::unchanged;
    auto& upd = stmt(Query::update_post);
    TRY(bind_post(upd.reset(), p, *author).run());
    if (follower_) {
      // A re-fetch changes counters only: a row the follower can change.
      // Anything else changes words, links or order: the next load rebuilds.
      if (only_counters_differ(old, p))
        follower_->recounted(p);
      else
        follower_.reset();
    }
    return Upsert::updated;
  }

  Result<Upsert> put(const Follow& f) override {
    TRY(store_runs());  // after the edges held before it
    auto q = resolve(f);
    if (!q) return std::unexpected(q.error());
    return put_edge(q->followee, q->follower, q->observed());
  }

  Result<Upsert> put_edge(std::int64_t followee, std::int64_t follower, std::optional<Timestamp> observed_at) {
    // New edges are the common case: try the insert first.
    auto& ins = stmt(Query::insert_follow);
    TRY(ins.reset().bind(1, followee).bind(2, follower).bind(3, opt_time(observed_at)).run());
    if (sqlite3_changes(db_) == 1) {
      if (follower_) follower_->inserted(followee, follower);
      return Upsert::inserted;
    }
    auto& upd = stmt(Query::update_follow);
    TRY(upd.reset().bind(1, opt_time(observed_at)).bind(2, followee).bind(3, follower).run());
    return sqlite3_changes(db_) == 1 ? Upsert::updated : Upsert::unchanged;
  }

  Result<void> queue(std::span<const Follow> follows) override {
    // The ids the cache knows, looked up together; the others one by one in
    // input order, as before, so that stubs are created in that order.
    batch_ids_.clear();
    for (const auto& f : follows) {
      batch_ids_.push_back(f.follower);
      batch_ids_.push_back(f.followee);
    }
    rid_cache_.find_all(batch_ids_, batch_rids_);
    for (std::size_t i = 0; i < follows.size(); ++i) {
      auto q = resolve(follows[i], batch_rids_[2 * i], batch_rids_[2 * i + 1]);
      if (!q) return std::unexpected(q.error());
      q->position = next_position_++;
      queued_.push_back(*q);
    }
    return {};
  }

  std::size_t queued_follows() const override { return queued_.size(); }

  Result<std::array<std::int64_t, 3>> flush_follows(bool behind) override {
    if (!queued_.empty()) {
      // The queue becomes a run, sorted on the other core (beside the
      // reader's thread) while this one resolves the next. One run sorts at
      // a time: the one before is waited for.
      if (sorted_.valid()) sorted_.get();
      const std::size_t n = queued_.size();
      runs_.push_back(std::move(queued_));
      queued_ = {};
      if (behind) queued_.reserve(n);  // the next run is as long: no regrowing it from nothing
      held_ += n;
      const std::span<QueuedFollow> run(runs_.back());  // its rows stay put when runs_ grows
      if (behind)
        sorted_ = std::async(std::launch::async, [run] { sort_follows(run); });
      else
        sort_follows(run);
    }
    if (!behind || held_ >= follows_held) {
      auto r = store_runs();
      if (!r) return std::unexpected(r.error());
    }
    return std::exchange(follow_counts_, {0, 0, 0});
  }

  // Input order breaks ties (std::sort with the position in the key: the
  // same as a stable sort, without libstdc++'s deprecated temporary buffer).
  static bool follow_less(const QueuedFollow& a, const QueuedFollow& b) {
    if (a.followee != b.followee) return a.followee < b.followee;
    return a.follower != b.follower ? a.follower < b.follower : a.position < b.position;
  }
  static void sort_follows(std::span<QueuedFollow> q) { std::sort(q.begin(), q.end(), follow_less); }

  // Follows held in sorted runs up to this many, then merged and stored.
  // Stored run after run, each run was a sweep over the whole follows
  // table: at fifty million edges, thirteen runs of four million, and the
  // import grew faster than its input (x14.7 from five to fifty million
  // edges, against x10.7 for sqlite3's .import). Merged, the edges reach
  // the B-tree in key order in one pass.
  static constexpr std::size_t follows_held = 64'000'000;

  // Merges the runs held and stores their edges in key order (input order
  // among equal keys: positions count across runs); their counts wait in
  // follow_counts_ for the next flush_follows().
  Result<void> store_runs() {
    if (sorted_.valid()) sorted_.get();
    struct Release {
      SqliteStore& s;
      ~Release() {
        s.runs_.clear();
        s.held_ = 0;
      }
    } releasing{*this};
    if (runs_.empty()) return {};
    if (follower_) follower_->expect_follows(held_);
    {
      auto& last = stmt(Query::last_follow);
      auto row = last.reset().step();
      if (!row) return std::unexpected(row.error());
      last_stored_ = *row ? FollowKey{last.int64(0), last.int64(1)} : FollowKey{INT64_MIN, INT64_MIN};
      last.reset();
    }
    // In key order, the pass needs the pages on one path down the B-tree at
    // a time, and a page it leaves is done with: a small page cache spills
    // them to the WAL as it goes, where a large one grew by a page at a
    // time, allocated and faulted in (at fifty million edges, 1 GB).
    std::int64_t cache_size = 0;
    {
      Statement read(db_, "PRAGMA cache_size");
      auto row = read.ok() ? read.step() : Result<bool>(false);
      if (row && *row) cache_size = read.int64(0);
    }
    if (cache_size != 0) (void)sqlite::exec(db_, "PRAGMA cache_size=-65536");
    struct Restore {
      sqlite3* db;
      std::int64_t size;
      ~Restore() {
        if (size != 0) (void)sqlite::exec(db, ("PRAGMA cache_size=" + std::to_string(size)).c_str());
      }
    } restoring{db_, cache_size};
    if (runs_.size() == 1) return store_sorted(runs_.front());
    // Merged on the other core (idle once the input is read), a block at a
    // time, while this one stores the blocks before: at fifty million
    // edges, merging was 9 % of the writing thread's pass.
    Handoff<std::vector<QueuedFollow>> handoff(merge_blocks_in_flight);
    std::exception_ptr merge_exception;
    std::jthread merger([&] {
      try {
        merge_runs(handoff);
      } catch (...) {
        merge_exception = std::current_exception();
      }
      handoff.close();
    });
    Result<void> r;
    {
      // Whatever way the loop ends, the merger is told to stop before it is joined.
      struct Stop {
        Handoff<std::vector<QueuedFollow>>& h;
        ~Stop() { h.stop(); }
      } stop{handoff};
      while (auto block = handoff.take_full()) {
        r = store_sorted(*block);
        if (!r) break;
        block->clear();
        handoff.give_back(std::move(*block));
      }
    }
    merger.join();
    if (merge_exception) std::rethrow_exception(merge_exception);
    return r;
  }

  // The edges of runs_ in key order (input order among equal keys), in
  // blocks of merge_block handed over.
  void merge_runs(Handoff<std::vector<QueuedFollow>>& handoff) const {
    // A heap of the runs' next edges, the least on top.
    struct Cursor {
      const QueuedFollow* at;
      const QueuedFollow* end;
    };
    std::vector<Cursor> heap;
    for (const auto& r : runs_)
      if (!r.empty()) heap.push_back({r.data(), r.data() + r.size()});
    const auto later = [](const Cursor& a, const Cursor& b) { return follow_less(*b.at, *a.at); };
    std::make_heap(heap.begin(), heap.end(), later);
    auto block = handoff.take_empty();
    if (block) block->reserve(merge_block);
    while (block && !heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), later);
      auto& c = heap.back();
      block->push_back(*c.at++);
      if (c.at == c.end)
        heap.pop_back();
      else
        std::push_heap(heap.begin(), heap.end(), later);
      if (block->size() == merge_block) {
        handoff.put_full(std::move(*block));
        block = handoff.take_empty();  // none: the storing side has stopped
        if (block) block->reserve(merge_block);
      }
    }
    if (block && !block->empty()) handoff.put_full(std::move(*block));
  }
  static constexpr std::size_t merge_blocks_in_flight = 4;
  static constexpr std::size_t merge_block = 64 * 1024;

  Result<void> store_sorted(std::span<const QueuedFollow> all) {
    for (std::size_t i = 0; i < all.size(); i += follow_chunk) {
      const auto chunk = all.subspan(i, std::min(follow_chunk, all.size() - i));
      TRY(chunk.size() == follow_chunk ? put_chunk(chunk, follow_counts_) : put_edges(chunk, follow_counts_));
      last_stored_ = std::max(last_stored_, key_of(chunk.back()));
    }
    return {};
  }
  // An edge's key in the table, and the largest stored before the edges
  // store_sorted() is storing (the table's at the start of store_runs()).
  using FollowKey = std::pair<std::int64_t, std::int64_t>;
  static FollowKey key_of(const QueuedFollow& q) { return {q.followee, q.follower}; }
  FollowKey last_stored_{INT64_MIN, INT64_MIN};

  // Edges one statement each, counted by what they became.
  Result<void> put_edges(std::span<const QueuedFollow> edges, std::array<std::int64_t, 3>& counts) {
    for (const auto& q : edges) TRY(count(put_edge(q.followee, q.follower, q.observed()), counts));
    return {};
  }

  // `follow_chunk` edges in one statement: at fifty million edges a statement
  // a row was half of SQLite's time in a follows import (5 M sorted edges
  // into the table: 4.5 to 9 s a row at a time, 1.8 to 2.1 s 64 at a time).
  //
  // Edges whose keys rise above every key stored cannot be stored already:
  // their chunk is inserted as it is, which is every chunk of an import
  // into a store without follows. Another chunk is inserted behind a
  // savepoint, which copies each page the chunk changes to a journal of its
  // own (at 16 KiB a page for 64 edges of 24 bytes: callgrind, 500k edges,
  // the writing thread's 2.29 G instructions, 2.05 G without it); when some
  // edges are not new (a re-import, an edge twice in the input), the chunk
  // is undone and stored a row at a time, which tells an edge inserted from
  // one updated or unchanged.
  Result<void> put_chunk(std::span<const QueuedFollow> chunk, std::array<std::int64_t, 3>& counts) {
    const auto bind = [](Statement& s, std::size_t k, const QueuedFollow& q) {
      const int at = 3 * static_cast<int>(k);
      s.bind(at + 1, q.followee).bind(at + 2, q.follower).bind(at + 3, opt_time(q.observed()));
    };
    bool rising = last_stored_ < key_of(chunk.front());
    for (std::size_t k = 1; rising && k < chunk.size(); ++k) rising = key_of(chunk[k - 1]) < key_of(chunk[k]);
    auto& ins = stmt(Query::insert_follow_chunk);
    if (rising) {
      ins.reset();
      for (std::size_t k = 0; k < chunk.size(); ++k) bind(ins, k, chunk[k]);
      TRY(ins.run());
      if (static_cast<std::size_t>(sqlite3_changes(db_)) != chunk.size())
        return fail(ErrorKind::store, "follows the store did not hold were refused; nothing was imported");
    } else {
      auto all_new = insert_chunk(ins, chunk, bind);
      if (!all_new) return std::unexpected(all_new.error());
      if (!*all_new) return put_edges(chunk, counts);
      TRY(stmt(Query::chunk_release).reset().run());
    }
    counts[static_cast<std::size_t>(Upsert::inserted)] += static_cast<std::int64_t>(chunk.size());
    if (follower_)
      for (const auto& q : chunk) follower_->inserted(q.followee, q.follower);
    return {};
  }

  // Begins a savepoint and inserts the chunk's rows at once with `ins`, row
  // k bound by bind(ins, k, row): true when every one was new (the caller
  // releases the savepoint), else false with the savepoint undone and
  // released, for the caller to store the rows one by one.
  template <class T, class Bind>
  Result<bool> insert_chunk(Statement& ins, std::span<const T> chunk, Bind bind) {
    TRY(stmt(Query::chunk_begin).reset().run());
    ins.reset();
    for (std::size_t k = 0; k < chunk.size(); ++k) bind(ins, k, chunk[k]);
    TRY(ins.run());
    if (static_cast<std::size_t>(sqlite3_changes(db_)) == chunk.size()) return true;
    TRY(stmt(Query::chunk_undo).reset().run());
    TRY(stmt(Query::chunk_release).reset().run());
    return false;
  }

  Result<void> save_fetch_cursor(const std::string& key, const FetchCursor& c) override {
    auto& st = stmt(Query::save_cursor);
    return st.reset().bind(1, key).bind(2, c.next).bind(3, c.pages).bind(4, c.items).bind(5, c.updated_at).run();
  }

  Result<std::optional<FetchCursor>> fetch_cursor(const std::string& key) override {
    auto& st = stmt(Query::read_cursor);
    st.reset().bind(1, key);
    auto row = st.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<FetchCursor>();
    FetchCursor c{st.text(0), st.int64(1), st.int64(2), st.int64(3)};
    st.reset();
    return std::optional<FetchCursor>(std::move(c));
  }

  // One pass over each table, the span and the hashtags in the posts' pass.
  // At ten million posts, counting the posts by their author's platform and
  // kind in SQL (a join, then a sort of every row for the GROUP BY) took
  // 20 s of 30, and the hashtags were read in a second pass.
  Result<StoreStats> stats(std::size_t top_n) override {
    StoreStats st;
    std::map<std::pair<std::string, std::string>, KindCount> groups;
    // Each account's group, in rid order (the table's): a post's author is
    // found where its rid would be if rids had no gaps, else by a binary
    // search. A hash map of a million rids was two thirds of the pass.
    std::vector<std::int64_t> rids;
    std::vector<KindCount*> group_of;
    Statement acc(db_, "SELECT rid, platform, kind, stub FROM accounts ORDER BY rid");
    for (;;) {
      auto r = acc.step();
      if (!r) return std::unexpected(r.error());
      if (!*r) break;
      auto& g = groups[{acc.text(1), acc.text(2)}];
      if (g.accounts == 0) {
        g.platform = acc.text(1);
        g.kind = acc.text(2);
      }
      ++g.accounts;
      g.stubs += acc.int64(3);
      rids.push_back(acc.int64(0));
      group_of.push_back(&g);
    }
    const auto group = [&](std::int64_t rid) -> KindCount* {
      if (const auto guess = static_cast<std::uint64_t>(rid - 1); guess < rids.size() && rids[guess] == rid)
        return group_of[guess];
      const auto at = std::lower_bound(rids.begin(), rids.end(), rid);
      return at != rids.end() && *at == rid ? group_of[static_cast<std::size_t>(at - rids.begin())] : nullptr;
    };
    // Hashtags are counted as written, then folded once for each way of
    // writing them: most of the ten million posts repeat a few thousand.
    StringMap<std::int64_t> written;
    Statement posts(db_, "SELECT author, created_at, hashtags FROM posts");
    for (;;) {
      auto r = posts.step();
      if (!r) return std::unexpected(r.error());
      if (!*r) break;
      if (auto* g = group(posts.int64(0))) ++g->posts;
      const auto at = posts.int64(1);
      if (!st.first_post || at < *st.first_post) st.first_post = at;
      if (!st.last_post || at > *st.last_post) st.last_post = at;
      for_each_word(posts.text_view(2), [&](std::string_view t) {
        if (auto w = written.find(t); w != written.end())
          ++w->second;
        else
          written.emplace(std::string(t), 1);
      });
    }
    for (auto& [key, g] : groups) st.by_platform_kind.push_back(g);
    Statement follows(db_, "SELECT count(*) FROM follows");
    TRY(follows.step());
    st.follows = follows.int64(0);
    std::unordered_map<std::string, std::int64_t> tags;
    for (const auto& [t, n] : written) tags[fold(t)] += n;
    st.top_hashtags.assign(tags.begin(), tags.end());
    std::sort(st.top_hashtags.begin(), st.top_hashtags.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (st.top_hashtags.size() > top_n) st.top_hashtags.resize(top_n);
    return st;
  }

  Result<Corpus> load_corpus(const CorpusQuery& q) override;
  void wait_for_cache() override {
    if (cache_writer_.joinable()) cache_writer_.join();
  }
  void follow_imports(std::uint64_t input_bytes) override {
    follow_imports_ = !column_cache_path(path_).empty();
    input_bytes_ = input_bytes;
    committed_ = false;
  }
  Result<CacheUpdate> update_column_cache() override;
  void end_of_input() override {
    if (follower_) follower_->end_of_input();
  }
  // The whole store as a corpus: from the column cache when it matches the
  // store's content version, else read from the tables (and cached).
  Result<Corpus> load_whole_in_transaction();

  Result<void> each_account(const ExportFilter& f, const std::function<bool(const Account&)>& fn) override {
    Statement s(db_, "SELECT " + std::string(account_columns) + " FROM accounts WHERE stub = 0" +
                         platform_clause("platform", f.platforms) + " ORDER BY id");
    return each(s, [&] { return fn(read_account(s)); });
  }
  // Posts in id order. A window holding a small share of them is cut from
  // a scan of the table in row order, then sorted: at ten million posts,
  // walking the id index and reading each row it names took 4.9 s for a
  // day, 6.8 s for a week and 19 s for a month, where the scan and sort
  // took 1.6, 4.4 and 21 s (in sqlite3). Hence a scan up to an eighth.
  Result<void> each_post(const ExportFilter& f, const std::function<bool(const Post&)>& fn) override {
    bool scan = false;
    if (f.since || f.until) {
      const auto share = window_share(f.since, f.until);
      if (!share) return std::unexpected(share.error());
      scan = *share <= 0.125;
    }
    std::string sql = "SELECT " + std::string(post_columns) + " FROM posts p" + (scan ? " NOT INDEXED" : "") +
                      " JOIN accounts a ON a.rid = p.author WHERE 1" + platform_clause("a.platform", f.platforms);
    if (f.since) sql += " AND p.created_at >= " + std::to_string(*f.since);
    if (f.until) sql += " AND p.created_at < " + std::to_string(*f.until);
    Statement s(db_, sql + " ORDER BY p.id");
    return each(s, [&] { return fn(read_post(s)); });
  }
  // A lookup by id each, in one read transaction: the posts of a topic are
  // a small part of a window, which each_post() reads whole.
  Result<void> each_post_with_id(std::span<const std::string> ids,
                                 const std::function<bool(const Post&)>& fn) override {
    Statement s(db_, "SELECT " + std::string(post_columns) +
                         " FROM posts p JOIN accounts a ON a.rid = p.author WHERE p.id = ?");
    if (!s.ok()) return std::unexpected(sqlite::db_error(db_, "cannot read the store"));
    TRY(sqlite::exec(db_, "BEGIN"));
    const CommitOnExit end{db_};
    for (const auto& id : ids) {
      s.reset().bind(1, id);
      auto row = s.step();
      if (!row) return std::unexpected(row.error());
      if (*row && !fn(read_post(s))) return {};
    }
    return {};
  }
  Result<void> each_follow(const ExportFilter& f, const std::function<bool(const Follow&)>& fn) override {
    Statement s(db_, "SELECT a.id, b.id, f.observed_at FROM follows f JOIN accounts a ON a.rid = "
                     "f.follower JOIN accounts b ON b.rid = f.followee WHERE 1" +
                         platform_clause("a.platform", f.platforms) + " ORDER BY a.id, b.id");
    return each(s, [&] { return fn(Follow{s.text(0), s.text(1), s.opt_int64(2)}); });
  }

 private:
  template <typename F>
  Result<void> each(Statement& s, F&& row) {
    if (!s.ok()) return std::unexpected(sqlite::db_error(db_, "cannot read the store"));
    for (;;) {
      auto r = s.step();
      if (!r) return std::unexpected(r.error());
      if (!*r || !row()) return {};
    }
  }

  // The share of the posts in [since, until), from 1,024 rows spread
  // evenly over the rids: point lookups, milliseconds at ten million posts,
  // where counting the window is a scan of the table.
  Result<double> window_share(std::optional<Timestamp> since, std::optional<Timestamp> until) {
    Statement s(db_,
                "WITH RECURSIVE k(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM k WHERE x < 1023), "
                "b(lo, hi) AS (SELECT (SELECT min(rid) FROM posts), (SELECT max(rid) FROM posts)) "
                "SELECT count(*), coalesce(sum(p.created_at >= ?1 AND p.created_at < ?2), 0) "
                "FROM b CROSS JOIN k CROSS JOIN posts p WHERE p.rid = b.lo + (b.hi - b.lo) * k.x / 1023");
    if (!s.ok()) return std::unexpected(sqlite::db_error(db_, "cannot read the store"));
    s.bind(1, since.value_or(std::numeric_limits<std::int64_t>::min()))
        .bind(2, until.value_or(std::numeric_limits<std::int64_t>::max()));
    auto row = s.step();
    if (!row) return std::unexpected(row.error());
    const auto sampled = s.int64(0);
    return sampled == 0 ? 0.0 : static_cast<double>(s.int64(1)) / static_cast<double>(sampled);
  }

  // Platforms come from validated identities (lowercase letters, digits, '-', '_'),
  // so quoting them into SQL is safe.
  static std::string platform_clause(const char* column, const std::vector<std::string>& platforms) {
    if (platforms.empty()) return {};
    std::string s = std::string(" AND ") + column + " IN (";
    for (std::size_t i = 0; i < platforms.size(); ++i) {
      if (i) s += ',';
      s += "'";
      for (char c : platforms[i])
        if (c != '\'') s += c;
      s += "'";
    }
    return s + ")";
  }

  Result<void> migrate(std::int64_t from) {
    TRY(sqlite::exec(db_, "BEGIN IMMEDIATE"));
    for (auto v = from; v < static_cast<std::int64_t>(sqlite::migrations.size()); ++v) {
      if (auto r = sqlite::exec(db_, sqlite::migrations[static_cast<std::size_t>(v)]); !r) {
        rollback();
        return r;
      }
    }
    const std::string set = "PRAGMA user_version = " + std::to_string(sqlite::migrations.size());
    if (auto r = sqlite::exec(db_, set.c_str()); !r) {
      rollback();
      return r;
    }
    return sqlite::exec(db_, "COMMIT");
  }

  // The statements an import runs per row, prepared once per connection and
  // found by index: finding them by their SQL text made, hashed and compared
  // a few hundred bytes per row, a tenth of an import.
  enum class Query : std::size_t {
    find_account, insert_counts, update_account, insert_account, find_rid, insert_stub,
    insert_post, find_post, update_post, insert_follow, update_follow, save_cursor, read_cursor,
    insert_follow_chunk, chunk_begin, chunk_release, chunk_undo, insert_account_chunk, insert_counts_chunk,
    insert_post_chunk, post_ids_from, account_ids_from, last_follow, count
  };
  // Accounts stored by a statement: see put_account_chunk().
  static constexpr std::size_t account_chunk = 32;
  static constexpr int account_params = 16;
  // The statement that inserts `n` accounts. One leaves ids already
  // stored; a chunk, any row a constraint refuses (see insert_posts()).
  static std::string insert_accounts(std::size_t n) {
    std::string sql = std::string(n == 1 ? "INSERT" : "INSERT OR IGNORE") +
                      " INTO accounts (id, platform, handle, display_name, bio, followers, following, posts, "
                      "verified, language, location, url, kind, created_at, person, observed_at) VALUES ";
    for (std::size_t i = 0; i < n; ++i) {
      sql += i ? ", (" : "(";
      for (int k = 1; k <= account_params; ++k) sql += k > 1 ? ", ?" : "?";
      sql += ")";
    }
    return n == 1 ? sql + " ON CONFLICT (id) DO NOTHING" : sql;
  }
  // The statement that stores `n` counter snapshots. One replaces the
  // snapshot of the same account and time. A chunk's are of accounts just
  // inserted, which have none: it ignores what a constraint refuses, as
  // insert_accounts(), and put_account_chunk() puts those again one by one.
  static std::string insert_counts(std::size_t n) {
    std::string sql = std::string(n == 1 ? "INSERT OR REPLACE" : "INSERT OR IGNORE") +
                      " INTO account_counts VALUES (?, ?, ?, ?, ?)";
    for (std::size_t i = 1; i < n; ++i) sql += ", (?, ?, ?, ?, ?)";
    return sql;
  }
  // Posts stored by a statement: see put_post_chunk().
  static constexpr std::size_t post_chunk = 32;
  static constexpr int post_params = 18;
  static constexpr std::string_view post_insert_columns =
      "id, author, created_at, text, language, url, hashtags, mentions, reply_to, reply_to_author, "
      "repost_of, quote_of, likes, reposts, replies, quotes, views, observed_at";
  // The statement that inserts `n` posts. One leaves ids already stored,
  // and fails on another constraint. A chunk leaves any row a constraint
  // refuses: a statement of several rows that a constraint could stop
  // halfway keeps a journal of the pages it changes, to undo itself, which
  // cost as much as a savepoint (callgrind, 100k posts: 1.68 G instructions
  // with ON CONFLICT (id) DO NOTHING, 1.46 G with OR IGNORE).
  // put_post_chunk() puts the rows it left one by one.
  static std::string insert_posts(std::size_t n) {
    std::string sql = std::string(n == 1 ? "INSERT" : "INSERT OR IGNORE") + " INTO posts (" +
                      std::string(post_insert_columns) + ") VALUES ";
    for (std::size_t i = 0; i < n; ++i) {
      sql += i ? ", (" : "(";
      for (int k = 1; k <= post_params; ++k) sql += k > 1 ? ", ?" : "?";
      sql += ")";
    }
    return n == 1 ? sql + " ON CONFLICT (id) DO NOTHING" : sql;
  }
  // Follows stored by a statement: see put_chunk().
  static constexpr std::size_t follow_chunk = 64;
  // The statement that inserts `n` edges. One leaves edges already stored;
  // a chunk, any row a constraint refuses (see insert_posts()).
  static std::string insert_follows(std::size_t n) {
    std::string sql = std::string(n == 1 ? "INSERT" : "INSERT OR IGNORE") +
                      " INTO follows (followee, follower, observed_at) VALUES (?, ?, ?)";
    for (std::size_t i = 1; i < n; ++i) sql += ", (?, ?, ?)";
    return n == 1 ? sql + " ON CONFLICT DO NOTHING" : sql;
  }
  static const std::string& sql_of(Query q) {
    static const std::array<std::string, static_cast<std::size_t>(Query::count)> sql = {
        "SELECT rid, stub, " + std::string(account_columns) + " FROM accounts WHERE id = ?",
        insert_counts(1),
        "UPDATE accounts SET id=?1, platform=?2, handle=?3, display_name=?4, "
        "bio=?5, followers=?6, following=?7, posts=?8, verified=?9, language=?10, "
        "location=?11, url=?12, kind=?13, created_at=?14, person=?15, "
        "observed_at=?16, stub=0 WHERE rid=?17",
        insert_accounts(1),
        "SELECT rid FROM accounts WHERE id = ?",
        "INSERT INTO accounts (id, platform, stub) VALUES (?, ?, 1)",
        insert_posts(1),
        "SELECT " + std::string(post_columns) + " FROM posts p JOIN accounts a ON a.rid = p.author WHERE p.id = ?",
        "UPDATE posts SET author=?2, created_at=?3, text=?4, language=?5, url=?6, hashtags=?7, "
        "mentions=?8, reply_to=?9, reply_to_author=?10, repost_of=?11, quote_of=?12, likes=?13, "
        "reposts=?14, replies=?15, quotes=?16, views=?17, observed_at=?18 WHERE id=?1",
        insert_follows(1),
        "UPDATE follows SET observed_at = ?1 WHERE followee = ?2 AND follower = ?3 AND "
        "?1 IS NOT NULL AND (observed_at IS NULL OR observed_at < ?1)",
        "INSERT OR REPLACE INTO fetch_state VALUES (?, ?, ?, ?, ?)",
        "SELECT next, pages, items, updated_at FROM fetch_state WHERE key = ?",
        insert_follows(follow_chunk),
        "SAVEPOINT chunk",
        "RELEASE chunk",
        "ROLLBACK TO chunk",
        insert_accounts(account_chunk),
        insert_counts(account_chunk),
        insert_posts(post_chunk),
        "SELECT id FROM posts WHERE rid >= ? ORDER BY rid",
        "SELECT id FROM accounts WHERE rid >= ? ORDER BY rid",
        "SELECT followee, follower FROM follows ORDER BY followee DESC, follower DESC LIMIT 1"};
    return sql[static_cast<std::size_t>(q)];
  }
  Statement& stmt(Query q) {
    auto& s = stmts_[static_cast<std::size_t>(q)];
    if (!s.ok()) s = Statement(db_, sql_of(q));
    return s;
  }
  // The ids of the last `n` rows a statement inserted, in row order, into
  // inserted_ids_: `q` reads those of a table from a row id on.
  Result<void> read_inserted_ids(Query q, std::size_t n) {
    inserted_ids_.clear();
    if (n == 0) return {};
    auto& read = stmt(q);
    read.reset().bind(1, sqlite3_last_insert_rowid(db_) - static_cast<std::int64_t>(n) + 1);
    for (;;) {
      auto row = read.step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      inserted_ids_.push_back(read.text(0));
    }
    read.reset();
    return {};
  }

  void finalize_statements() {
    for (auto& st : stmts_) st = Statement();
  }

  // Every parameter after the first `at`, the strings not copied (SQLite
  // copied each into memory of its own, a few percent of a posts import):
  // the post, and the lists joined into `hashtags` and `mentions`, outlive
  // the step that follows.
  static Statement& bind_post(Statement& s, int at, const Post& p, std::int64_t author, std::string& hashtags,
                              std::string& mentions) {
    join_into(hashtags, p.hashtags, " ");
    join_into(mentions, p.mentions, " ");
    return s.bind_static(at + 1, p.id).bind(at + 2, author).bind(at + 3, p.created_at).bind_static(at + 4, p.text)
        .bind_static(at + 5, p.language).bind_static(at + 6, p.url).bind_static(at + 7, hashtags)
        .bind_static(at + 8, mentions).bind_static(at + 9, p.reply_to).bind_static(at + 10, p.reply_to_author)
        .bind_static(at + 11, p.repost_of).bind_static(at + 12, p.quote_of).bind(at + 13, p.likes)
        .bind(at + 14, p.reposts).bind(at + 15, p.replies).bind(at + 16, p.quotes).bind(at + 17, p.views)
        .bind(at + 18, opt_time(p.observed_at));
  }
  Statement& bind_post(Statement& s, const Post& p, std::int64_t author) {
    return bind_post(s, 0, p, author, joined_[0], joined_[1]);
  }
  // The lists of the posts being bound, joined: a post's hashtags at 2k,
  // its mentions at 2k + 1.
  std::array<std::string, 2 * post_chunk> joined_;
  // The ids of the posts a chunk's statement inserted, when it ignored some.
  std::vector<std::string> inserted_ids_;

  Result<void> write_account(const Account& a, std::optional<std::int64_t> rid) {
    auto& s = rid ? stmt(Query::update_account) : stmt(Query::insert_account);
    bind_account(s.reset(), 0, a);
    if (rid) s.bind(17, *rid);
    return s.run();
  }
  // The account's 16 columns as parameters after the first `at`. The strings
  // outlive the step that follows: bound without copies.
  static void bind_account(Statement& s, int at, const Account& a) {
    const auto platform = split_identity(a.id)->platform;  // a view into a.id
    s.bind_static(at + 1, a.id).bind_static(at + 2, platform).bind_static(at + 3, a.handle)
        .bind_static(at + 4, a.display_name).bind_static(at + 5, a.bio).bind(at + 6, a.followers)
        .bind(at + 7, a.following).bind(at + 8, a.posts);
    if (a.verified) s.bind(at + 9, std::int64_t{*a.verified ? 1 : 0});
    s.bind_static(at + 10, a.language).bind_static(at + 11, a.location).bind_static(at + 12, a.url)
        .bind_static(at + 13, a.kind).bind(at + 14, opt_time(a.created_at)).bind_static(at + 15, a.person)
        .bind(at + 16, opt_time(a.observed_at));
  }

  // The row id of an account, creating a stub when the store does not know it.
  Result<std::int64_t> ensure_account(const std::string& id, std::uint32_t* memo = nullptr) {
    if (auto rid = rid_cache_.find(id, memo)) return *rid;
    auto& find = stmt(Query::find_rid);
    find.reset().bind(1, id);
    auto found = find.step();
    if (!found) return std::unexpected(found.error());
    std::int64_t rid = 0;
    if (*found) {
      rid = find.int64(0);
      find.reset();
    } else {
      find.reset();
      auto& ins = stmt(Query::insert_stub);
      TRY(ins.reset().bind(1, id).bind(2, split_identity(id)->platform).run());
      rid = sqlite3_last_insert_rowid(db_);
      ++stubs_;
      if (follower_) follower_->inserted_stub(id, rid);
    }
    rid_cache_.add(id, rid);
    return rid;
  }

  sqlite3* db_ = nullptr;
  std::string path_;
  std::array<Statement, static_cast<std::size_t>(Query::count)> stmts_;
  // Writes the column cache while the caller scores (joined before the
  // next load and when the store closes).
  std::thread cache_writer_;
  RidCache rid_cache_;
  std::vector<QueuedFollow> queued_;
  std::uint64_t next_position_ = 0;
  // The runs flush_follows() made of the queue, each sorted (the last one
  // maybe still sorting on another thread), held until they are merged and
  // stored; the edges they hold; and the counts of what stored edges
  // became, until flush_follows() returns them.
  std::vector<std::vector<QueuedFollow>> runs_;
  std::future<void> sorted_;
  std::size_t held_ = 0;
  std::array<std::int64_t, 3> follow_counts_{0, 0, 0};

  // A follow's two accounts as row ids (stubs created as needed, follower
  // first), its position left for queue() to set; row ids already found
  // are passed in.
  Result<QueuedFollow> resolve(const Follow& f, std::int64_t follower_rid = RidCache::unknown,
                               std::int64_t followee_rid = RidCache::unknown) {
    auto follower = follower_rid != RidCache::unknown ? follower_rid : ensure_account(f.follower, &follower_memo_);
    if (!follower) return std::unexpected(follower.error());
    auto followee = followee_rid != RidCache::unknown ? followee_rid : ensure_account(f.followee);
    if (!followee) return std::unexpected(followee.error());
    return QueuedFollow{*followee, *follower, f.observed_at.value_or(QueuedFollow::no_time), 0};
  }
  std::vector<std::string_view> batch_ids_;
  std::vector<std::int64_t> batch_rids_;
  std::int64_t stubs_ = 0;
  std::uint32_t follower_memo_ = IdIndex::absent;

  // Starts following at a transaction's start when the cache matches the
  // store (or the store is empty), and stops when another process has
  // written since our last commit.
  void follow_this_transaction() {
    wait_for_cache();
    auto version = content_version(db_, path_);
    if (!version) {
      follower_.reset();
      return;
    }
    if (follower_) {
      if (!(follower_->expected() == *version)) follower_.reset();
      return;
    }
    if (auto c = read_column_cache(column_cache_path(path_), *version)) {
      release_mapped_pages(*c);
      follower_ = std::make_unique<CacheFollower>(std::move(*c), *version, input_bytes_);
      return;
    }
    Statement empty(db_, "SELECT NOT EXISTS (SELECT 1 FROM accounts) AND NOT EXISTS (SELECT 1 FROM posts) "
                         "AND NOT EXISTS (SELECT 1 FROM follows) AND NOT EXISTS (SELECT 1 FROM account_counts)");
    if (!empty.ok() || !empty.step().value_or(false) || empty.int64(0) != 1) return;
    Corpus none;
    none.since = INT64_MIN;
    none.until = INT64_MAX;
    follower_ = std::make_unique<CacheFollower>(std::move(none), *version, input_bytes_);
  }

  bool follow_imports_ = false;
  bool committed_ = false;  // since follow_imports()
  std::uint64_t input_bytes_ = 0;
  bool follower_has_posts_ = false;
  std::unique_ptr<CacheFollower> follower_;
  std::vector<std::int64_t> mention_rids_;
};

Result<Store::CacheUpdate> SqliteStore::update_column_cache() {
  if (column_cache_path(path_).empty() || !committed_) return CacheUpdate::unchanged;
  if (!follower_) return CacheUpdate::stale;
  const auto follower = std::move(follower_);
  wait_for_cache();
  // The import's page cache (up to 2 GiB) is of no more use: free it, and
  // give the freed heap back, before the corpus is put together. Reading the
  // accounts back (when the follower must), in row order, needs no more than
  // SQLite's default cache (at a million accounts, a larger one had grown by
  // their 160 MB).
  (void)sqlite::exec(db_, "PRAGMA cache_size=-2000");
  sqlite3_db_release_memory(db_);
#ifdef __GLIBC__
  ::malloc_trim(0);
#endif
  // The checkpoint commit() left, on a connection of its own, beside
  // putting the corpus together and writing it. Should it fail, closing the
  // store checkpoints.
  struct Checkpoint {
    std::thread thread;
    ~Checkpoint() { thread.join(); }
  } checkpoint{std::thread([path = path_] { checkpoint_wal(path); })};
  // One read transaction: the version checked is the one the accounts are
  // read at. Ended whichever way this function leaves (the follower's
  // thread may have thrown).
  TRY(sqlite::exec(db_, "BEGIN"));
  Result<std::optional<Corpus>> whole = std::optional<Corpus>();
  Result<ContentVersion> version = ContentVersion{};
  {
    const CommitOnExit end{db_};
    version = content_version(db_, path_);
    if (version && *version == follower->expected()) whole = follower->finish(db_);
  }
  if (!version) return std::unexpected(version.error());
  if (!whole) return std::unexpected(whole.error());
  if (!*whole) return CacheUpdate::stale;
  std::error_code ec;
  const auto perms = std::filesystem::status(path_, ec).permissions();
  if (ec) return CacheUpdate::stale;
  TRY(write_column_cache(column_cache_path(path_), *version, **whole, static_cast<unsigned>(perms)));
  return CacheUpdate::written;
}

Result<Corpus> SqliteStore::load_corpus(const CorpusQuery& q) {
  // One read transaction: an import committing meanwhile is seen whole or not at all.
  TRY(sqlite::exec(db_, "BEGIN"));
  auto whole = load_whole_in_transaction();
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  if (!whole) return std::unexpected(whole.error());
  return select(std::move(*whole), q);
}

Result<Corpus> SqliteStore::load_whole_in_transaction() {
  wait_for_cache();  // a cache still being written is about to be there to read
  auto version = content_version(db_, path_);
  if (!version) return std::unexpected(version.error());
  const std::string cache = column_cache_path(path_);
  if (!cache.empty()) {
    if (auto c = read_column_cache(cache, *version)) return std::move(*c);
  }
  auto whole = read_store_corpus(db_, path_, *version);
  if (!whole) return std::unexpected(whole.error());
  if (cache.empty()) return whole;
  // The cache is written on a thread of its own, from a copy of the corpus
  // that shares its columns (only the accounts are copied): writing is
  // seconds at ten million posts, and the caller scores meanwhile. A cache
  // that cannot be written (read-only directory, full disk) only means the
  // next run reads the store again.
  std::error_code ec;
  const auto perms = std::filesystem::status(path_, ec).permissions();
  if (ec) return whole;
  share_columns(*whole);
  cache_writer_ = std::thread([cache, v = *version, copy = Corpus(*whole), perms] {
    (void)write_column_cache(cache, v, copy, static_cast<unsigned>(perms));
  });
  return whole;
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, OpenMode mode, double busy_timeout) {
  auto store = std::make_unique<SqliteStore>();
  store->busy_timeout = busy_timeout;
  if (auto r = store->open(path, mode); !r) return std::unexpected(r.error());
  return store;
}

}  // namespace influence::lib
