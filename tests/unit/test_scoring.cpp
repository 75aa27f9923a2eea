#include <doctest/doctest.h>

#include <filesystem>
#include <cmath>
#include <numeric>
#include <random>

#include "helpers.hpp"
#include "lib/importer.hpp"
#include "scoring/dimensions.hpp"
#include "scoring/score.hpp"

using namespace influence;
using lib::PostType;

namespace {

scoring::Ranking rank(const lib::Corpus& c, const std::string& topic = "ski", scoring::ScoringOptions o = {}) {
  auto t = lib::resolve_topic(topic, nullptr);
  REQUIRE(t);
  auto m = lib::TopicMatcher::build({*t}, nullptr);
  REQUIRE(m);
  return scoring::score_topic(c, *m, o);
}

const scoring::ScoredAccount* find(const scoring::Ranking& r, std::uint32_t a) {
  for (const auto& s : r.accounts)
    if (s.account == a) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("each kind of reaction carries its weight") {
  test::CorpusBuilder b;
  const auto a = b.account("a"), u = b.account("u");
  const auto p = b.post(a, "ski today");
  b.post(u, "", PostType::repost, p);
  b.post(u, "nice", PostType::quote, p);
  b.post(u, "wow", PostType::reply, p);
  b.post(u, "ski with @a")/* mention */;
  b.mentions(static_cast<std::uint32_t>(b.c.posts.size() - 1), {a});
  b.c.posts.mut(p).likes = 10;
  const auto r = rank(b.build());
  const auto* s = find(r, a);
  REQUIRE(s);
  CHECK(s->echo.reposts == 1);
  CHECK(s->echo.quotes == 1);
  CHECK(s->echo.replies == 1);
  CHECK(s->echo.mentions == 1);
  CHECK(s->echo.likes == 10);
  CHECK(s->echo.reactions == doctest::Approx(1.0 + 1.0 + 0.75 + 0.5 + 10 * 0.1));
  scoring::ScoringOptions o;
  o.echo = *scoring::parse_echo_weights("repost=2,like=0");
  const auto r2 = rank(b.build(), "ski", o);
  CHECK(find(r2, a)->echo.reactions == doctest::Approx(2.0 + 1.0 + 0.75 + 0.5));
}

TEST_CASE("a reaction is counted once: the larger of declared and observed") {
  test::CorpusBuilder b;
  const auto a = b.account("a"), u = b.account("u"), v = b.account("v");
  const auto p = b.post(a, "ski");
  b.post(u, "", PostType::repost, p);
  b.post(v, "", PostType::repost, p);
  b.c.posts.mut(p).reposts = 1;  // the platform says 1, the corpus shows 2
  b.post(u, "agreed @a", PostType::reply, p);
  b.mentions(static_cast<std::uint32_t>(b.c.posts.size() - 1), {a});  // a reply naming its parent's author: one reaction
  const auto r = rank(b.build());
  const auto* s = find(r, a);
  CHECK(s->echo.reposts == 2);
  CHECK(s->echo.replies == 1);
  CHECK(s->echo.mentions == 0);
  b.c.posts.mut(p).reposts = 7;  // now the platform knows more
  CHECK(find(rank(b.build()), a)->echo.reposts == 7);
}

TEST_CASE("self-reactions are not echo") {
  test::CorpusBuilder b;
  const auto a = b.account("a");
  const auto p = b.post(a, "ski");
  b.post(a, "", PostType::repost, p);
  b.post(a, "ski thread 2/2", PostType::reply, p);
  CHECK(find(rank(b.build()), a)->echo.reactions == 0);
}

TEST_CASE("share of voice counts reposts at half weight and mentions; focus is topic over all") {
  test::CorpusBuilder b;
  const auto a = b.account("a"), u = b.account("u");
  const auto p = b.post(u, "ski");
  b.post(a, "ski");
  b.post(a, "", PostType::repost, p);
  b.post(a, "cooking");
  b.post(a, "cycling");
  b.post(u, "ski with @a");
  b.mentions(static_cast<std::uint32_t>(b.c.posts.size() - 1), {a});
  const auto r = rank(b.build());
  const auto* s = find(r, a);
  CHECK(s->voice.originals == 1);
  CHECK(s->voice.reposts == 1);
  CHECK(s->voice.mentions == 1);
  CHECK(s->voice.voice == doctest::Approx(2.5));
  CHECK(s->voice.focus == doctest::Approx(0.5));
  CHECK(s->voice.value == doctest::Approx(2.5 / r.total_voice));
  CHECK(r.total_voice == doctest::Approx(2.5 + 2.0));
}

TEST_CASE("exposure: the larger of declared and graph followers, summed per person; topical audience") {
  test::CorpusBuilder b;
  const auto a = b.account("a", 100, "alice"), a2 = b.account("a2", 50, "alice"), f1 = b.account("f1"),
             f2 = b.account("f2"), f3 = b.account("f3");
  for (auto f : {f1, f2, f3}) b.follow(f, a2);
  b.post(a, "ski");
  b.post(a2, "ski");
  b.post(f1, "ski");
  b.post(f2, "soup");
  const auto r = rank(b.build());
  CHECK(find(r, a2)->exposure.graph_followers == 3);
  CHECK(find(r, a)->exposure.audience == 150);  // 100 + max(50, 3)
  CHECK(find(r, a2)->exposure.audience == 150);
  CHECK(find(r, a2)->exposure.topical_audience == 1);
  CHECK(find(r, a)->exposure.person_accounts == 2);
}

TEST_CASE("tiers at their edges") {
  CHECK(std::string(scoring::tier_of(9'999)) == "nano");
  CHECK(std::string(scoring::tier_of(10'000)) == "micro");
  CHECK(std::string(scoring::tier_of(99'999)) == "micro");
  CHECK(std::string(scoring::tier_of(100'000)) == "macro");
  CHECK(std::string(scoring::tier_of(999'999)) == "macro");
  CHECK(std::string(scoring::tier_of(1'000'000)) == "mega");
}

TEST_CASE("percentiles: mid-rank for ties, zero stays zero") {
  const auto p = scoring::percentile_ranks({0, 10, 10, 40});
  CHECK(p[0] == 0);
  CHECK(p[1] == doctest::Approx(50));
  CHECK(p[2] == doctest::Approx(50));
  CHECK(p[3] == doctest::Approx(100));
}

TEST_CASE("percentiles: the same as ranking by comparison, on values of every kind") {
  // The reference: sort by value, ties sharing the middle of their ranks.
  const auto reference = [](const std::vector<double>& v) {
    std::vector<std::size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> out(v.size(), 0.0);
    for (std::size_t i = 0; i < idx.size();) {
      std::size_t j = i;
      while (j < idx.size() && v[idx[j]] == v[idx[i]]) ++j;
      const double mid = (static_cast<double>(i) + static_cast<double>(j - 1)) / 2.0;
      const double pct = v.size() == 1 ? 100.0 : 100.0 * mid / static_cast<double>(v.size() - 1);
      for (std::size_t k = i; k < j; ++k) out[idx[k]] = v[idx[k]] > 0 ? pct : 0.0;
      i = j;
    }
    return out;
  };
  std::mt19937_64 rng(42);
  for (int round = 0; round < 40; ++round) {
    CAPTURE(round);
    const std::size_t n = round == 0 ? 1 : 1 + rng() % 5000;
    std::vector<double> v(n);
    for (auto& x : v) {
      switch (rng() % 7) {
        case 0: x = static_cast<double>(rng() % 50); break;              // whole numbers, many ties
        case 1: x = std::ldexp(static_cast<double>(rng() % 1000), -30); break;  // tiny shares
        case 2: x = static_cast<double>(rng()) * 1e-3; break;            // large, spread out
        case 3: x = -static_cast<double>(rng() % 7) / 3.0; break;       // negatives
        case 4: x = rng() % 2 ? 0.0 : -0.0; break;                       // both zeros tie
        case 5: x = 1.0 + std::ldexp(static_cast<double>(rng() % 4096), -52); break;  // the last bits apart
        default: x = std::ldexp(1.0, static_cast<int>(rng() % 200) - 100);
      }
    }
    CHECK(scoring::percentile_ranks(v) == reference(v));
  }
}

TEST_CASE("weights: defaults from the survey, overrides re-normalised") {
  const auto d = scoring::normalised({});
  CHECK(d.echo == doctest::Approx(0.37));
  auto w = scoring::parse_weights("echo=2,exposure=1,sov=1");
  REQUIRE(w);
  CHECK(w->echo == doctest::Approx(0.5));
  CHECK(w->sov == doctest::Approx(0.25));
  CHECK_FALSE(scoring::parse_weights("echo=x"));
  CHECK_FALSE(scoring::parse_weights("reach=1"));
  CHECK_FALSE(scoring::parse_weights("echo=0,exposure=0,sov=0"));
  CHECK_FALSE(scoring::parse_weights("echo=-1"));
}

TEST_CASE("ties are broken by echo, then handle") {
  test::CorpusBuilder b;
  const auto z = b.account("zed"), a = b.account("amy");
  b.post(z, "ski");
  b.post(a, "ski");
  const auto r = rank(b.build());
  REQUIRE(r.accounts.size() == 2);
  CHECK(r.accounts[0].score == r.accounts[1].score);
  CHECK(r.accounts[0].account == a);
  CHECK(r.accounts[1].rank == 2);
}

TEST_CASE("a ranking cut at its first rows is the head of the whole ranking, ties included") {
  // Groups of equal scores and echo, handles alike in their first eight
  // bytes, and two accounts with the same handle (told apart by id): every
  // tie-break is needed at some cut.
  test::CorpusBuilder b;
  std::vector<std::uint32_t> acc;
  for (int i = 0; i < 30; ++i) acc.push_back(b.account("same-prefix-" + std::to_string(i % 7) + "-" + std::to_string(i), (i % 4) * 1000));
  acc.push_back(b.account("twin-a", 2000));
  acc.push_back(b.account("twin-b", 2000));
  b.c.accounts[acc[30]].handle = b.c.accounts[acc[31]].handle = "twin";
  for (std::size_t i = 0; i < 30; ++i)
    for (std::size_t k = 0; k <= i % 2; ++k) {
      const auto p = b.post(acc[i], "ski " + std::to_string(k));
      if (i % 5 == 0) b.post(acc[i + 1], "", PostType::repost, p);
    }
  b.post(acc[30], "ski");
  b.post(acc[31], "ski");
  const auto c = b.build();
  const auto whole = rank(c);
  REQUIRE(whole.accounts.size() == acc.size());
  CHECK(whole.candidates == acc.size());
  for (std::size_t keep = 1; keep <= acc.size() + 1; ++keep) {
    CAPTURE(keep);
    scoring::ScoringOptions o;
    o.rows = keep;
    const auto cut = rank(c, "ski", o);
    CHECK(cut.candidates == whole.candidates);
    REQUIRE(cut.accounts.size() == std::min(keep, acc.size()));
    for (std::size_t i = 0; i < cut.accounts.size(); ++i) {
      CAPTURE(i);
      const auto &x = whole.accounts[i], &y = cut.accounts[i];
      CHECK(y.account == x.account);
      CHECK(y.rank == i + 1);
      CHECK(y.score == x.score);
      CHECK(y.echo_norm == x.echo_norm);
      CHECK(y.exposure_norm == x.exposure_norm);
      CHECK(y.sov_norm == x.sov_norm);
      CHECK(std::string(y.tier) == x.tier);
      CHECK(y.top_posts.size() == x.top_posts.size());
    }
  }
  // The cut falls inside groups of equal scores.
  std::size_t tied = 0;
  for (std::size_t i = 1; i < whole.accounts.size(); ++i) tied += whole.accounts[i].score == whole.accounts[i - 1].score;
  CHECK(tied > 10);
  // The twins: equal in all but their ids.
  const auto* twin_a = find(whole, acc[30]);
  const auto* twin_b = find(whole, acc[31]);
  REQUIRE(twin_a);
  REQUIRE(twin_b);
  CHECK(twin_a->score == twin_b->score);
  CHECK(twin_b->rank == twin_a->rank + 1);
}

TEST_CASE("properties: off-topic posts change nothing; scaling counts keeps the order") {
  test::CorpusBuilder b;
  std::vector<std::uint32_t> acc;
  for (int i = 0; i < 6; ++i) acc.push_back(b.account("u" + std::to_string(i), 10 * (i + 1) * (i + 1)));
  for (int i = 0; i < 6; ++i)
    for (int k = 0; k <= i % 3; ++k) {
      const auto p = b.post(acc[i], "ski " + std::to_string(k));
      b.c.posts.mut(p).likes = (i * 7 + k) % 5;
      b.c.posts.mut(p).reposts = (i + k) % 3;
      if (i > 0) b.post(acc[i - 1], "", PostType::repost, p);
    }
  const auto base = b.build();
  const auto r1 = rank(base);
  auto with_noise = b;
  with_noise.post(acc[2], "a soup recipe");  // off-topic, and the author already had posts...
  with_noise.post(acc[2], "more soup");
  auto r2 = rank(with_noise.build());
  REQUIRE(r1.accounts.size() == r2.accounts.size());
  for (std::size_t i = 0; i < r1.accounts.size(); ++i) {
    CHECK(r1.accounts[i].account == r2.accounts[i].account);
    CHECK(r1.accounts[i].score == r2.accounts[i].score);
  }
  CHECK(find(r2, acc[2])->voice.focus < find(r1, acc[2])->voice.focus);  // only focus moves

  // Scaling: on a corpus whose reactions are all declared counters, so that
  // every count scales (observed reactions cannot be multiplied).
  test::CorpusBuilder d;
  for (int i = 0; i < 6; ++i) d.account("u" + std::to_string(i), 10 * (i + 1) * (i + 1));
  for (int i = 0; i < 6; ++i)
    for (int k = 0; k <= i % 3; ++k) {
      const auto p = d.post(static_cast<std::uint32_t>(i), "ski " + std::to_string(k));
      d.c.posts.mut(p).likes = (i * 7 + k) % 5;
      d.c.posts.mut(p).reposts = (i + k) % 3;
      d.mentions(p, {static_cast<std::uint32_t>((i + 1) % 6)});
    }
  const auto declared = d.build();
  const auto r4 = rank(declared);
  auto scaled = declared;
  for (std::size_t i = 0; i < scaled.posts.size(); ++i) {
    auto& p = scaled.posts.mut(i);
    if (p.likes) p.likes = *p.likes * 10;
    if (p.reposts) p.reposts = *p.reposts * 10;
  }
  for (auto& a : scaled.accounts) a.followers = *a.followers * 10;
  const auto r3 = rank(scaled);
  REQUIRE(r3.accounts.size() == r4.accounts.size());
  for (std::size_t i = 0; i < r4.accounts.size(); ++i) CHECK(r4.accounts[i].account == r3.accounts[i].account);
}

TEST_CASE("the window: posts outside it are ignored, and their authors vanish") {
  test::CorpusBuilder b;
  const auto in = b.account("in"), out = b.account("out");
  b.post(in, "ski", PostType::original, lib::no_index, 500);
  const auto old = b.post(out, "ski", PostType::original, lib::no_index, 5);
  b.c.posts.mut(old).in_window = false;  // loaded only as a parent, as the store does
  const auto r = rank(b.build());
  CHECK(find(r, in));
  CHECK_FALSE(find(r, out));
}

TEST_CASE("the ski fixtures: engaged ambassadors and a focused blogger beat a celebrity; spam stays low") {
  const std::filesystem::path fx = std::filesystem::path(INFLUENCE_SOURCE_DIR) / "fixtures" / "ski";
  test::TempDir dir;
  auto store = lib::open_sqlite_store(dir.file("ski.db"), lib::OpenMode::read_write);
  REQUIRE(store);
  auto imported = lib::import_inputs(**store, {(fx / "accounts.csv").string(), (fx / "posts.jsonl").string(),
                                               (fx / "follows.csv").string()}, {});
  REQUIRE(imported);
  auto file = lib::TopicFile::load((fx / "topics").string());
  REQUIRE(file);
  auto m = lib::TopicMatcher::build({*lib::resolve_topic("ski", &*file)}, &*file);
  REQUIRE(m);
  auto corpus = (*store)->load_corpus({0, *lib::parse_rfc3339("2026-02-16"), {}});
  REQUIRE(corpus);
  const auto r = scoring::score_topic(*corpus, *m, {});
  std::size_t best_celebrity = SIZE_MAX, best_spam = SIZE_MAX, blogger = SIZE_MAX, ambassadors_above = 0;
  for (const auto& s : r.accounts) {
    const auto& a = corpus->accounts[s.account];
    if (a.kind == "celebrity") best_celebrity = std::min(best_celebrity, s.rank);
    if (a.kind == "spam") best_spam = std::min(best_spam, s.rank);
    if (a.handle.starts_with("@poudreuse.carnet@")) blogger = s.rank;
  }
  for (const auto& s : r.accounts)
    if (corpus->accounts[s.account].kind == "employee" && s.rank < best_celebrity) ++ambassadors_above;
  CHECK(blogger < best_celebrity);
  CHECK(ambassadors_above >= 8);
  CHECK(best_spam > 20);
  CHECK(r.accounts.front().score > 80);

  // Asking for no top posts, echoers or topical audience (as rank does)
  // changes no score.
  scoring::ScoringOptions bare;
  bare.top_posts = 0;
  bare.top_echoers = 0;
  bare.topical_audience = false;
  const auto b = scoring::score_topic(*corpus, *m, bare);
  REQUIRE(b.accounts.size() == r.accounts.size());
  std::size_t explained = 0;
  for (std::size_t i = 0; i < r.accounts.size(); ++i) {
    CAPTURE(i);
    const auto &x = r.accounts[i], &y = b.accounts[i];
    CHECK(x.account == y.account);
    CHECK(x.score == y.score);
    CHECK(x.echo.value == y.echo.value);
    CHECK(x.echo.pagerank == y.echo.pagerank);
    CHECK(y.top_posts.empty());
    CHECK(y.top_echoers.empty());
    CHECK(y.exposure.topical_audience == 0);
    explained += !x.top_posts.empty() && !x.top_echoers.empty() && x.exposure.topical_audience > 0;
  }
  CHECK(explained > 10);
  // Scored, the topical audience is found whatever was asked.
  bare.exposure = scoring::ExposureMode::topical;
  scoring::ScoringOptions topical;
  topical.exposure = scoring::ExposureMode::topical;
  const auto t1 = scoring::score_topic(*corpus, *m, topical), t2 = scoring::score_topic(*corpus, *m, bare);
  REQUIRE(t1.accounts.size() == t2.accounts.size());
  for (std::size_t i = 0; i < t1.accounts.size(); ++i) {
    CAPTURE(i);
    CHECK(t1.accounts[i].account == t2.accounts[i].account);
    CHECK(t1.accounts[i].exposure.topical_audience == t2.accounts[i].exposure.topical_audience);
  }
  CHECK(t1.accounts.front().exposure.topical_audience > 0);
}

TEST_CASE("classifying on two threads gives the view of one thread") {
  const std::filesystem::path fx = std::filesystem::path(INFLUENCE_SOURCE_DIR) / "fixtures" / "ski";
  test::TempDir dir;
  auto store = lib::open_sqlite_store(dir.file("ski.db"), lib::OpenMode::read_write);
  REQUIRE(store);
  REQUIRE(lib::import_inputs(**store, {(fx / "accounts.csv").string(), (fx / "posts.jsonl").string()}, {}));
  auto file = lib::TopicFile::load((fx / "topics").string());
  REQUIRE(file);
  auto corpus = (*store)->load_corpus({INT64_MIN, INT64_MAX, {}});
  REQUIRE(corpus);
  std::size_t matched = 0;
  for (const auto& topic : file->topics()) {
    CAPTURE(topic.name);
    auto one = lib::TopicMatcher::build({topic}, &*file), two = lib::TopicMatcher::build({topic}, &*file);
    REQUIRE(one);
    REQUIRE(two);
    const auto a = scoring::classify(*corpus, *one, 1), b = scoring::classify(*corpus, *two, 2);
    CHECK(a.topic == b.topic);
    CHECK(a.topic_posts_by_author == b.topic_posts_by_author);
    CHECK(a.topic_posts == b.topic_posts);
    CHECK(a.reacted_to == b.reacted_to);
    // The clone's caches are its own: the original goes on matching alike.
    const auto again = scoring::classify(*corpus, *two, 1);
    CHECK(again.topic == a.topic);
    matched += a.topic_posts;
  }
  CHECK(matched > 100);
}
