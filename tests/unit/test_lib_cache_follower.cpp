// Imports that keep the column cache up to date: the cache an import writes
// must be, byte for byte, the one a load would build from the tables; and an
// import it cannot follow must leave the old cache (stale, so never used).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "helpers.hpp"
#include "lib/column_cache.hpp"
#include "lib/importer.hpp"
#include "lib/store.hpp"

using namespace influence::lib;

namespace {

const std::filesystem::path fixtures = std::filesystem::path(INFLUENCE_SOURCE_DIR) / "fixtures" / "ski";

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::unique_ptr<Store> open_following(const std::string& db) {
  auto store = open_sqlite_store(db, OpenMode::read_write);
  REQUIRE(store);
  (*store)->follow_imports();
  return std::move(*store);
}

void import_file(Store& store, const std::string& file) {
  REQUIRE(import_inputs(store, {(fixtures / file).string()}, {}));
}

// The cache a load builds from the tables, with the followed one put back.
std::string rebuilt_cache(const std::string& db) {
  const auto cache = column_cache_path(db);
  const auto followed = bytes_of(cache);
  std::filesystem::remove(cache);
  {
    auto store = open_sqlite_store(db, OpenMode::read_only);
    REQUIRE(store);
    REQUIRE((*store)->load_corpus({INT64_MIN, INT64_MAX, {}}));
    (*store)->wait_for_cache();
  }
  auto rebuilt = bytes_of(cache);
  std::ofstream(cache, std::ios::binary | std::ios::trunc) << followed;
  return rebuilt;
}

// Posts with every shape the loader resolves: replies, quotes and reposts of
// posts inserted before and after them (ids test:t0 .. test:t<first + n>)
// and of unknown posts; mentions of the author, twice, and of accounts the
// store has not seen (stubs); hashtags; several languages; many equal
// times, from hour `hour` on for 40 hours; all in random order. Words new
// from post 600 on, so that a later import extends the vocabulary.
std::vector<Post> tangled_posts(int n, unsigned seed, int first = 0, int hour = 0) {
  std::mt19937 rng(seed);
  std::vector<Post> posts(static_cast<std::size_t>(n));
  const char* words[] = {"ski", "poudreuse", "snowboard", "freeride", "Chamonix", "avalanche", "piste", "météo",
                         "luge", "raquettes", "télésiège", "glacier"};
  for (int i = 0; i < n; ++i) {
    auto& p = posts[static_cast<std::size_t>(i)];
    p.id = "test:t" + std::to_string(first + i);
    p.author = "test:u" + std::to_string(rng() % (first ? 15 : 9));
    p.created_at = 1'770'000'000 + static_cast<Timestamp>(hour + static_cast<int>(rng() % 40)) * 3600;
    for (int w = 0; w < 6; ++w) p.text += std::string(words[rng() % (first >= 600 ? 12 : 8)]) + " ";
    if (rng() % 3 == 0) p.hashtags = {"Ski", "freeRide"};
    p.language = rng() % 2 ? "fr" : (rng() % 2 ? (first ? "de" : "en") : "");
    p.url = "https://example.org/" + std::to_string(i);
    if (rng() % 4 == 0) p.mentions = {p.author, "test:u" + std::to_string(rng() % 12), "test:u" + std::to_string(rng() % 12)};
    const std::string parent = rng() % 5 == 0 ? "test:missing" + std::to_string(first + i)
                                              : "test:t" + std::to_string(rng() % (first + n));
    switch (rng() % 4) {
      case 0: break;
      case 1: p.reply_to = parent; p.reply_to_author = "test:u" + std::to_string(rng() % 11); break;
      case 2: p.quote_of = parent; break;
      default: p.repost_of = parent; break;
    }
    if (rng() % 2) p.likes = static_cast<std::int64_t>(rng() % 100);
    if (rng() % 2) p.reposts = static_cast<std::int64_t>(rng() % 10);
  }
  std::shuffle(posts.begin(), posts.end(), rng);
  return posts;
}

}  // namespace

TEST_CASE("the cache an import keeps up to date is the cache a load would build") {
  test::TempDir dir;

  SUBCASE("accounts, then posts, then follows, one command each") {
    const auto db = dir.file("three.db");
    for (const char* file : {"accounts.csv", "posts.jsonl", "follows.csv"}) {
      auto store = open_following(db);
      import_file(*store, file);
      auto written = store->update_column_cache();
      REQUIRE(written);
      CHECK(*written == Store::CacheUpdate::written);
    }
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));
  }

  SUBCASE("accounts after posts and follows: new ones, a stub filled in, newer snapshots") {
    // New accounts only, and stubs: the follower keeps them itself. An
    // account the store had changes: it reads them all back. Both must give
    // the cache a load builds.
    const auto db = dir.file("accounts.db");
    for (const char* file : {"posts.jsonl", "follows.csv"}) {
      auto store = open_following(db);
      import_file(*store, file);
      REQUIRE(store->update_column_cache().value_or(Store::CacheUpdate::stale) == Store::CacheUpdate::written);
    }
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));
    const auto account = [](std::string id, std::optional<std::int64_t> followers, std::optional<Timestamp> at) {
      Account a;
      a.id = std::move(id);
      a.display_name = "Name of " + a.id;
      a.kind = "person";
      a.followers = followers;
      a.observed_at = at;
      return a;
    };
    {
      auto store = open_following(db);
      REQUIRE(store->begin());
      REQUIRE(store->put(account("test:new1", 10, 1'800'000'000)) == Upsert::inserted);
      REQUIRE(store->put(Follow{"test:new1", "test:stub1", std::nullopt}));  // a stub between them
      REQUIRE(store->put(account("test:new2", std::nullopt, std::nullopt)) == Upsert::inserted);
      std::vector<Account> many;  // several a statement
      for (int i = 0; i < 70; ++i)
        many.push_back(account("test:many" + std::to_string(i), i, i % 3 ? std::optional<Timestamp>(1'800'000'000) : std::nullopt));
      REQUIRE(store->put_all(std::span<const Account>(many)));
      REQUIRE(store->commit());
      REQUIRE(store->update_column_cache().value_or(Store::CacheUpdate::stale) == Store::CacheUpdate::written);
    }
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));
    {
      auto store = open_following(db);
      REQUIRE(store->begin());
      REQUIRE(store->put(account("test:new3", 5, 1'800'000'000)) == Upsert::inserted);
      REQUIRE(store->put(account("test:stub1", 7, 1'800'000'000)) == Upsert::inserted);  // the stub filled in
      REQUIRE(store->commit());
      REQUIRE(store->update_column_cache().value_or(Store::CacheUpdate::stale) == Store::CacheUpdate::written);
    }
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));
    {
      auto store = open_following(db);
      REQUIRE(store->begin());
      REQUIRE(store->put(account("test:new1", 99, 1'900'000'000)) == Upsert::updated);  // a newer snapshot
      REQUIRE(store->commit());
      REQUIRE(store->update_column_cache().value_or(Store::CacheUpdate::stale) == Store::CacheUpdate::written);
    }
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));
  }

  SUBCASE("posts stored a chunk a statement, some already stored or twice in the batch") {
    const auto db = dir.file("chunks.db");
    auto store = open_following(db);
    import_file(*store, "accounts.csv");
    const auto posts = tangled_posts(200, 21);
    REQUIRE(store->begin());
    REQUIRE(store->put_all(std::span<const Post>(posts.data(), 100)));
    REQUIRE(store->commit());
    // The rest, with stored posts re-fetched among them (newer counters)
    // and one of the new posts again, newer, in a later chunk.
    const auto refetched = [](Post p, std::int64_t likes, Timestamp at) {
      p.likes = likes;
      p.observed_at = at;
      return p;
    };
    std::vector<Post> next;
    for (std::size_t k = 100; k < 200; ++k) {
      next.push_back(posts[k]);
      if (k % 8 == 3) next.push_back(refetched(posts[k - 100], static_cast<std::int64_t>(1'000 + k), 2'100'000'000));
      if (k == 170) next.push_back(refetched(posts[120], 4'242, 2'100'000'001));
    }
    REQUIRE(store->begin());
    auto counts = store->put_all(std::span<const Post>(next));
    REQUIRE(counts);
    CHECK(*counts == std::array<std::int64_t, 3>{100, 13, 0});
    REQUIRE(store->commit());
    auto written = store->update_column_cache();
    REQUIRE(written);
    CHECK(*written == Store::CacheUpdate::written);
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));
  }

  SUBCASE("posts in random order, with every kind of link, over several transactions") {
    const auto db = dir.file("tangled.db");
    auto store = open_following(db);
    import_file(*store, "accounts.csv");
    const auto posts = tangled_posts(600, 11);
    for (std::size_t from = 0; from < posts.size(); from += 150) {  // as a fetch stores pages
      REQUIRE(store->begin());
      for (std::size_t i = from; i < from + 150; ++i) REQUIRE(store->put(posts[i]));
      REQUIRE(store->commit());
    }
    // Follows naming accounts the store has not seen: stubs after the base's accounts.
    REQUIRE(store->begin());
    for (int i = 0; i < 40; ++i)
      REQUIRE(store->put(Follow{"test:f" + std::to_string(i % 7), "test:u" + std::to_string(i % 9), std::nullopt}));
    REQUIRE(store->commit());
    auto written = store->update_column_cache();
    REQUIRE(written);
    CHECK(*written == Store::CacheUpdate::written);
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));

    // Follows into a store that already has posts and a graph: merged with it.
    auto again = open_following(db);
    import_file(*again, "follows.csv");
    written = again->update_column_cache();
    REQUIRE(written);
    CHECK(*written == Store::CacheUpdate::written);
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));

    // The next days' posts, appended: replies to the store's posts and to
    // each other, new words, a new language, new accounts.
    auto week = open_following(db);
    REQUIRE(week->begin());
    for (const auto& p : tangled_posts(400, 12, 600, 40)) REQUIRE(week->put(p));
    REQUIRE(week->commit());
    written = week->update_column_cache();
    REQUIRE(written);
    CHECK(*written == Store::CacheUpdate::written);
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));

    // A re-fetch: newer snapshots that change only counters, of posts stored
    // imports ago and of one inserted in the same transaction.
    auto refetch = open_following(db);
    REQUIRE(refetch->begin());
    const auto fresh = tangled_posts(1, 13, 1000, 80)[0];
    REQUIRE(refetch->put(fresh) == Upsert::inserted);
    for (auto p : {posts[7], posts[300], fresh}) {
      p.likes = 5000;
      p.replies = 7;
      p.observed_at = 2'100'000'000;
      REQUIRE(refetch->put(p) == Upsert::updated);
    }
    REQUIRE(refetch->commit());
    written = refetch->update_column_cache();
    REQUIRE(written);
    CHECK(*written == Store::CacheUpdate::written);
    CHECK(bytes_of(column_cache_path(db)) == rebuilt_cache(db));
  }
}

TEST_CASE("an import the cache cannot follow leaves the old cache, which the next load replaces") {
  test::TempDir dir;
  const auto db = dir.file("store.db");
  {
    auto store = open_following(db);
    import_file(*store, "accounts.csv");
    REQUIRE(store->update_column_cache().value_or(Store::CacheUpdate::stale) == Store::CacheUpdate::written);
  }
  const auto cache = column_cache_path(db);
  const auto before = bytes_of(cache);
  const auto posts = tangled_posts(50, 3);
  const auto only = [&](std::function<void(Store&)> change) {
    auto store = open_following(db);
    change(*store);
    auto written = store->update_column_cache();
    REQUIRE(written);
    return *written;
  };

  SUBCASE("a transaction rolled back") {
    CHECK(Store::CacheUpdate::unchanged == only([&](Store& s) {
      REQUIRE(s.begin());
      REQUIRE(s.put(posts[0]));
      s.rollback();
    }));
    CHECK(bytes_of(cache) == before);
  }

  SUBCASE("another process writing between two of our transactions") {
    CHECK(Store::CacheUpdate::stale == only([&](Store& s) {
      REQUIRE(s.begin());
      REQUIRE(s.put(posts[0]));
      REQUIRE(s.commit());
      auto other = open_sqlite_store(db, OpenMode::read_write);
      REQUIRE(other);
      REQUIRE((*other)->begin());
      REQUIRE((*other)->put(posts[1]));
      REQUIRE((*other)->commit());
      REQUIRE(s.begin());
      REQUIRE(s.put(posts[2]));
      REQUIRE(s.commit());
    }));
    CHECK(bytes_of(cache) == before);
  }

  SUBCASE("a post put after the import said its input was done") {
    // The follower has put its posts in order by then: it cannot take more.
    CHECK(Store::CacheUpdate::stale == only([&](Store& s) {
      REQUIRE(s.begin());
      REQUIRE(s.put(posts[0]));
      s.end_of_input();
      REQUIRE(s.put(posts[1]));
      REQUIRE(s.commit());
    }));
    CHECK(bytes_of(cache) == before);
  }

  SUBCASE("new posts older than the store's, one a stored post awaits as its parent, a post's text changed") {
    std::vector<Post> first(posts.begin(), posts.begin() + 10);
    first[5].repost_of = first[5].quote_of = "";
    first[5].reply_to = "test:awaited";
    REQUIRE(Store::CacheUpdate::written == only([&](Store& s) {
      REQUIRE(s.begin());
      for (const auto& p : first) REQUIRE(s.put(p));
      REQUIRE(s.commit());
    }));
    const auto with_posts = bytes_of(cache);
    auto older = posts[10];
    older.created_at = 1'000'000'000;
    CHECK(Store::CacheUpdate::stale == only([&](Store& s) {
      REQUIRE(s.begin());
      REQUIRE(s.put(older));
      REQUIRE(s.commit());
    }));
    CHECK(bytes_of(cache) == with_posts);
    std::filesystem::remove(cache);
    REQUIRE(open_sqlite_store(db, OpenMode::read_only).value()->load_corpus({INT64_MIN, INT64_MAX, {}}));
    const auto rebuilt = bytes_of(cache);
    Post awaited = posts[11];
    awaited.id = "test:awaited";
    awaited.created_at = 2'000'000'000;
    CHECK(Store::CacheUpdate::stale == only([&](Store& s) {
      REQUIRE(s.begin());
      REQUIRE(s.put(awaited));
      REQUIRE(s.commit());
    }));
    CHECK(bytes_of(cache) == rebuilt);
    auto changed = posts[3];
    changed.text += " luge";  // new words: not a row the follower changes
    changed.observed_at = 2'000'000'000;
    CHECK(Store::CacheUpdate::stale == only([&](Store& s) {
      REQUIRE(s.begin());
      REQUIRE(s.put(changed) == Upsert::updated);
      REQUIRE(s.commit());
    }));
    CHECK(bytes_of(cache) == rebuilt);
  }

  // Whatever was left, a load reads what the tables hold and caches it.
  auto store = open_sqlite_store(db, OpenMode::read_only);
  REQUIRE(store);
  auto c = (*store)->load_corpus({INT64_MIN, INT64_MAX, {}});
  REQUIRE(c);
  (*store)->wait_for_cache();
  CHECK(bytes_of(cache) == rebuilt_cache(db));
}

TEST_CASE("a store that does not follow imports writes no cache, and a store in memory has none") {
  test::TempDir dir;
  const auto db = dir.file("plain.db");
  {
    auto store = open_sqlite_store(db, OpenMode::read_write);
    REQUIRE(store);
    import_file(**store, "accounts.csv");
    auto written = (*store)->update_column_cache();
    REQUIRE(written);
    CHECK(*written == Store::CacheUpdate::stale);
  }
  CHECK_FALSE(std::filesystem::exists(column_cache_path(db)));
  auto memory = open_sqlite_store(":memory:", OpenMode::read_write);
  REQUIRE(memory);
  (*memory)->follow_imports();
  import_file(**memory, "accounts.csv");
  auto written = (*memory)->update_column_cache();
  REQUIRE(written);
  CHECK(*written == Store::CacheUpdate::unchanged);
}
