#include "lib/sqlite_corpus.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <filesystem>
#include <future>
#include <thread>

#include "lib/handoff.hpp"
#include "lib/id_index.hpp"
#include "lib/identity.hpp"
#include "lib/sqlite_db.hpp"
#include "lib/strings.hpp"
#include "lib/topic.hpp"

namespace influence::lib {
namespace {

using sqlite::Statement;

template <typename F>
Result<void> each(sqlite3* db, Statement& s, F&& row) {
  if (!s.ok()) return std::unexpected(sqlite::db_error(db, "cannot read the store"));
  for (;;) {
    auto r = s.step();
    if (!r) return std::unexpected(r.error());
    if (!*r || !row()) return {};
  }
}

// Posts as the reading thread hands them over: the columns copied out of
// SQLite's row buffers (valid only until the next step), the text already
// tokenised (the terms are interned by the other thread, which owns the
// vocabulary).
struct PostRows {
  enum Piece { id, text, url, language, mentions, reply_to_author, parent, pieces };
  struct Row {
    CorpusPost post;  // what the row says itself: author, time, type, counters
    std::array<std::uint32_t, pieces> size{};  // of each piece, one after the other in `strings`
    std::uint32_t words = 0, hashtags = 0;     // terms, one after the other in `terms`
  };
  std::vector<Row> rows;
  std::string strings;
  std::string terms;
  std::vector<std::uint32_t> term_sizes;
  void clear() {
    rows.clear();
    strings.clear();
    terms.clear();
    term_sizes.clear();
  }
  void add_terms(const std::vector<std::string>& t) {
    for (const auto& x : t) {
      terms.append(x);
      term_sizes.push_back(static_cast<std::uint32_t>(x.size()));
    }
  }
};

struct FollowGraph {
  std::vector<std::uint64_t> start;
  std::vector<std::uint32_t> ids;
};

// The follow graph as CSR: followers of each account. Rows come in followee
// row id order, and account indices follow row ids: the CSR fills as it
// reads, with no list of edges to sort.
template <class AccountOf>
Result<FollowGraph> read_follows(sqlite3* db, std::size_t accounts, const AccountOf& account) {
  FollowGraph g;
  Statement f(db, "SELECT followee, follower FROM follows ORDER BY followee, follower");
  g.start.assign(accounts + 1, 0);
  if (auto r = each(db, f, [&] {
        const auto ia = account(f.int64(0)), ib = account(f.int64(1));
        if (ia == no_index || ib == no_index) return true;
        ++g.start[ia + 1];
        g.ids.push_back(ib);
        return true;
      });
      !r)
    return std::unexpected(r.error());
  for (std::size_t i = 1; i < g.start.size(); ++i) g.start[i] += g.start[i - 1];
  if (g.ids.empty()) g.start.clear();
  return g;
}

// A second connection to the store at `path`, reading `version` as the
// first one does: the follows then load beside the posts. Null when the
// store is not a file, cannot be opened twice, or was written to between the
// two (the caller then reads the follows after the posts, on the first).
struct Connection {
  sqlite3* db = nullptr;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    if (!db) return;
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite::forget_display_name(db);
    sqlite3_close_v2(db);
  }
};

std::unique_ptr<Connection> same_snapshot(const std::string& path, ContentVersion version) {
  if (path.empty() || path == ":memory:") return nullptr;
  auto c = std::make_unique<Connection>();
  if (sqlite::open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &c->db) != SQLITE_OK)
    return nullptr;
  sqlite::set_display_name(c->db, path);
  sqlite3_extended_result_codes(c->db, 1);
  if (sqlite3_exec(c->db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) return nullptr;
  const auto theirs = content_version(c->db, path);
  if (!theirs || !(*theirs == version)) return nullptr;
  return c;
}

// Rows a batch holds: enough that handing over costs nothing next to
// filling it, few enough that the batches in flight stay a few megabytes.
constexpr std::size_t batch_rows = 4096;
constexpr std::size_t batches_in_flight = 4;

}  // namespace

// The sort runs on (time, index) keys in an array of their own, in two
// halves on two threads, merged: comparing through the posts column missed
// the cache at every comparison at ten million posts. Ids are compared only
// within a run of equal times.
std::vector<std::uint32_t> time_order(const Corpus& c) {
  const std::size_t n = c.posts.size();
  std::vector<std::pair<Timestamp, std::uint32_t>> keys(n);
  for (std::uint32_t i = 0; i < n; ++i) keys[i] = {c.posts[i].created_at, i};
  const auto by_id = [&](const auto& a, const auto& b) { return c.post_id(a.second) < c.post_id(b.second); };
  const auto in_order = [&] {
    for (std::size_t i = 1; i < n; ++i)
      if (keys[i - 1].first > keys[i].first || (keys[i - 1].first == keys[i].first && by_id(keys[i], keys[i - 1])))
        return false;
    return true;
  };
  if (in_order()) return {};
  // Posts read in time order need only their ties put in order by id.
  const bool by_time = std::is_sorted(keys.begin(), keys.end(),
                                      [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!by_time) {
    const auto middle = keys.begin() + static_cast<std::ptrdiff_t>(n / 2);
    {
      auto other = std::async(std::launch::async, [&] { std::sort(middle, keys.end()); });
      std::sort(keys.begin(), middle);
      other.get();
    }
    std::inplace_merge(keys.begin(), middle, keys.end());
  }
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && keys[j].first == keys[i].first) ++j;
    if (j - i > 1) std::sort(keys.begin() + static_cast<std::ptrdiff_t>(i), keys.begin() + static_cast<std::ptrdiff_t>(j), by_id);
    i = j;
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = keys[k].second;
  return order;
}

Result<ContentVersion> content_version(sqlite3* db, const std::string& path) {
  Statement s(db, "SELECT store_id, generation FROM store_generation");
  if (!s.ok()) return std::unexpected(sqlite::db_error(db, "cannot read the store"));
  auto r = s.step();
  if (!r) return std::unexpected(r.error());
  if (!*r) return std::unexpected(Error{ErrorKind::store, "the store has no generation row", path, 0, {}});
  return ContentVersion{s.int64(0), s.int64(1)};
}

Result<std::int64_t> last_account_rid(sqlite3* db) {
  Statement last(db, "SELECT max(rid) FROM accounts");
  if (!last.ok()) return std::unexpected(sqlite::db_error(db, "cannot read the store"));
  auto row = last.step();
  if (!row) return std::unexpected(row.error());
  return *row ? last.int64(0) : 0;  // max() of no rows is NULL, read as 0
}

Result<void> read_store_accounts(sqlite3* db, Corpus& c, std::vector<std::uint32_t>& index_of_rid) {
  c.accounts.clear();
  c.counter_history.clear();
  c.account_text = std::make_shared<TextArena>();
  auto& text = *c.account_text;
  index_of_rid.clear();
  // Sized once from the last row id (row ids grow with rows): grown row by
  // row, the million 152-byte accounts and their counter snapshots were
  // copied as they doubled, and an import's peak held both copies.
  if (auto last = last_account_rid(db); last && *last > 0) {
    const auto rows = static_cast<std::size_t>(*last) + 1;
    index_of_rid.assign(rows, no_index);
    c.accounts.reserve(rows);
    c.counter_history.reserve(rows);  // an import brings one snapshot an account
  }
  {
    Statement s(db, "SELECT rid, id, platform, handle, display_name, kind, person, followers, "
                    "following, posts, stub FROM accounts ORDER BY rid");
    if (auto r = each(db, s, [&] {
      const auto rid = static_cast<std::size_t>(s.int64(0));
      if (index_of_rid.size() <= rid) index_of_rid.resize(rid + 1, no_index);
      index_of_rid[rid] = static_cast<std::uint32_t>(c.accounts.size());
      CorpusAccount a;
      a.id = text.add(s.text_view(1));
      a.platform = text.add(s.text_view(2));
      a.handle = text.add(s.text_view(3));
      if (a.handle.empty()) a.handle = default_handle(a.id);  // a part of the id
      a.display_name = text.add(s.text_view(4));
      a.kind = text.add(s.text_view(5));
      a.person = text.add(s.text_view(6));
      a.followers = s.opt_int64(7);
      a.following = s.opt_int64(8);
      a.posts = s.opt_int64(9);
      a.stub = s.int64(10) != 0;
      c.accounts.push_back(std::move(a));
      return true;
    }); !r)
      return std::unexpected(r.error());
  }
  Statement s(db, "SELECT account, observed_at, followers, following, posts FROM account_counts "
                  "ORDER BY account, observed_at");
  return each(db, s, [&] {
    const auto rid = static_cast<std::size_t>(s.int64(0));
    const auto a = rid < index_of_rid.size() ? index_of_rid[rid] : no_index;
    // Row ids and indices grow together, so the history stays in account order.
    if (a != no_index) c.counter_history.push_back({a, s.int64(1), s.opt_int64(2), s.opt_int64(3), s.opt_int64(4)});
    return true;
  });
}

Result<Corpus> read_store_corpus(sqlite3* db, const std::string& path, ContentVersion version) {
  Corpus c;
  c.since = INT64_MIN;
  c.until = INT64_MAX;
  std::vector<std::uint32_t> index_of_rid;
  if (auto r = read_store_accounts(db, c, index_of_rid); !r) return std::unexpected(r.error());
  const auto account_id = [&](std::uint32_t i) -> std::string_view { return c.accounts[i].id; };
  IdIndex index_of_id(c.accounts.size());
  for (std::uint32_t i = 0; i < c.accounts.size(); ++i) index_of_id.insert(c.accounts[i].id, i, account_id);
  auto account = [&](std::int64_t rid) {
    const auto r = static_cast<std::size_t>(rid);
    return r < index_of_rid.size() ? index_of_rid[r] : no_index;
  };
  // The follows, on a third thread and a second connection to the same
  // content when there is one: at fifty million follows they are a third of
  // the reading, mostly waiting for the disk, which the posts then share.
  const std::size_t accounts = c.accounts.size();
  Result<FollowGraph> follows = FollowGraph{};
  std::exception_ptr follows_exception;
  auto second = same_snapshot(path, version);
  std::jthread follows_reader;  // joined whichever way this function returns
  if (second)
    follows_reader = std::jthread([&] {
      try {
        follows = read_follows(second->db, accounts, account);
      } catch (...) {
        follows_exception = std::current_exception();
      }
    });

  CorpusBuilder builder(c);
  std::int64_t count = 0;
  {
    Statement n(db, "SELECT count(*) FROM posts");
    if (n.ok() && n.step().value_or(false)) count = n.int64(0);
    c.posts.reserve(static_cast<std::size_t>(count));
    c.post_strings.reserve(static_cast<std::size_t>(count));
    // The strings are a part of the store's file: reserving that much address
    // space (touched only as written) spares copying the blob as it grows.
    std::error_code ec;
    if (const auto bytes = std::filesystem::file_size(path, ec); !ec) builder.reserve_strings(bytes);
  }

  // The posts, on two threads: this one steps SQLite, copies each row out
  // and tokenises its text; the caller's thread interns the terms, resolves
  // ids to indices and builds the corpus. CPU seconds of the two threads at
  // a million posts: 1.8 and 1.2 so; 0.8 and 2.0 tokenising on the other
  // side; 2.2 and 1.0 interning here too.
  // Posts in row order, which reads the table front to back; ORDER BY
  // created_at would look every post up through the time index, one random
  // B-tree descent each (most of the time at ten million posts). Sorted below.
  Statement s(db, "SELECT p.id, p.author, p.created_at, p.text, p.language, p.url, p.hashtags, p.mentions, "
                  "p.reply_to, p.reply_to_author, p.repost_of, p.quote_of, p.likes, p.reposts, p.replies, "
                  "p.quotes FROM posts p");
  Handoff<PostRows> handoff(batches_in_flight);
  Result<void> read_result;
  std::exception_ptr read_exception;
  std::jthread reader([&] {
    try {
      auto batch = handoff.take_empty();
      std::vector<std::string> hashtags;
      Tokens tokens;  // every post's, in the same vectors
      if (batch) read_result = each(db, s, [&] {
        PostRows::Row row;
        auto& p = row.post;
        p.author = account(s.int64(1));
        if (p.author == no_index) return true;
        p.created_at = s.int64(2);
        p.likes = s.opt_int64(12);
        p.reposts = s.opt_int64(13);
        p.replies = s.opt_int64(14);
        p.quotes = s.opt_int64(15);
        const auto [type, parent] = post_link(s.text_view(8), s.text_view(10), s.text_view(11));
        p.type = type;
        const std::array<std::string_view, PostRows::pieces> pieces = {
            s.text_view(0), s.text_view(3), s.text_view(5), s.text_view(4), s.text_view(7), s.text_view(9), parent};
        for (std::size_t k = 0; k < pieces.size(); ++k) {
          row.size[k] = static_cast<std::uint32_t>(pieces[k].size());
          batch->strings.append(pieces[k]);
        }
        if (has_own_words(p.type)) {
          hashtags = split_spaces(s.text_view(6));
          tokenize(pieces[PostRows::text], hashtags, tokens);
          batch->add_terms(tokens.words);
          batch->add_terms(tokens.hashtags);
          row.words = static_cast<std::uint32_t>(tokens.words.size());
          row.hashtags = static_cast<std::uint32_t>(tokens.hashtags.size());
        }
        batch->rows.push_back(row);
        if (batch->rows.size() < batch_rows) return true;
        handoff.put_full(std::move(*batch));
        batch = handoff.take_empty();
        return batch.has_value();  // no batch: the builder has stopped
      });
      if (batch && !batch->rows.empty()) handoff.put_full(std::move(*batch));
    } catch (...) {
      read_exception = std::current_exception();
    }
    handoff.close();
  });
  // Whatever way this thread leaves (an exception included), the reader is
  // told to stop before it is joined.
  struct Stop {
    Handoff<PostRows>& h;
    ~Stop() { h.stop(); }
  } stop{handoff};

  const auto post_id = [&](std::uint32_t i) { return builder.post_id(i); };
  IdIndex post_index(static_cast<std::size_t>(count));
  // Parents met after their replies, resolved once every post is known.
  std::vector<std::pair<std::uint32_t, std::string>> later;
  std::vector<std::uint32_t> mentions, words, hashtags;
  std::vector<std::string_view> terms;  // a post's words or hashtags, in the batch
  while (auto batch = handoff.take_full()) {
    const char* at = batch->strings.data();
    const char* term = batch->terms.data();
    const std::uint32_t* term_size = batch->term_sizes.data();
    auto intern = [&](std::uint32_t n, std::vector<std::uint32_t>& ids) {
      terms.clear();
      for (std::uint32_t k = 0; k < n; ++k, ++term_size) {
        terms.emplace_back(term, *term_size);
        term += *term_size;
      }
      ids.clear();
      c.vocabulary->intern_all(terms, ids);
    };
    for (const auto& row : batch->rows) {
      std::array<std::string_view, PostRows::pieces> piece;
      for (std::size_t k = 0; k < piece.size(); ++k) {
        piece[k] = std::string_view(at, row.size[k]);
        at += row.size[k];
      }
      CorpusPost p = row.post;
      if (const auto who = piece[PostRows::reply_to_author]; !who.empty()) {
        if (const auto a = index_of_id.find(who, account_id); a != IdIndex::absent) p.reply_to_author = a;
      }
      mentions.clear();
      for (const auto& m : split_spaces(piece[PostRows::mentions])) {
        if (const auto a = index_of_id.find(m, account_id); a != IdIndex::absent && a != p.author)
          mentions.push_back(a);
      }
      std::sort(mentions.begin(), mentions.end());
      mentions.erase(std::unique(mentions.begin(), mentions.end()), mentions.end());
      const auto parent = piece[PostRows::parent];
      if (!parent.empty()) {
        if (const auto i = post_index.find(parent, post_id); i != IdIndex::absent) p.parent = i;
      }
      intern(row.words, words);
      intern(row.hashtags, hashtags);
      const auto id = piece[PostRows::id];
      const auto i = builder.add_post(
          p, {id, piece[PostRows::text], piece[PostRows::url], piece[PostRows::language], nullptr}, mentions,
          words, hashtags);
      post_index.insert(id, i, post_id);
      if (!parent.empty() && p.parent == no_index) later.emplace_back(i, std::string(parent));
    }
    batch->clear();
    handoff.give_back(std::move(*batch));
  }
  reader.join();
  if (read_exception) std::rethrow_exception(read_exception);
  if (!read_result) return std::unexpected(read_result.error());
  s = Statement();

  for (auto& [i, parent] : later) {
    if (const auto at = post_index.find(parent, post_id); at != IdIndex::absent)
      c.posts.mut(i).parent = at;
    else
      c.dangling_parents.emplace_back(i, std::move(parent));
  }
  later = {};
  std::sort(c.dangling_parents.begin(), c.dangling_parents.end());
  post_index = IdIndex();
  builder.finish();
  // A window is a run of posts in (created_at, id) order (byte order of the
  // ids, as SQLite's BINARY collation compares them).
  if (const auto order = time_order(c); !order.empty()) reorder_posts(c, order);
  for (std::size_t i = 0; i < c.posts.size(); ++i) {
    auto& p = c.posts.mut(i);
    p.parent_author = reacted_author(p, p.parent != no_index ? c.posts[p.parent].author : no_index);
  }
  if (follows_reader.joinable())
    follows_reader.join();
  else
    follows = read_follows(db, accounts, account);
  if (follows_exception) std::rethrow_exception(follows_exception);
  if (!follows) return std::unexpected(follows.error());
  c.follower_start = std::move(follows->start);
  c.follower_ids = std::move(follows->ids);
  return c;
}

}  // namespace influence::lib
