// The column cache and select(): a window read through the cache must be the
// window the tables describe, and a stale or damaged cache must never be used
// or make a reading command fail.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "helpers.hpp"
#include "lib/column_cache.hpp"
#include "lib/importer.hpp"
#include "lib/store.hpp"
#include "lib/timeutil.hpp"
#include "lib/topic.hpp"

using namespace influence::lib;

namespace {

const std::filesystem::path fixtures = std::filesystem::path(INFLUENCE_SOURCE_DIR) / "fixtures" / "ski";

// The ski fixtures, and any more files, imported in one transaction.
std::unique_ptr<Store> ski_store(const std::string& path, const std::vector<std::string>& more = {}) {
  auto store = open_sqlite_store(path, OpenMode::read_write);
  REQUIRE(store);
  std::vector<std::string> inputs = {(fixtures / "accounts.csv").string(), (fixtures / "posts.jsonl").string(),
                                     (fixtures / "follows.csv").string()};
  inputs.insert(inputs.end(), more.begin(), more.end());
  auto imported = import_inputs(**store, inputs, {});
  REQUIRE(imported);
  return std::move(*store);
}

// Rows of a query, each as its columns joined by '|'.
std::vector<std::string> rows(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      if (i) row += '|';
      if (sqlite3_column_type(st, i) != SQLITE_NULL) row += reinterpret_cast<const char*>(sqlite3_column_text(st, i));
    }
    out.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// Everything scoring reads of a corpus, by ids rather than indices.
std::vector<std::string> fingerprint(const Corpus& c) {
  std::vector<std::string> out;
  auto name = [&](std::uint32_t a) { return a == no_index ? std::string("-") : std::string(c.accounts[a].id); };
  auto count = [](const Count& n) { return n ? std::to_string(*n) : std::string("-"); };
  for (const auto& a : c.accounts)
    out.push_back("account " + std::string(a.id) + " " + std::string(a.handle) + " " + count(a.followers) + " " + count(a.following) + " " +
                  count(a.posts) + (a.stub ? " stub" : ""));
  for (std::size_t i = 0; i < c.posts.size(); ++i) {
    const auto& p = c.posts[i];
    std::string s = "post " + std::string(c.post_id(i)) + " by " + name(p.author) + " at " + std::to_string(p.created_at) +
                    " type " + std::to_string(static_cast<int>(p.type)) + (p.in_window ? " in" : " out") + " parent " +
                    (p.parent == no_index ? std::string("-") : std::string(c.post_id(p.parent))) + " of " +
                    name(p.parent_author) + " lang " + std::string(c.language_of(i)) + " " + count(p.likes) + " " +
                    count(p.reposts) + " " + count(p.replies) + " " + count(p.quotes) + " url " +
                    std::string(c.post_url(i)) + " text " + std::string(c.post_text(i)) + " words";
    for (auto w : c.words.row(i)) s += " " + c.term(w);
    s += " tags";
    for (auto h : c.hashtags.row(i)) s += " " + c.term(h);
    s += " mentions";
    for (auto m : c.mentions.row(i)) s += " " + name(m);
    out.push_back(s);
  }
  for (std::uint32_t a = 0; a < c.accounts.size(); ++a)
    for (auto k = c.follower_start.empty() ? 0 : c.follower_start[a]; !c.follower_start.empty() && k < c.follower_start[a + 1]; ++k)
      out.push_back("follow " + name(c.follower_ids[k]) + " -> " + name(a));
  return out;
}

}  // namespace

TEST_CASE("a window read through the column cache is the window the tables hold") {
  test::TempDir dir;
  const auto db = dir.file("ski.db");
  auto store = ski_store(db);
  const auto cache = column_cache_path(db);
  const Timestamp feb1 = *parse_rfc3339("2026-02-01"), feb8 = *parse_rfc3339("2026-02-08");
  const std::vector<CorpusQuery> queries = {{INT64_MIN, INT64_MAX, {}},
                                            {feb1, feb8, {}},
                                            {feb1, feb8, {"mastodon"}},
                                            {0, *parse_rfc3339("2026-01-20"), {"bluesky"}},
                                            {feb8, feb1, {}}};
  for (const auto& q : queries) {
    CAPTURE(q.since);
    CAPTURE(q.until);
    std::filesystem::remove(cache);
    auto from_tables = store->load_corpus(q);  // no cache: reads the tables, then writes the cache
    REQUIRE(from_tables);
    store->wait_for_cache();
    REQUIRE(std::filesystem::exists(cache));
    auto from_cache = store->load_corpus(q);
    REQUIRE(from_cache);
    CHECK(fingerprint(*from_tables) == fingerprint(*from_cache));
    CHECK(check_indices(*from_cache) == "");

    // The window's posts and the parents it lacks, as SQL sees them.
    std::string platforms = "1";
    if (!q.platforms.empty()) platforms = "a.platform = '" + q.platforms[0] + "'";
    const std::string window = "SELECT p.id FROM posts p JOIN accounts a ON a.rid = p.author WHERE " + platforms +
                               " AND p.created_at >= " + std::to_string(q.since) + " AND p.created_at < " +
                               std::to_string(q.until);
    const auto in = rows(db, window + " ORDER BY p.created_at, p.id");
    const auto parents = rows(db,
        "SELECT DISTINCT r.id FROM posts p JOIN accounts a ON a.rid = p.author JOIN posts r ON r.id = "
        "CASE WHEN p.repost_of <> '' THEN p.repost_of WHEN p.quote_of <> '' THEN p.quote_of ELSE p.reply_to END "
        "JOIN accounts ra ON ra.rid = r.author WHERE " + platforms + " AND " +
        (q.platforms.empty() ? std::string("1") : "ra.platform = '" + q.platforms[0] + "'") +
        " AND p.created_at >= " + std::to_string(q.since) + " AND p.created_at < " + std::to_string(q.until) +
        " AND r.id NOT IN (" + window + ")");
    std::vector<std::string> got_in;
    std::set<std::string> got_out;
    for (std::size_t i = 0; i < from_cache->posts.size(); ++i) {
      if (from_cache->posts[i].in_window)
        got_in.emplace_back(from_cache->post_id(i));
      else
        got_out.emplace(from_cache->post_id(i));
    }
    CHECK(got_in == in);
    CHECK(got_out == std::set<std::string>(parents.begin(), parents.end()));
    // Counters: the latest snapshot at or before the window's end, else the earliest.
    for (const auto& a : from_cache->accounts) {
      const auto expected = rows(db,
          "SELECT coalesce((SELECT followers FROM account_counts c WHERE c.account = a.rid AND c.observed_at <= " +
          std::to_string(q.until) + " ORDER BY observed_at DESC LIMIT 1), (SELECT followers FROM account_counts c WHERE "
          "c.account = a.rid ORDER BY observed_at LIMIT 1), a.followers) FROM accounts a WHERE a.id = '" + std::string(a.id) + "'");
      REQUIRE(expected.size() == 1);
      CHECK((a.followers ? std::to_string(*a.followers) : std::string()) == expected[0]);
    }
  }
}

TEST_CASE("the words stored in the corpus match a topic exactly as the post's text does") {
  test::TempDir dir;
  auto store = ski_store(dir.file("ski.db"));
  auto file = TopicFile::load((fixtures / "topics").string());
  REQUIRE(file);
  int matched = 0;
  for (const auto& topic : file->topics()) {
    CAPTURE(topic.name);
    auto by_words = TopicMatcher::build({topic}, &*file);
    auto by_text = TopicMatcher::build({topic}, &*file);
    auto halves = TopicMatcher::build({topic}, &*file);  // the vocabulary's terms found on two threads
    REQUIRE(by_words);
    REQUIRE(by_text);
    REQUIRE(halves);
    auto c = store->load_corpus({INT64_MIN, INT64_MAX, {}});
    REQUIRE(c);
    halves->prepare(*c->vocabulary, 2);
    std::map<std::string, Post> posts;
    REQUIRE(store->each_post({}, [&](const Post& p) {
      posts.emplace(p.id, p);
      return true;
    }));
    for (std::size_t i = 0; i < c->posts.size(); ++i) {
      if (c->posts[i].type == PostType::repost) continue;
      const auto& p = posts.at(std::string(c->post_id(i)));
      const bool a = by_words->matches(*c, i), b = by_text->matches(p.text, p.hashtags, p.language);
      CHECK(a == b);
      CHECK(halves->matches(*c, i) == b);
      matched += a;
    }
  }
  CHECK(matched > 100);
}

TEST_CASE("a stale, truncated or damaged column cache is never trusted and never fails a read") {
  test::TempDir dir;
  const auto db = dir.file("ski.db");
  auto store = ski_store(db);
  const CorpusQuery all{INT64_MIN, INT64_MAX, {}};
  auto reference = store->load_corpus(all);
  REQUIRE(reference);
  store->wait_for_cache();
  const auto cache = column_cache_path(db);
  const auto size = std::filesystem::file_size(cache);

  SUBCASE("an import makes it stale") {
    std::vector<std::unique_ptr<LineSource>> src;
    src.push_back(LineSource::from_string("id,author,created_at,text\ntest:new,test:someone,2026-03-01T00:00:00Z,ski\n", "n.csv"));
    REQUIRE(import_sources(*store, std::move(src), {}));
    auto after = store->load_corpus(all);
    REQUIRE(after);
    CHECK(after->posts.size() == reference->posts.size() + 1);
    CHECK(after->post_id(after->posts.size() - 1) == "test:new");
  }
  SUBCASE("another store's cache is ignored, even at the same generation") {
    test::TempDir other;
    const auto extra = other.file("extra.csv");
    std::ofstream(extra) << "id,author,created_at,text\ntest:x,test:y,2026-03-01T00:00:00Z,ski\n";
    const auto db2 = other.file("ski.db");
    auto store2 = ski_store(db2, {extra});  // one transaction, as the first store: the same generation
    std::filesystem::copy_file(cache, column_cache_path(db2), std::filesystem::copy_options::overwrite_existing);
    auto c = store2->load_corpus(all);
    REQUIRE(c);
    CHECK(c->posts.size() == reference->posts.size() + 1);
  }
  SUBCASE("posts out of time order") {
    // The whole store's posts are in time order, which select() relies on;
    // a window's parents need not be.
    Corpus c = *reference;
    REQUIRE(c.posts.size() > 2);
    CHECK(check_indices(c, true) == "");
    c.posts.mut(1).created_at = c.posts[2].created_at + 1;
    CHECK(check_indices(c, true) == "posts are out of time order");
    CHECK(check_indices(c) == "");
  }
  SUBCASE("a post of the whole store outside its window") {
    // select() trusts a whole store's posts to be all in its window.
    Corpus c = *reference;
    REQUIRE(c.posts.size() > 2);
    c.posts.mut(1).in_window = 0;
    CHECK(check_indices(c, true) == "a post of the whole store is outside its window");
    CHECK(check_indices(c) == "");
  }
  SUBCASE("truncated anywhere") {
    for (auto cut : {std::uintmax_t{0}, std::uintmax_t{7}, size / 3, size / 2, size - 9, size - 1}) {
      CAPTURE(cut);
      std::filesystem::resize_file(cache, cut);
      auto c = store->load_corpus(all);
      REQUIRE(c);
      CHECK(fingerprint(*c) == fingerprint(*reference));
      store->wait_for_cache();
      CHECK(std::filesystem::file_size(cache) == size);  // rewritten whole
    }
  }
  SUBCASE("bytes flipped anywhere: read or rejected, never out of bounds") {
    std::string bytes;
    {
      std::ifstream in(cache, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    std::mt19937_64 rng(42);
    for (int trial = 0; trial < 300; ++trial) {
      std::string damaged = bytes;
      for (int k = 0; k < 1 + trial % 4; ++k) damaged[rng() % damaged.size()] ^= static_cast<char>(1 + rng() % 255);
      {
        std::ofstream out(cache, std::ios::binary | std::ios::trunc);
        out << damaged;
      }
      auto c = store->load_corpus(all);
      REQUIRE(c);
      store->wait_for_cache();  // a rejected cache is being rewritten: the next trial damages it again
      CHECK(check_indices(*c) == "");
      // What scoring does with a corpus must stay within it.
      auto m = TopicMatcher::build({*resolve_topic("ski", nullptr)}, nullptr);
      REQUIRE(m);
      for (std::size_t i = 0; i < c->posts.size(); ++i) (void)m->matches(*c, i);
    }
  }
}

TEST_CASE("a cache larger than the writer's buffer reads back whole and ends with its trailer") {
  // The writer hands the file whole blocks of 8 MiB (O_DIRECT where the file
  // system takes it), pads the last one and cuts the padding off again.
  test::TempDir dir;
  const auto db = dir.file("ski.db");
  const auto extra = dir.file("long.csv");
  {
    std::ofstream out(extra);
    out << "id,author,created_at,text\n";
    for (int i = 0; i < 2500; ++i)
      out << "test:long" << i << ",test:writer" << i % 7 << ",2026-03-01T00:00:" << 10 + i % 50 << "Z,ski "
          << std::string(4000 + i % 13, 'a' + static_cast<char>(i % 26)) << "\n";
  }
  auto store = ski_store(db, {extra});
  const CorpusQuery all{INT64_MIN, INT64_MAX, {}};
  auto built = store->load_corpus(all);  // from the tables; writes the cache
  REQUIRE(built);
  store->wait_for_cache();
  const auto cache = column_cache_path(db);
  REQUIRE(std::filesystem::exists(cache));
  CHECK(std::filesystem::file_size(cache) > (std::uintmax_t{10} << 20));
  std::string tail(8, '\0');
  {
    std::ifstream in(cache, std::ios::binary);
    in.seekg(-8, std::ios::end);
    in.read(tail.data(), 8);
  }
  CHECK(tail == "INFLCOLS");
  auto mapped = store->load_corpus(all);
  REQUIRE(mapped);
  CHECK(mapped->posts.is_view());  // read from the cache, not rebuilt
  CHECK(mapped->posts.size() == built->posts.size());
  CHECK(fingerprint(*mapped) == fingerprint(*built));
}

TEST_CASE("the column cache is as private as the store and leaves no temporary file") {
  test::TempDir dir;
  const auto db = dir.file("ski.db");
  auto store = ski_store(db);
  namespace fs = std::filesystem;
  for (auto perms : {fs::perms::owner_read | fs::perms::owner_write,
                     fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read}) {
    fs::remove(column_cache_path(db));
    fs::permissions(db, perms);
    REQUIRE(store->load_corpus({INT64_MIN, INT64_MAX, {}}));
    store->wait_for_cache();
    REQUIRE(fs::exists(column_cache_path(db)));
    // Never wider than the store's (the umask may narrow it further).
    const auto got = fs::status(column_cache_path(db)).permissions();
    CHECK((got & ~perms) == fs::perms::none);
    CHECK((got & fs::perms::owner_read) != fs::perms::none);
  }
  for (const auto& e : fs::directory_iterator(dir.path))
    CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
}

TEST_CASE("a corpus read from the cache is a view of the file; writing to it copies and never reaches the file") {
  test::TempDir dir;
  const auto db = dir.file("ski.db");
  auto store = ski_store(db);
  const CorpusQuery all{INT64_MIN, INT64_MAX, {}};
  auto built = store->load_corpus(all);  // from the tables; writes the cache
  REQUIRE(built);
  auto mapped = store->load_corpus(all);
  REQUIRE(mapped);
  REQUIRE(mapped->posts.size() > 2);
  CHECK(mapped->posts.is_view());
  CHECK(mapped->posts.data() != built->posts.data());
  CHECK(mapped->words.ids.is_view());
  CHECK(mapped->follower_ids.is_view());
  CHECK(fingerprint(*mapped) == fingerprint(*built));

  const auto cache = column_cache_path(db);
  auto file_bytes = [&] {
    std::ifstream in(cache, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const auto before = file_bytes();
  // A copy of a view is the same view; writing to one makes it a vector of its own.
  auto posts = mapped->posts;
  CHECK(posts.is_view());
  CHECK(posts.data() == mapped->posts.data());
  const auto likes = mapped->posts[1].likes;
  posts.mut(1).likes = 123456789;
  CHECK_FALSE(posts.is_view());
  CHECK(posts.data() != mapped->posts.data());
  CHECK(*posts[1].likes == 123456789);
  CHECK(mapped->posts[1].likes.value_or(-1) == likes.value_or(-1));
  posts.push_back(posts[0]);
  CHECK(posts.size() == mapped->posts.size() + 1);
  CHECK(file_bytes() == before);
  // Every post in the window: select() takes the columns over, still mapped.
  const auto window = select(std::move(*mapped), all);
  CHECK(window.posts.is_view());
}

TEST_CASE("the cache written in the background is the store's, whatever the caller does to the corpus meanwhile") {
  test::TempDir dir;
  const auto db = dir.file("ski.db");
  auto store = ski_store(db);
  const CorpusQuery all{INT64_MIN, INT64_MAX, {}};
  auto built = store->load_corpus(all);  // from the tables; the cache is being written
  REQUIRE(built);
  REQUIRE(built->posts.size() > 2);
  const auto expected = fingerprint(*built);
  // The caller's corpus shares its columns with the writer's copy: writing
  // to it copies them, and its accounts are its own.
  const auto shared = built->posts.data();
  for (std::size_t i = 0; i < built->posts.size(); ++i) built->posts.mut(i).likes = 987654321;
  CHECK(built->posts.data() != shared);
  for (auto& a : built->accounts) a.id = "changed";
  built->follower_ids.clear();
  store->wait_for_cache();
  auto mapped = store->load_corpus(all);
  REQUIRE(mapped);
  CHECK(mapped->posts.is_view());
  CHECK(fingerprint(*mapped) == expected);
}

TEST_CASE("the follow graph read beside the posts, on a second connection, is the one the tables hold") {
  test::TempDir dir;
  const auto db = dir.file("ski.db");
  auto on_file = ski_store(db);          // the follows come from a second connection
  auto in_memory = ski_store(":memory:");  // no second connection: the follows come after the posts
  const CorpusQuery all{INT64_MIN, INT64_MAX, {}};
  auto edges = [](const Corpus& c) {
    std::vector<std::string> out;
    for (std::uint32_t a = 0; a < c.accounts.size(); ++a)
      for (auto k = c.follower_start[a]; k < c.follower_start[a + 1]; ++k)
        out.push_back(std::string(c.accounts[c.follower_ids[k]].id) + " -> " + std::string(c.accounts[a].id));
    std::sort(out.begin(), out.end());
    return out;
  };
  auto from_file = on_file->load_corpus(all);
  auto from_memory = in_memory->load_corpus(all);
  REQUIRE(from_file);
  REQUIRE(from_memory);
  REQUIRE(from_file->has_follow_graph());
  const auto expected = rows(db, "SELECT fr.id || ' -> ' || fe.id FROM follows f JOIN accounts fr ON fr.rid = f.follower "
                                 "JOIN accounts fe ON fe.rid = f.followee ORDER BY 1");
  CHECK(expected.size() > 1000);
  CHECK(edges(*from_file) == expected);
  CHECK(edges(*from_memory) == expected);
}

TEST_CASE("posts stored out of time order come out in (created_at, id) order, ties by id") {
  test::TempDir dir;
  const auto db = dir.file("shuffled.db");
  auto store = open_sqlite_store(db, OpenMode::read_write);
  REQUIRE(store);
  // 2,000 posts over 50 instants, in random order: many ties, none in order.
  std::mt19937_64 rng(7);
  std::string csv = "id,author,created_at,text\n";
  for (int i = 0; i < 2000; ++i) {
    const auto day = 1 + rng() % 28, hour = rng() % 2;
    csv += "test:p" + std::to_string(rng() % 1000000) + "-" + std::to_string(i) + ",test:a" + std::to_string(i % 13) +
           ",2026-02-" + (day < 10 ? "0" : "") + std::to_string(day) + "T1" + std::to_string(hour) + ":00:00Z,ski\n";
  }
  std::vector<std::unique_ptr<LineSource>> src;
  src.push_back(LineSource::from_string(csv, "shuffled.csv"));
  REQUIRE(import_sources(**store, std::move(src), {}));
  REQUIRE(rows(db, "SELECT count(*) FROM (SELECT row_number() OVER (ORDER BY created_at, id) k, "
                   "row_number() OVER (ORDER BY rowid) j FROM posts) WHERE k <> j")[0] != "0");
  auto c = (*store)->load_corpus({INT64_MIN, INT64_MAX, {}});
  REQUIRE(c);
  std::vector<std::string> got;
  for (std::size_t i = 0; i < c->posts.size(); ++i) got.emplace_back(c->post_id(i));
  CHECK(got == rows(db, "SELECT id FROM posts ORDER BY created_at, id"));
}

TEST_CASE("reorder_posts moves each post's row, strings and lists together, and its parent link with them") {
  // Lists of every length (none included), so that a row copied out of line
  // shifts the rows after it.
  const std::uint32_t n = 600;
  Corpus c;
  c.accounts.resize(n);
  std::vector<std::vector<std::uint32_t>> words(n), tags(n), mentions(n);
  {
    CorpusBuilder b(c);
    for (std::uint32_t i = 0; i < n; ++i) {
      CorpusPost p;
      p.author = i;
      p.created_at = i;
      p.parent = i % 5 == 0 && i > 0 ? i - 3 : no_index;
      for (std::uint32_t k = 0; k < i % 7; ++k) words[i].push_back(i * 10 + k);
      for (std::uint32_t k = 0; k < i % 3; ++k) tags[i].push_back(i * 100 + k);
      for (std::uint32_t k = 0; k < (i / 2) % 4; ++k) mentions[i].push_back((i + k + 1) % n);
      b.add_post(p, {"p" + std::to_string(i), "text " + std::to_string(i), "", "", nullptr}, mentions[i], words[i],
                 tags[i]);
    }
    b.finish();
  }
  std::mt19937_64 rng(11);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  SUBCASE("any order") { std::shuffle(order.begin(), order.end(), rng); }
  SUBCASE("moves within runs, as ties put in order") {
    for (std::uint32_t i = 0; i + 4 <= n; i += 4 + static_cast<std::uint32_t>(rng() % 5))
      std::shuffle(order.begin() + i, order.begin() + i + 2 + static_cast<std::ptrdiff_t>(rng() % 3), rng);
  }
  SUBCASE("no move") {}
  reorder_posts(c, order);
  REQUIRE(c.posts.size() == n);
  std::vector<std::uint32_t> now_at(n);
  for (std::uint32_t k = 0; k < n; ++k) now_at[order[k]] = k;
  for (std::uint32_t k = 0; k < n; ++k) {
    const auto was = order[k];
    CAPTURE(k);
    CAPTURE(was);
    CHECK(c.posts[k].author == was);
    CHECK(c.post_id(k) == "p" + std::to_string(was));
    CHECK(c.post_text(k) == "text " + std::to_string(was));
    const auto w = c.words.row(k), h = c.hashtags.row(k), m = c.mentions.row(k);
    CHECK(std::vector<std::uint32_t>(w.begin(), w.end()) == words[was]);
    CHECK(std::vector<std::uint32_t>(h.begin(), h.end()) == tags[was]);
    CHECK(std::vector<std::uint32_t>(m.begin(), m.end()) == mentions[was]);
    CHECK(c.posts[k].parent == (was % 5 == 0 && was > 0 ? now_at[was - 3] : no_index));
  }
}
