#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <fstream>

#include "helpers.hpp"
#include "lib/importer.hpp"
#include "lib/line_source.hpp"
#include "lib/sqlite_corpus.hpp"
#include "lib/strings.hpp"
#include "lib/timeutil.hpp"

using namespace influence::lib;

namespace {

Result<ImportSummary> import_text(Store& s, const std::string& text, const std::string& name,
                                  ImportOptions opt = {}) {
  std::vector<std::unique_ptr<LineSource>> src;
  src.push_back(LineSource::from_string(text, name));
  return import_sources(s, std::move(src), opt);
}

// Two new stores side by side, both with `base` (a CSV file) imported if
// given: `bulk` has imported `text`, `one` has begun a transaction, for the
// test to put the same records there one at a time.
struct SideBySide {
  std::unique_ptr<Store> bulk, one;
  ImportSummary summary;
};
SideBySide side_by_side(const test::TempDir& dir, const std::string& text, const std::string& name,
                        const std::string& base = {}) {
  auto bulk = open_sqlite_store(dir.file("bulk.db"), OpenMode::read_write);
  auto one = open_sqlite_store(dir.file("one.db"), OpenMode::read_write);
  REQUIRE(bulk);
  REQUIRE(one);
  if (!base.empty()) {
    REQUIRE(import_text(**bulk, base, "base.csv"));
    REQUIRE(import_text(**one, base, "base.csv"));
  }
  auto summary = import_text(**bulk, text, name);
  REQUIRE(summary);
  REQUIRE((*one)->begin());
  return {std::move(*bulk), std::move(*one), std::move(*summary)};
}

// What an import tallied, against what putting the same records one by one
// made of them (inserted, updated, unchanged).
void same_counts(const Tally& t, const std::array<std::int64_t, 3>& counts) {
  CHECK(t.inserted == counts[0]);
  CHECK(t.updated == counts[1]);
  CHECK(t.unchanged == counts[2]);
}

// Puts each value into `s` in turn, and counts what each became.
template <class T>
std::array<std::int64_t, 3> put_each(Store& s, const std::vector<T>& values) {
  std::array<std::int64_t, 3> counts{0, 0, 0};
  for (const auto& v : values) {
    auto r = s.put(v);
    REQUIRE(r);
    ++counts[static_cast<std::size_t>(*r)];
  }
  return counts;
}

// The account (or post) ids of a store in the order their rows were made.
std::vector<std::string> ids_in_row_order(const std::string& path, const std::string& table = "accounts") {
  sqlite3* db = nullptr;
  std::vector<std::string> ids;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("SELECT id FROM " + table + " ORDER BY rid").c_str(), -1, &s, nullptr) == SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW) ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return ids;
}

}  // namespace

const char* accounts_csv =
    "id,handle,followers,observed_at\n"
    "test:alice,alice,100,2026-01-10T00:00:00Z\n"
    "test:bob,bob,50,2026-01-10T00:00:00Z\n";

TEST_CASE("importing the same file twice changes nothing") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  auto first = import_text(**store, accounts_csv, "a.csv");
  REQUIRE(first);
  CHECK(first->by_kind[0].inserted == 2);
  auto second = import_text(**store, accounts_csv, "a.csv");
  REQUIRE(second);
  CHECK(second->by_kind[0].inserted == 0);
  CHECK(second->by_kind[0].updated == 0);
  CHECK(second->by_kind[0].unchanged == 2);
}

TEST_CASE("a newer snapshot replaces an older one, never the reverse") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  REQUIRE(import_text(**store, accounts_csv, "a.csv"));
  auto older = import_text(**store, "id,handle,followers,observed_at\ntest:alice,alice,1,2026-01-01T00:00:00Z\n", "old.csv");
  REQUIRE(older);
  CHECK(older->by_kind[0].unchanged == 1);
  auto newer = import_text(**store, "id,handle,followers,observed_at\ntest:alice,alice,500,2026-02-01T00:00:00Z\n", "new.csv");
  REQUIRE(newer);
  CHECK(newer->by_kind[0].updated == 1);
  std::int64_t followers = 0;
  (void)(*store)->each_account({}, [&](const Account& a) {
    if (a.id == "test:alice") followers = *a.followers;
    return true;
  });
  CHECK(followers == 500);
  // A window ending before the newest snapshot sees the counters of its time.
  auto early = (*store)->load_corpus({0, *parse_rfc3339("2026-01-15"), {}});
  REQUIRE(early);
  for (const auto& a : early->accounts)
    if (a.id == "test:alice") CHECK(a.followers == 100);
  auto before_all = (*store)->load_corpus({0, *parse_rfc3339("2025-12-01"), {}});
  for (const auto& a : before_all->accounts)
    if (a.id == "test:alice") CHECK(a.followers == 1);  // the earliest snapshot, the closest known
}

TEST_CASE("a post by or mentioning an unknown account creates a stub") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  auto r = import_text(**store,
                       "{\"id\":\"test:p1\",\"author\":\"test:carol\",\"created_at\":\"2026-01-10T00:00:00Z\",\"mentions\":[\"test:dan\"]}\n",
                       "p.jsonl");
  REQUIRE(r);
  CHECK(r->stubs == 2);
  int exported = 0;
  (void)(*store)->each_account({}, [&](const Account&) { ++exported; return true; });
  CHECK(exported == 0);  // stubs are not exported: re-importing the posts recreates them
  auto c = (*store)->load_corpus({0, 2'000'000'000, {}});
  REQUIRE(c);
  CHECK(c->accounts.size() == 2);
  CHECK(c->mentions.row(0).size() == 1);
}

TEST_CASE("a bad row undoes the whole import; --max-errors keeps the good rows") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  const std::string mixed = "id,handle,followers\ntest:a,a,1\ntest:b,b,-5\ntest:c,c,3\n";
  auto stopped = import_text(**store, mixed, "m.csv");
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().describe() == "m.csv:3: field 'followers': negative count '-5'");
  int n = 0;
  (void)(*store)->each_account({}, [&](const Account&) { ++n; return true; });
  CHECK(n == 0);

  std::vector<Rejected> rejected;
  ImportOptions opt;
  opt.max_errors = 1;
  opt.on_reject = [&](const Rejected& r) { rejected.push_back(r); };
  auto kept = import_text(**store, mixed, "m.csv", opt);
  REQUIRE(kept);
  CHECK(kept->by_kind[0].inserted == 2);
  CHECK(kept->by_kind[0].rejected == 1);
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].verbatim == "test:b,b,-5");
  CHECK(rejected[0].header == "id,handle,followers\n");

  opt.max_errors = 0;
  auto two_bad = import_text(**store, "id,followers\ntest:x,-1\ntest:y,-2\n", "t.csv", opt);
  CHECK_FALSE(two_bad);
}

TEST_CASE("stores that are not ours or from a newer schema are refused") {
  test::TempDir dir;
  {
    std::ofstream(dir.file("junk.db")) << "this is not a database at all, not even close to one.........";
  }
  auto junk = open_sqlite_store(dir.file("junk.db"), OpenMode::read_write);
  REQUIRE_FALSE(junk);
  CHECK(junk.error().message.find("not an influence store") != std::string::npos);
  auto missing = open_sqlite_store(dir.file("none.db"), OpenMode::read_only);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("no store here") != std::string::npos);
}

namespace {
std::int64_t page_size_of(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  const std::int64_t size = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return size;
}
}  // namespace

TEST_CASE("a new store has 16 KiB pages; a store made with other pages keeps them and takes imports") {
  test::TempDir dir;
  {
    auto store = open_sqlite_store(dir.file("new.db"), OpenMode::read_write);
    REQUIRE(store);
  }
  CHECK(page_size_of(dir.file("new.db")) == 16384);
  // A store as earlier versions made it: SQLite's 4 KiB pages, set before any table.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file("old.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE t(x); DROP TABLE t;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  {
    auto store = open_sqlite_store(dir.file("old.db"), OpenMode::read_write);
    REQUIRE(store);
    REQUIRE(import_text(**store, "id,author,created_at,text\ntest:p,test:a,2026-02-01T00:00:00Z,ski\n", "p.csv"));
    auto c = (*store)->load_corpus({*parse_rfc3339("2026-02-01"), *parse_rfc3339("2026-02-02"), {}});
    REQUIRE(c);
    CHECK(c->posts.size() == 1);
  }
  CHECK(page_size_of(dir.file("old.db")) == 4096);
}

TEST_CASE("the window is half-open: a post at --since is in, a post at --until is out") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  REQUIRE(import_text(**store,
                      "id,author,created_at,text\n"
                      "test:before,test:a,2026-01-31T23:59:59Z,ski\n"
                      "test:first,test:a,2026-02-01T00:00:00Z,ski\n"
                      "test:last,test:a,2026-02-07T23:59:59Z,ski\n"
                      "test:after,test:a,2026-02-08T00:00:00Z,ski\n",
                      "p.csv"));
  auto c = (*store)->load_corpus({*parse_rfc3339("2026-02-01"), *parse_rfc3339("2026-02-08"), {}});
  REQUIRE(c);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < c->posts.size(); ++i) ids.emplace_back(c->post_id(i));
  CHECK(ids == std::vector<std::string>{"test:first", "test:last"});
}

TEST_CASE("export gives a window's posts in id order, narrow windows (a scan) as wide ones (the id index)") {
  // Rows, times and ids in three different orders: post i is row i, on day
  // (73 i mod 200), with id p(37 i mod 200), whose text order is not its number's.
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  const Timestamp day0 = *parse_rfc3339("2026-01-01"), day = 86'400;
  std::string csv = "id,author,created_at,text\n";
  std::vector<std::pair<Timestamp, std::string>> posts;
  for (int i = 0; i < 200; ++i) {
    const Timestamp t = day0 + (73 * i % 200) * day;
    const std::string id = "test:p" + std::to_string(37 * i % 200);
    posts.emplace_back(t, id);
    csv += id + ",test:a," + format_rfc3339(t) + ",x\n";
  }
  REQUIRE(import_text(**store, csv, "p.csv"));
  const auto exported = [&](std::optional<Timestamp> since, std::optional<Timestamp> until) {
    std::vector<std::string> ids;
    REQUIRE((*store)->each_post({{}, since, until}, [&](const Post& p) {
      ids.push_back(p.id);
      return true;
    }));
    return ids;
  };
  const auto expected = [&](std::optional<Timestamp> since, std::optional<Timestamp> until) {
    std::vector<std::string> ids;
    for (const auto& [t, id] : posts)
      if ((!since || t >= *since) && (!until || t < *until)) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  const std::vector<std::pair<std::optional<Timestamp>, std::optional<Timestamp>>> windows{
      {day0 + 10 * day, day0 + 13 * day},   // 3 posts of 200
      {day0 + 20 * day, day0 + 170 * day},  // 150
      {day0 + 190 * day, std::nullopt},     // 10
      {std::nullopt, day0 + 100 * day},     // 100
      {day0 + 300 * day, std::nullopt},     // none
  };
  for (const auto& [since, until] : windows) {
    CAPTURE(since.value_or(-1));
    CAPTURE(until.value_or(-1));
    const auto got = exported(since, until);
    CHECK(got == expected(since, until));
  }
  CHECK(exported(day0 + 10 * day, day0 + 13 * day).size() == 3);
  CHECK(exported(day0 + 20 * day, day0 + 170 * day).size() == 150);
}

TEST_CASE("posts looked up by id come in the order given, ids the store lacks skipped") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  REQUIRE(import_text(**store,
                      "id,author,created_at,text,likes\n"
                      "test:p1,test:a,2026-01-01T00:00:00Z,one,1\n"
                      "test:p2,test:b,2026-01-02T00:00:00Z,two,2\n"
                      "test:p3,test:a,2026-01-03T00:00:00Z,three,3\n",
                      "p.csv"));
  const std::vector<std::string> ids{"test:p3", "test:nope", "test:p1"};
  std::vector<std::string> got;
  REQUIRE((*store)->each_post_with_id(ids, [&](const Post& p) {
    got.push_back(p.id + " " + p.author + " " + p.text + " " + std::to_string(p.likes.value_or(-1)));
    return true;
  }));
  CHECK(got == std::vector<std::string>{"test:p3 test:a three 3", "test:p1 test:a one 1"});
  got.clear();
  REQUIRE((*store)->each_post_with_id(ids, [&](const Post& p) {
    got.push_back(p.id);
    return false;  // stop at the first
  }));
  CHECK(got == std::vector<std::string>{"test:p3"});
}

TEST_CASE("a store of an older schema is upgraded when opened, even by a reading command") {
  test::TempDir dir;
  {
    auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
    REQUIRE(store);
    REQUIRE(import_text(**store, accounts_csv, "a.csv"));
  }
  {  // turn it back into a schema-1 store
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file("s.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DROP TABLE fetch_state; DROP TABLE store_generation; CREATE INDEX follows_by_follower ON follows(follower); "
                         "CREATE INDEX posts_by_author ON posts(author, created_at); CREATE INDEX posts_by_time ON posts(created_at); "
                         "PRAGMA user_version = 1;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_only);
  REQUIRE(store);
  int n = 0;
  (void)(*store)->each_account({}, [&](const Account&) { ++n; return true; });
  CHECK(n == 2);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(dir.file("s.db").c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_int(st, 0) == 6);
  sqlite3_finalize(st);
  // The indices later schemas dropped are gone.
  sqlite3_prepare_v2(db, "SELECT group_concat(name, ' ') FROM sqlite_schema WHERE type = 'index' AND name IN "
                         "('follows_by_follower', 'posts_by_author', 'posts_by_time')", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_type(st, 0) == SQLITE_NULL);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_CASE("a newer account snapshot without some fields keeps their known values") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  REQUIRE(import_text(**store, accounts_csv, "a.csv"));
  // A follower list names alice later, with a new display name but no counters.
  auto later = import_text(**store, "id,handle,display_name,observed_at\ntest:alice,alice,Alice B.,2026-02-01T00:00:00Z\n", "b.csv");
  REQUIRE(later);
  CHECK(later->by_kind[0].updated == 1);
  Account alice;
  (void)(*store)->each_account({}, [&](const Account& a) {
    if (a.id == "test:alice") alice = a;
    return true;
  });
  CHECK(alice.display_name == "Alice B.");
  CHECK(alice.followers == 100);
  CHECK(alice.observed_at == parse_rfc3339("2026-02-01T00:00:00Z"));
}

TEST_CASE("a fetch cursor commits with its page and goes with a rollback") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  auto& s = **store;
  CHECK_FALSE(*s.fetch_cursor("mastodon:piaille.fr:tag:ski"));
  REQUIRE(s.begin());
  REQUIRE(s.save_fetch_cursor("mastodon:piaille.fr:tag:ski", FetchCursor{"https://piaille.fr/next", 1, 40, 100}));
  REQUIRE(s.commit());
  REQUIRE(s.begin());
  REQUIRE(s.save_fetch_cursor("mastodon:piaille.fr:tag:ski", FetchCursor{"https://piaille.fr/after", 2, 80, 200}));
  s.rollback();
  auto c = s.fetch_cursor("mastodon:piaille.fr:tag:ski");
  REQUIRE(c);
  REQUIRE(*c);
  CHECK((*c)->next == "https://piaille.fr/next");
  CHECK((*c)->pages == 1);
  CHECK((*c)->items == 40);
}

TEST_CASE("follows stored in bulk in key order end as when put one by one in input order") {
  // Grouped by follower, as follow lists come; the same edge three times with
  // observed_at later, earlier and absent; accounts nobody declared (stubs).
  std::string csv = "follower,followee,observed_at\n";
  std::vector<Follow> follows;
  auto add = [&](std::string a, std::string b, std::optional<Timestamp> t) {
    csv += a + "," + b + "," + (t ? format_rfc3339(*t) : std::string()) + "\n";
    follows.push_back({a, b, t});
  };
  for (int f = 0; f < 40; ++f)
    for (int e = 39; e >= 1; e -= 3) add("test:u" + std::to_string(f), "test:u" + std::to_string((e * 7 + f) % 40), {});
  add("test:u1", "test:u2", 2'000);
  add("test:u1", "test:u2", 1'000);
  add("test:u1", "test:u2", {});
  add("test:u3", "test:u4", 1'000);
  add("test:u3", "test:u4", 3'000);

  test::TempDir dir;
  auto [bulk, one, summary] = side_by_side(dir, csv, "f.csv");
  auto counts = put_each(*one, follows);
  const auto stubs = one->stubs_created();
  REQUIRE(one->commit());
  const auto& t = summary.by_kind[static_cast<std::size_t>(RecordKind::follows)];
  same_counts(t, counts);
  CHECK(t.updated > 0);
  CHECK(t.unchanged > 0);
  CHECK(summary.stubs == stubs);
  auto edges = [](Store& s) {
    std::vector<Follow> out;
    REQUIRE(s.each_follow({}, [&](const Follow& f) { out.push_back(f); return true; }));
    return out;
  };
  const auto a = edges(*bulk), b = edges(*one);
  CHECK(a.size() == 40 * 13 + 2);
  CHECK(a == b);
  // The stubs were made in input order, follower first, as one by one:
  // the ids are looked up a batch at a time, the unknown ones still in turn.
  CHECK(ids_in_row_order(dir.file("bulk.db")) == ids_in_row_order(dir.file("one.db")));

  // Again, with some edges seen later: chunks of edges not all new are
  // stored one by one, and count as such. New edges of a new account after
  // them: their keys rise above the stored ones.
  std::string later = "follower,followee,observed_at\n";
  for (std::size_t i = 0; i < follows.size(); ++i) {
    auto& f = follows[i];
    if (i % 5 == 0) f.observed_at = 5'000 + static_cast<Timestamp>(i);
    later += f.follower + "," + f.followee + "," + (f.observed_at ? format_rfc3339(*f.observed_at) : "") + "\n";
  }
  for (int i = 0; i < 70; ++i) {
    follows.push_back({"test:v" + std::to_string(i), "test:top", 6'000});
    later += follows.back().follower + ",test:top," + format_rfc3339(6'000) + "\n";
  }
  auto again = import_text(*bulk, later, "f.csv");
  REQUIRE(again);
  REQUIRE(one->begin());
  counts = put_each(*one, follows);
  REQUIRE(one->commit());
  const auto& u = again->by_kind[static_cast<std::size_t>(RecordKind::follows)];
  CHECK(u.inserted == 70);
  CHECK(u.inserted == counts[0]);
  CHECK(u.updated == counts[1]);
  CHECK(u.unchanged == counts[2]);
  CHECK(u.updated >= 100);
  CHECK(edges(*bulk) == edges(*one));
  CHECK(ids_in_row_order(dir.file("bulk.db")) == ids_in_row_order(dir.file("one.db")));
}

TEST_CASE("an edge twice in a new store's follows, where one chunk of 64 ends and the next begins") {
  // Stubs made in input order, so that edges sort in input order: the two
  // copies of test:f63's edge are the 64th and 65th.
  std::string csv = "follower,followee,observed_at\n";
  std::vector<Follow> follows;
  for (int i = 0; i < 128; ++i) follows.push_back({"test:f" + std::to_string(i), "test:hub", 1'000});
  follows.push_back({"test:f63", "test:hub", 2'000});
  for (const auto& f : follows) csv += f.follower + "," + f.followee + "," + format_rfc3339(*f.observed_at) + "\n";
  test::TempDir dir;
  auto [bulk, one, summary] = side_by_side(dir, csv, "f.csv");
  const auto counts = put_each(*one, follows);
  REQUIRE(one->commit());
  const auto& t = summary.by_kind[static_cast<std::size_t>(RecordKind::follows)];
  same_counts(t, counts);
  CHECK(t.inserted == 128);
  CHECK(t.updated == 1);
  auto edges = [](Store& s) {
    std::vector<Follow> out;
    REQUIRE(s.each_follow({}, [&](const Follow& f) { out.push_back(f); return true; }));
    return out;
  };
  CHECK(edges(*bulk) == edges(*one));
}

TEST_CASE("follows held behind are stored, merged in input order, before anything after them") {
  // Four batches; an edge in each with observed_at later, earlier, absent
  // and later again, so that the order the held batches are merged in shows
  // in the counts and in the row; a few edges put one by one after three
  // batches left behind, and the fourth batch after them.
  std::vector<std::vector<Follow>> batches(4);
  const std::array<std::optional<Timestamp>, 4> observed{2'000, 1'000, std::nullopt, 2'500};
  for (std::size_t b = 0; b < batches.size(); ++b) {
    for (int f = 0; f < 30; ++f)
      batches[b].push_back({"test:u" + std::to_string(f), "test:u" + std::to_string((f * 7 + 3 * static_cast<int>(b) + 1) % 30), {}});
    batches[b].push_back({"test:u1", "test:u2", observed[b]});
  }
  // (u9 -> u7 is in the second batch only.)
  const std::vector<Follow> singles{{"test:u1", "test:u2", 3'000}, {"test:u9", "test:u7", {}}};
  test::TempDir dir;
  auto bulk = open_sqlite_store(dir.file("bulk.db"), OpenMode::read_write);
  auto one = open_sqlite_store(dir.file("one.db"), OpenMode::read_write);
  REQUIRE(bulk);
  REQUIRE(one);
  auto& s = **bulk;
  REQUIRE(s.begin());
  std::array<std::int64_t, 3> counts{0, 0, 0};
  const auto add = [&](const std::array<std::int64_t, 3>& c) {
    for (std::size_t k = 0; k < 3; ++k) counts[k] += c[k];
  };
  for (std::size_t b = 0; b < 3; ++b) {
    REQUIRE(s.queue(batches[b]));
    auto held = s.flush_follows(true);
    REQUIRE(held);
    CHECK(*held == std::array<std::int64_t, 3>{0, 0, 0});  // held: nothing stored yet
    CHECK(s.queued_follows() == 0);
  }
  std::vector<Upsert> single;
  for (const auto& f : singles) {
    auto r = s.put(f);  // the three batches held are stored first
    REQUIRE(r);
    single.push_back(*r);
  }
  REQUIRE(s.queue(batches[3]));
  auto last = s.flush_follows();
  REQUIRE(last);
  add(*last);
  REQUIRE(s.commit());

  REQUIRE((*one)->begin());
  std::array<std::int64_t, 3> expected{0, 0, 0};
  auto put = [&](const Follow& f) {
    auto r = (*one)->put(f);
    REQUIRE(r);
    return *r;
  };
  for (std::size_t b = 0; b < 3; ++b)
    for (const auto& f : batches[b]) ++expected[static_cast<std::size_t>(put(f))];
  std::vector<Upsert> expected_single;
  for (const auto& f : singles) expected_single.push_back(put(f));
  for (const auto& f : batches[3]) ++expected[static_cast<std::size_t>(put(f))];
  REQUIRE((*one)->commit());
  // u1 -> u2: inserted from the first batch, unchanged by the second
  // (older) and third (no time): merged out of input order, the second
  // batch's edge would have been inserted and the first's an update.
  CHECK(counts == expected);
  CHECK(single == expected_single);
  CHECK(single[0] == Upsert::updated);
  CHECK(single[1] == Upsert::unchanged);
  auto edges = [](Store& st) {
    std::vector<Follow> out;
    REQUIRE(st.each_follow({}, [&](const Follow& f) { out.push_back(f); return true; }));
    return out;
  };
  const auto stored = edges(s);
  CHECK(stored == edges(**one));

  // A batch held at commit: refused, and nothing of it stored.
  REQUIRE(s.begin());
  REQUIRE(s.queue(std::vector<Follow>{{"test:u40", "test:u41", {}}}));
  REQUIRE(s.flush_follows(true));
  CHECK_FALSE(s.commit());
  const auto after = edges(s);
  CHECK(std::none_of(after.begin(), after.end(), [](const Follow& f) { return f.follower == "test:u40"; }));
}

TEST_CASE("follows before an account in one file are resolved before it is stored") {
  // The follow makes test:b a stub; the account record after it fills the
  // stub in. Follows are handed to the store in batches: the account must
  // not overtake them.
  const std::string json =
      R"({"follows": [{"follower": "test:a", "followee": "test:b"}],)"
      R"( "accounts": [{"id": "test:b", "handle": "bee", "followers": 5}]})";
  test::TempDir dir;
  auto [bulk, one, summary] = side_by_side(dir, json, "mixed.json");
  REQUIRE(one->put(Follow{"test:a", "test:b", {}}));
  Account b;
  b.id = "test:b";
  b.handle = "bee";
  b.followers = 5;
  auto account = one->put(b);
  REQUIRE(account);
  REQUIRE(one->commit());
  const auto& t = summary.by_kind[static_cast<std::size_t>(RecordKind::accounts)];
  CHECK(t.inserted + t.updated + t.unchanged == 1);
  CHECK(t.updated == (*account == Upsert::updated ? 1 : 0));
  CHECK(ids_in_row_order(dir.file("bulk.db")) == std::vector<std::string>{"test:a", "test:b"});
  CHECK(ids_in_row_order(dir.file("bulk.db")) == ids_in_row_order(dir.file("one.db")));
}

TEST_CASE("accounts stored several a statement end as when put one by one") {
  // Three whole chunks and a tail: one chunk with a stub to fill in, one
  // all new with counters, one all new where some have no snapshot time; the
  // tail repeats an account with a newer snapshot and fills another stub.
  std::vector<Account> accounts;
  for (int i = 0; i < 96; ++i) {
    Account a;
    a.id = i == 10 ? "test:s1" : "test:u" + std::to_string(i);
    a.handle = "h" + std::to_string(i);
    a.followers = i * 10;
    a.following = i;
    if (!(i >= 64 && i % 7 == 3)) a.observed_at = 1'000 + i;
    accounts.push_back(a);
  }
  Account again = accounts[70];
  again.handle = "again";
  again.followers = 7;
  again.observed_at = 5'000;
  Account stub2;
  stub2.id = "test:s2";
  stub2.posts = 3;
  stub2.observed_at = 6'000;
  accounts.push_back(again);
  accounts.push_back(stub2);
  std::string csv = "id,handle,followers,following,posts,observed_at\n";
  for (const auto& a : accounts)
    csv += a.id + "," + a.handle + "," + (a.followers ? std::to_string(*a.followers) : "") + "," +
           (a.following ? std::to_string(*a.following) : "") + "," + (a.posts ? std::to_string(*a.posts) : "") +
           "," + (a.observed_at ? format_rfc3339(*a.observed_at) : "") + "\n";
  const std::string stubs = "follower,followee\ntest:s1,test:s2\n";
  // Posts after them, by accounts of the chunks: their authors must be found,
  // not made stubs.
  const std::string posts = "id,author,created_at\ntest:p1,test:u33,2026-01-01T00:00:00Z\n"
                            "test:p2,test:u70,2026-01-01T00:00:00Z\ntest:p3,test:u95,2026-01-01T00:00:00Z\n";

  test::TempDir dir;
  auto [bulk, one, summary] = side_by_side(dir, csv, "a.csv", stubs);
  const auto counts = put_each(*one, accounts);
  REQUIRE(one->commit());
  const auto& t = summary.by_kind[static_cast<std::size_t>(RecordKind::accounts)];
  same_counts(t, counts);
  CHECK(t.updated == 1);
  REQUIRE(import_text(*bulk, posts, "p.csv"));
  REQUIRE(import_text(*one, posts, "p.csv"));

  CHECK(ids_in_row_order(dir.file("bulk.db")) == ids_in_row_order(dir.file("one.db")));
  CHECK(ids_in_row_order(dir.file("bulk.db")).size() == 97);  // 96 and test:s2, no stub for an author
  const auto rows = [&](const std::string& file, const char* sql) {
    sqlite3* db = nullptr;
    std::vector<std::string> out;
    REQUIRE(sqlite3_open_v2(dir.file(file).c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const auto* v = sqlite3_column_text(s, c);
        row += (v ? reinterpret_cast<const char*>(v) : "NULL") + std::string("|");
      }
      out.push_back(row);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
  };
  // Each snapshot under its own account (found by id, not by row id), and
  // each post under its author.
  const char* snapshots = "SELECT a.id, c.observed_at, c.followers, c.following, c.posts FROM account_counts c "
                          "JOIN accounts a ON a.rid = c.account ORDER BY a.id, c.observed_at";
  CHECK(rows("bulk.db", snapshots) == rows("one.db", snapshots));
  CHECK(rows("bulk.db", snapshots).size() == 96 - 5 + 2);  // five without a time; test:u70 twice, test:s2
  const char* authors = "SELECT p.id, a.id FROM posts p JOIN accounts a ON a.rid = p.author ORDER BY p.id";
  CHECK(rows("bulk.db", authors) == rows("one.db", authors));
  CHECK(rows("bulk.db", authors).back() == "test:p3|test:u95|");
  const char* all = "SELECT * FROM accounts ORDER BY rid";
  CHECK(rows("bulk.db", all) == rows("one.db", all));
}

TEST_CASE("posts stored in batches end as when put one by one, stubs made in the same order") {
  // Over two batches: authors known and not, mentions of accounts never seen
  // (some named again later in the batch), reply_to_author, a post twice.
  std::string csv = "id,author,created_at,mentions,reply_to,reply_to_author,likes,observed_at\n";
  std::vector<Post> posts;
  for (int i = 0; i < 600; ++i) {
    Post p;
    p.id = "test:p" + std::to_string(i % 590);  // the last ten again, later
    p.author = i % 3 ? "test:alice" : "test:w" + std::to_string(i % 37);
    p.created_at = 1'000'000 + i;
    if (i % 4 == 1) p.mentions = {"test:m" + std::to_string(i % 11), "test:bob", "test:m" + std::to_string(i % 23)};
    if (i % 5 == 2) {
      p.reply_to = "test:p" + std::to_string(i / 2);
      p.reply_to_author = "test:r" + std::to_string(i % 13);
    }
    p.likes = i;
    p.observed_at = 2'000'000 + i;
    posts.push_back(p);
    csv += p.id + "," + p.author + "," + format_rfc3339(p.created_at) + "," + join(p.mentions, " ") + "," + p.reply_to +
           "," + p.reply_to_author + "," + std::to_string(i) + "," + format_rfc3339(*p.observed_at) + "\n";
  }
  test::TempDir dir;
  auto [bulk, one, summary] = side_by_side(dir, csv, "p.csv", accounts_csv);
  const auto counts = put_each(*one, posts);
  const auto stubs = one->stubs_created();
  REQUIRE(one->commit());
  const auto& t = summary.by_kind[static_cast<std::size_t>(RecordKind::posts)];
  same_counts(t, counts);
  CHECK(t.updated == 10);
  CHECK(summary.stubs == stubs);
  CHECK(stubs > 40);
  CHECK(ids_in_row_order(dir.file("bulk.db")) == ids_in_row_order(dir.file("one.db")));
  auto all_posts = [](Store& s) {
    std::vector<Post> out;
    REQUIRE(s.each_post({}, [&](const Post& p) { out.push_back(p); return true; }));
    return out;
  };
  CHECK(all_posts(*bulk) == all_posts(*one));
  CHECK(all_posts(*bulk).size() == 590);
}

TEST_CASE("posts stored a chunk a statement, some already stored, end as when put one by one") {
  // A batch of five whole chunks after 64 stored posts: new posts with a
  // stored one older and one of their own again, newer (the statement
  // inserts some); stored posts unchanged (it inserts none: the next chunks
  // are put one by one); stored posts with newer counters; new posts (one
  // by one, all new: the next chunk is a statement again); new posts with
  // one of the chunk before again, older, and a mention of an unseen account.
  const auto post = [](std::string id, int i, int observed, int likes) {
    Post p;
    p.id = std::move(id);
    p.author = i % 2 ? "test:alice" : "test:bob";
    p.created_at = 1'000'000 + i;
    p.likes = likes;
    p.observed_at = 2'000'000 + observed;
    return p;
  };
  const auto csv_of = [](const std::vector<Post>& posts) {
    std::string csv = "id,author,created_at,mentions,likes,observed_at\n";
    for (const auto& p : posts)
      csv += p.id + "," + p.author + "," + format_rfc3339(p.created_at) + "," + join(p.mentions, " ") + "," +
             std::to_string(*p.likes) + "," + format_rfc3339(*p.observed_at) + "\n";
    return csv;
  };
  std::vector<Post> stored, batch;
  for (int i = 0; i < 64; ++i) stored.push_back(post("test:p" + std::to_string(i), i, 0, i));
  for (int i = 0; i < 32; ++i) batch.push_back(post("test:q" + std::to_string(i), i, 5, i));
  batch[6] = post("test:p5", 5, -1, 999);     // a stored post, an older snapshot
  batch[16] = post("test:q2", 2, 6, 1'002);   // a post of this chunk again, newer
  for (int i = 0; i < 32; ++i) batch.push_back(stored[static_cast<std::size_t>(i)]);
  for (int i = 32; i < 64; ++i) batch.push_back(post("test:p" + std::to_string(i), i, 10, 100 + i));
  for (int i = 96; i < 160; ++i) batch.push_back(post("test:q" + std::to_string(i), i, 5, i));
  batch[130] = post("test:q100", 100, 4, 2'100);  // a post of the chunk before again, older
  batch[131].mentions = {"test:unseen"};

  test::TempDir dir;
  auto b = open_sqlite_store(dir.file("bulk.db"), OpenMode::read_write);
  auto o = open_sqlite_store(dir.file("one.db"), OpenMode::read_write);
  REQUIRE(b);
  REQUIRE(o);
  for (auto* s : {&**b, &**o}) {
    REQUIRE(import_text(*s, accounts_csv, "a.csv"));
    REQUIRE(import_text(*s, csv_of(stored), "stored.csv"));
  }
  const auto imported = import_text(**b, csv_of(batch), "b.csv");
  REQUIRE(imported);
  REQUIRE((*o)->begin());
  const auto counts = put_each(**o, batch);
  REQUIRE((*o)->commit());
  const auto& t = imported->by_kind[static_cast<std::size_t>(RecordKind::posts)];
  same_counts(t, counts);
  CHECK(t.inserted == 96 - 3);
  CHECK(t.updated == 32 + 1);
  CHECK(t.unchanged == 32 + 2);
  CHECK(imported->stubs == 1);
  CHECK(ids_in_row_order(dir.file("bulk.db")) == ids_in_row_order(dir.file("one.db")));
  CHECK(ids_in_row_order(dir.file("bulk.db"), "posts") == ids_in_row_order(dir.file("one.db"), "posts"));
  auto all_posts = [](Store& s) {
    std::vector<Post> out;
    REQUIRE(s.each_post({}, [&](const Post& p) { out.push_back(p); return true; }));
    return out;
  };
  CHECK(all_posts(**b) == all_posts(**o));
  CHECK(all_posts(**b).size() == 64 + 96 - 3);
}

TEST_CASE("stats counts accounts and posts by platform and kind, the span, and hashtags however written") {
  test::TempDir dir;
  auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
  REQUIRE(store);
  REQUIRE(import_text(**store,
                      "id,handle,kind\ntest:a,a,media\ntest:b,b,person\nother:c,c,person\ntest:e,e,person\n",
                      "a.csv"));
  {  // a gap in the accounts' rows, where b was
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file("s.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DELETE FROM accounts WHERE id = 'test:b'", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  REQUIRE(import_text(**store,
                      "id,author,created_at,text,hashtags\n"
                      "test:p1,test:a,2026-01-02T00:00:00Z,x,Ski alps\n"
                      "other:p2,other:c,2026-01-01T00:00:00Z,x,SKI\n"
                      "other:p3,other:c,2026-01-05T00:00:00Z,x,ski Alps snow\n"
                      "test:p4,test:d,2026-01-03T00:00:00Z,x,\n"
                      "test:p5,test:e,2026-01-04T00:00:00Z,x,snow\n",
                      "p.csv"));
  auto st = (*store)->stats(2);
  REQUIRE(st);
  REQUIRE(st->by_platform_kind.size() == 4);
  const auto row = [&](std::size_t i) {
    const auto& g = st->by_platform_kind[i];
    return g.platform + "/" + g.kind + " " + std::to_string(g.accounts) + " " + std::to_string(g.stubs) + " " +
           std::to_string(g.posts);
  };
  CHECK(row(0) == "other/person 1 0 2");
  CHECK(row(1) == "test/ 1 1 1");  // d, known only as an author
  CHECK(row(2) == "test/media 1 0 1");
  CHECK(row(3) == "test/person 1 0 1");  // e, after the gap
  REQUIRE(st->first_post);
  REQUIRE(st->last_post);
  CHECK(format_rfc3339(*st->first_post) == "2026-01-01T00:00:00Z");
  CHECK(format_rfc3339(*st->last_post) == "2026-01-05T00:00:00Z");
  using Tags = std::vector<std::pair<std::string, std::int64_t>>;
  CHECK(st->top_hashtags == Tags{{"ski", 3}, {"alps", 2}});
}

namespace {

// The default VFS with its opens counted by kind, for as long as it lives.
struct CountingVfs {
  static inline sqlite3_vfs* real = nullptr;
  static inline int main_dbs = 0, subjournals = 0;
  sqlite3_vfs shim{};
  CountingVfs() {
    real = sqlite3_vfs_find(nullptr);
    shim = *real;
    shim.zName = "counting";
    shim.pNext = nullptr;
    shim.xOpen = [](sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out) {
      if (flags & SQLITE_OPEN_MAIN_DB) ++main_dbs;
      if (flags & SQLITE_OPEN_SUBJOURNAL) ++subjournals;
      return real->xOpen(real, name, file, flags, out);
    };
    main_dbs = subjournals = 0;
    REQUIRE(sqlite3_vfs_register(&shim, 1) == SQLITE_OK);
  }
  ~CountingVfs() {
    sqlite3_vfs_unregister(&shim);
    sqlite3_vfs_register(real, 1);
  }
};

}  // namespace

TEST_CASE("an import keeps each savepoint's undo journal in memory, not in a temporary file") {
  // Follows go in 64 a statement; a chunk whose edges the store may hold
  // already is inserted behind a savepoint, which keeps the pages it
  // changes that the transaction had changed already, to undo it alone. A
  // new follower of each of a thousand accounts with 200 followers each:
  // a chunk's 64 edges land on as many accounts' pages, and past 64 KiB
  // SQLite would spill that journal to a file. (Accounts and posts go in
  // chunks that keep no such journal.)
  std::string stored = "follower,followee\n", later = "follower,followee\n";
  for (int e = 0; e < 1'000; ++e) {
    for (int f = 0; f < 200; ++f) stored += "test:f" + std::to_string(f) + ",test:e" + std::to_string(e) + "\n";
    later += "test:g,test:e" + std::to_string(e) + "\n";
  }
  test::TempDir dir;
  {
    CountingVfs vfs;
    auto store = open_sqlite_store(dir.file("s.db"), OpenMode::read_write);
    REQUIRE(store);
    REQUIRE(import_text(**store, stored, "stored.csv"));
    auto summary = import_text(**store, later, "later.csv");
    REQUIRE(summary);
    CHECK(summary->by_kind[static_cast<std::size_t>(RecordKind::follows)].inserted == 1'000);
    CHECK(CountingVfs::main_dbs >= 1);  // the store was opened through it
    CHECK(CountingVfs::subjournals == 0);
  }
}

TEST_CASE("posts are put in (time, id) order, their ids compared as bytes where times tie") {
  // Times an hour apart at most, then spanning more than 2^32 seconds.
  for (const Timestamp spread : {Timestamp{3'600}, Timestamp{5'000'000'000}}) {
    test::CorpusBuilder b;
    const auto ana = b.account("ana");
    std::uint32_t seed = 7;
    for (int i = 0; i < 300; ++i) {
      seed = seed * 1'103'515'245u + 12'345u;
      // Few distinct times, so that many tie; ids test:p0 .. test:p299,
      // whose byte order is not their number's.
      b.post(ana, "x", PostType::original, no_index, -spread / 2 + static_cast<Timestamp>(seed >> 16) % 7 * (spread / 6));
    }
    const auto c = b.build();
    std::vector<std::uint32_t> expected(c.posts.size());
    for (std::uint32_t i = 0; i < expected.size(); ++i) expected[i] = i;
    std::sort(expected.begin(), expected.end(), [&](std::uint32_t x, std::uint32_t y) {
      if (c.posts[x].created_at != c.posts[y].created_at) return c.posts[x].created_at < c.posts[y].created_at;
      return c.post_id(x) < c.post_id(y);
    });
    CHECK(time_order(c) == expected);
  }
  // Already in order: nothing to do.
  test::CorpusBuilder b;
  const auto ana = b.account("ana");
  for (int i = 0; i < 3; ++i) b.post(ana, "x", PostType::original, no_index, 100 + i);
  CHECK(time_order(b.build()).empty());
}
