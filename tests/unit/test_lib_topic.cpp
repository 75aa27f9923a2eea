#include <doctest/doctest.h>

#include "helpers.hpp"
#include "lib/corpus.hpp"
#include "lib/terms.hpp"
#include "lib/text_fold.hpp"
#include "lib/topic.hpp"

using namespace influence::lib;

namespace {

bool adhoc(const std::string& spec, const std::string& text, std::vector<std::string> tags = {}) {
  auto t = resolve_topic(spec, nullptr);
  REQUIRE(t);
  auto m = TopicMatcher::build({*t}, nullptr);
  REQUIRE(m);
  return m->matches(text, tags, "");
}

}  // namespace

TEST_CASE("folding ignores case, accents and width") {
  CHECK(fold("Télémark") == "telemark");
  CHECK(fold("ＴＥＬＥＭＡＲＫ") == "telemark");
  CHECK(fold("SKI") == "ski");
  CHECK(adhoc("telemark", "Initiation au Télémark"));
  CHECK(adhoc("Télémark", "TELEMARK all day"));
  CHECK(adhoc("telemark", "ＴＥＬＥＭＡＲＫ"));
}

TEST_CASE("an ad hoc word matches its French and English inflections, not other words") {
  CHECK(adhoc("ski", "New skis arrived"));
  CHECK(adhoc("ski", "Skiing today"));
  CHECK(adhoc("ski", "On va skier demain"));
  CHECK(adhoc("ski", "#ski"));
  CHECK_FALSE(adhoc("ski", "New skills at the gym"));
  CHECK_FALSE(adhoc("ski", "Skip the queue"));
  CHECK_FALSE(adhoc("ski", "https://ski.example/promo"));
  CHECK_FALSE(adhoc("ski", "thanks @ski_club"));
}

TEST_CASE("camel-case hashtags split into words, in the text and in the hashtag list") {
  CHECK(adhoc("ski", "Quelle journée #SkiAlpin"));
  CHECK(adhoc("alpin", "#SkiAlpin"));
  CHECK(adhoc("ski", "no tag in the text", {"SkiAlpin"}));
  CHECK(adhoc("#skialpin", "#SkiAlpin"));
  CHECK_FALSE(adhoc("#ski", "#SkiAlpin"));  // a hashtag term is the whole hashtag
  CHECK(adhoc("\"ski alpin\"", "#SkiAlpin"));
}

TEST_CASE("tokenizing into the same Tokens post after post gives each post's own tokens") {
  // Longer first, so that a second post's tokens would sit among the first's
  // leftovers if they were not cleared.
  const std::vector<std::pair<std::string, std::vector<std::string>>> posts = {
      {"Quelle journée de #SkiAlpin à Chamonix, https://x.example @guide #poudreuse", {"ski", "#Hiver"}},
      {"Skiing", {}},
      {"", {"montagne"}},
      {"Deux mots", {}},
  };
  Tokens reused;
  for (const auto& [text, tags] : posts) {
    CAPTURE(text);
    tokenize(text, tags, reused);
    const Tokens fresh = tokenize(text, tags);
    CHECK(reused.words == fresh.words);
    CHECK(reused.hashtags == fresh.hashtags);
  }
  CHECK(reused.words == std::vector<std::string>{"deux", "mots"});
  CHECK(reused.hashtags.empty());
}

TEST_CASE("phrases, prefixes and exclusions from a topics file") {
  auto file = TopicFile::parse(
      "# winter sports\n"
      "[ski]\n"
      "ski\n"
      "\"hors piste\"\n"
      "freerid*\n"
      "-\"jet ski\"\n"
      "include: board\n"
      "[board]\n"
      "snowboard\n"
      "[french]\n"
      "lang: fr\n"
      "ski\n",
      "topics");
  REQUIRE(file);
  auto ski = resolve_topic("ski", &*file);
  REQUIRE(ski);
  auto m = TopicMatcher::build({*ski}, &*file);
  REQUIRE(m);
  CHECK(m->matches("Une sortie hors-piste", {}, "fr"));
  CHECK_FALSE(m->matches("hors de la piste", {}, "fr"));
  CHECK(m->matches("Freeriding is life", {}, "en"));
  CHECK(m->matches("new snowboards!", {}, "en"));
  CHECK_FALSE(m->matches("Jet ski à la plage", {}, "fr"));
  auto fr = TopicMatcher::build({*resolve_topic("french", &*file)}, &*file);
  CHECK(fr->matches("ski", {}, "fr"));
  CHECK_FALSE(fr->matches("ski", {}, "en"));
  CHECK(fr->matches("ski", {}, ""));  // posts of unknown language are kept
}

TEST_CASE("topics file errors name the line") {
  auto bad = TopicFile::parse("[ski]\nski\n\"open phrase\n", "t");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().line == 3);
  auto cycle = TopicFile::parse("[a]\nx\ninclude: b\n[b]\ny\ninclude: a\n", "t");
  REQUIRE(cycle);
  CHECK_FALSE(TopicMatcher::build({*resolve_topic("a", &*cycle)}, &*cycle));
  CHECK_FALSE(TopicFile::parse("[a]\ninclude: nope\n", "t"));
  CHECK_FALSE(TopicFile::parse("ski\n", "t"));
}

TEST_CASE("matching a corpus post by its term ids agrees with matching its text") {
  // The corpus path decides most posts from one byte per vocabulary term
  // (a word or hashtag that makes a topic with no exclusion and no language
  // match alone); every other case goes through the whole match.
  auto file = TopicFile::parse(
      "[tags]\n#powder\n"
      "[words]\nskieu*\nneige\n"
      "[guarded]\nski\n-\"jet ski\"\n"
      "[french]\nlang: fr\nraclette\n"
      "[phrase]\n\"hors piste\"\n",
      "topics");
  REQUIRE(file);
  const std::vector<std::pair<std::string, std::string>> posts{
      {"powder day", "en"},     {"#powder day", "en"},   {"#PowderDay", "en"},     {"skieurs heureux", "fr"},
      {"la neige tombe", "fr"}, {"#neige", "en"},        {"jet ski", "en"},        {"ski all day", "en"},
      {"jet ski then ski", "en"}, {"raclette", "en"},    {"raclette", "fr"},       {"raclette", ""},
      {"hors piste", "fr"},     {"piste hors", "fr"},    {"nothing here", "en"},   {"#jet #ski", "en"},
      {"#skieur", "en"},        {"neige jet ski", "en"}, {"", "en"}};
  Corpus c;
  c.accounts.emplace_back();
  {
    CorpusBuilder b(c);
    for (std::size_t i = 0; i < posts.size(); ++i) {
      CorpusPost p;
      p.author = 0;
      const std::string id = "p" + std::to_string(i);
      b.add_post(p, {id, posts[i].first, "", posts[i].second, nullptr}, {});
    }
    b.finish();
  }
  std::vector<Topic> all;
  for (const auto& t : file->topics()) all.push_back(t);
  std::vector<std::vector<Topic>> sets{all};
  for (const auto& t : all) sets.push_back({t});
  std::size_t matched = 0;
  for (const auto& set : sets) {
    CAPTURE(set.size());
    CAPTURE(set.front().name);
    auto by_ids = TopicMatcher::build(set, &*file), by_text = TopicMatcher::build(set, &*file);
    REQUIRE(by_ids);
    REQUIRE(by_text);
    for (std::size_t i = 0; i < posts.size(); ++i) {
      CAPTURE(posts[i].first);
      const bool a = by_ids->matches(c, i);
      CHECK(a == by_text->matches(posts[i].first, {}, posts[i].second));
      matched += a;
    }
  }
  CHECK(matched > 15);
  auto tags = TopicMatcher::build({*resolve_topic("tags", &*file)}, &*file);
  CHECK_FALSE(tags->matches(c, 0));  // "powder" as a word is not the hashtag
  CHECK(tags->matches(c, 1));
  auto guarded = TopicMatcher::build({*resolve_topic("guarded", &*file)}, &*file);
  CHECK_FALSE(guarded->matches(c, 6));
  CHECK(guarded->matches(c, 7));
}

TEST_CASE("top terms count a term once a post and each author once, reposts and posts outside the window left out") {
  test::CorpusBuilder b;
  const auto ana = b.account("ana"), bob = b.account("bob"), cy = b.account("cy");
  b.post(ana, "#Ski wax powder powder the 2026 ok");  // 0: powder once; a stopword, a number, a short word
  b.post(ana, "#ski powder lift");                    // 1
  b.post(bob, "#SKI lift wax");                       // 2
  b.post(cy, "powder wax", PostType::repost);         // 3: a repost says nothing new
  const auto outside = b.post(cy, "#ski lift wax");   // 4: outside the window
  b.post(bob, "#snow lift wax");                      // 5
  b.post(cy, "#snow powder wax");                     // 6
  b.post(ana, "wax");                                 // 7: ana again, after bob and cy
  auto c = b.build();
  c.posts.mut(outside).in_window = 0;
  const auto terms = top_terms(c, 5, 3);
  std::vector<std::string> got;
  for (const auto& t : terms)
    got.push_back((t.hashtag ? "#" : "") + t.term + " " + std::to_string(t.posts) + " " + std::to_string(t.authors));
  // Words by posts, then authors, then the term: lift and powder tie on both.
  CHECK(got == std::vector<std::string>{"#ski 3 2", "#snow 2 2", "wax 5 3", "lift 3 2", "powder 3 2"});
}

TEST_CASE("terms interned a group at a time get the ids interned one by one gives") {
  // Groups of sixteen: new terms, terms new earlier in the same group, terms
  // the vocabulary had, across the groups' edges and a growth of its index.
  std::vector<std::string> words{"dup", "dup", "ski", "fresh", "dup"};
  for (int i = 0; i < 300; ++i) {
    words.push_back("w" + std::to_string(i * 7 % 53));
    if (i % 5 == 0) words.push_back("new" + std::to_string(i));
    if (i % 11 == 0) words.push_back("une phrase plus longue que seize octets " + std::to_string(i % 4));
  }
  Vocabulary one, all;
  for (auto* v : {&one, &all})
    for (const char* t : {"w3", "ski", "w10"}) v->intern(t);
  std::vector<std::uint32_t> ids_one, ids_all{99};  // appended after what is there
  for (const auto& w : words) ids_one.push_back(one.intern(w));
  all.intern_all(words, ids_all);
  REQUIRE(ids_all.size() == words.size() + 1);
  CHECK(ids_all[0] == 99);
  CHECK(std::vector<std::uint32_t>(ids_all.begin() + 1, ids_all.end()) == ids_one);
  CHECK(all.terms == one.terms);
  CHECK(ids_one[0] == 3);  // "dup", new after the three
  CHECK(ids_one[1] == 3);
}
