#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "lib/bluesky.hpp"
#include "lib/mastodon.hpp"
#include "lib/twitter.hpp"
#include "lib/utf8.hpp"

using namespace influence::lib;

namespace {

std::string fixture(const std::string& rel) {
  std::ifstream in(std::string(INFLUENCE_SOURCE_DIR) + "/fixtures/fetch/" + rel);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const Post* find_post(const Batch& b, const std::string& id) {
  for (const auto& p : b.posts)
    if (p.id == id) return &p;
  return nullptr;
}

const Account* find_account(const Batch& b, const std::string& id) {
  for (const auto& a : b.accounts)
    if (a.id == id) return &a;
  return nullptr;
}

}  // namespace

TEST_CASE("Mastodon accounts: local ones take their profile's domain") {
  CHECK(mastodon_account_id("alice", "https://piaille.fr/@alice", "mastodon.social") == "mastodon:@alice@piaille.fr");
  CHECK(mastodon_account_id("bob@mamot.fr", "https://mamot.fr/@bob", "piaille.fr") == "mastodon:@bob@mamot.fr");
  CHECK(mastodon_account_id("carol", "", "piaille.fr") == "mastodon:@carol@piaille.fr");
}

TEST_CASE("Mastodon statuses: reblogs, replies, quotes, counters") {
  MastodonPage page{"piaille.fr", 1'770'000'000, "page-1", {}};
  auto p1 = mastodon_statuses(fixture("mastodon/tag-ski-1.json"), page);
  REQUIRE(p1);
  CHECK(p1->items == 3);
  CHECK(p1->batch.posts.size() == 3);  // the reblogged original is also on the page
  const Post* reblog = find_post(p1->batch, "mastodon:piaille.fr/115000000000000003");
  REQUIRE(reblog);
  CHECK(reblog->repost_of == "mastodon:piaille.fr/115000000000000001");
  CHECK(reblog->text.empty());
  CHECK_FALSE(reblog->likes);
  const Post* reply = find_post(p1->batch, "mastodon:piaille.fr/115000000000000002");
  REQUIRE(reply);
  CHECK(reply->reply_to == "mastodon:piaille.fr/115000000000000001");
  CHECK(reply->reply_to_author == "mastodon:@valneige@piaille.fr");  // through the mention's id
  CHECK(reply->text == "@valneige Les cours du matin sont complets 🎿 #ski");
  const Post* original = find_post(p1->batch, "mastodon:piaille.fr/115000000000000001");
  REQUIRE(original);
  CHECK(original->likes == 45);
  CHECK(original->reposts == 12);
  CHECK(original->replies == 3);
  CHECK(original->hashtags == std::vector<std::string>{"ski", "poudreuse"});
  CHECK(original->observed_at == 1'770'000'000);
  const Account* tom = find_account(p1->batch, "mastodon:@tomfreeride@mastodon.social");
  REQUIRE(tom);
  CHECK(tom->followers == 4100);
  CHECK(tom->bio == "Freeride, splitboard & avalanche safety");

  auto p2 = mastodon_statuses(fixture("mastodon/tag-ski-2.json"), page);
  REQUIRE(p2);
  const Post* quote = find_post(p2->batch, "mastodon:piaille.fr/115000000000000005");
  REQUIRE(quote);
  CHECK(quote->quote_of == "mastodon:piaille.fr/115000000000000004");
  const Post* cw = find_post(p2->batch, "mastodon:piaille.fr/115000000000000004");
  REQUIRE(cw);
  CHECK(cw->text.starts_with("avalanche\n"));  // the content warning is part of the text
  CHECK(find_account(p2->batch, "mastodon:@snowreport@botsin.space")->kind == "bot");
}

TEST_CASE("Mastodon --since leaves out older statuses and reports the oldest") {
  MastodonPage page{"piaille.fr", 0, "p", parse_rfc3339("2026-02-09T00:00:00Z")};
  auto p2 = mastodon_statuses(fixture("mastodon/tag-ski-2.json"), page);
  REQUIRE(p2);
  CHECK(p2->items == 2);
  CHECK(p2->oldest == parse_rfc3339("2026-02-08T06:00:00Z"));
  CHECK_FALSE(find_post(p2->batch, "mastodon:piaille.fr/115000000000000006"));
}

TEST_CASE("Mastodon follower pages become edges to the subject") {
  MastodonPage page{"piaille.fr", 0, "p", {}};
  auto f = mastodon_follow_page(fixture("mastodon/followers-valneige-1.json"), page, "mastodon:@valneige@piaille.fr", false);
  REQUIRE(f);
  REQUIRE(f->batch.follows.size() == 4);
  for (const auto& e : f->batch.follows) CHECK(e.followee == "mastodon:@valneige@piaille.fr");
  auto g = mastodon_follow_page(fixture("mastodon/followers-valneige-1.json"), page, "mastodon:@x@y.z", true);
  REQUIRE(g);
  for (const auto& e : g->batch.follows) CHECK(e.follower == "mastodon:@x@y.z");
}

TEST_CASE("Mastodon errors name the source and the field") {
  MastodonPage page{"piaille.fr", 0, "https://piaille.fr/api/v1/timelines/tag/ski", {}};
  auto bad_json = mastodon_statuses("[{\"id\": ", page);
  REQUIRE_FALSE(bad_json);
  CHECK(bad_json.error().file == page.source);
  CHECK(bad_json.error().message.starts_with("invalid JSON"));
  auto not_array = mastodon_statuses("{\"error\": \"This API requires an authenticated user\"}", page);
  REQUIRE_FALSE(not_array);
  CHECK(not_array.error().message.find("authenticated user") != std::string::npos);
  auto no_date = mastodon_statuses(R"([{"id": "1", "account": {"acct": "a"}}])", page);
  REQUIRE_FALSE(no_date);
  CHECK(no_date.error().field == "[0].created_at");
  auto bad_acct = mastodon_statuses(R"([{"id": "1", "created_at": "2026-01-01T00:00:00Z", "account": {"acct": "a b"}}])", page);
  REQUIRE_FALSE(bad_acct);
  CHECK(bad_acct.error().field == "[0].account.acct");
  // Nesting is bounded: a reblog of a reblog of a reblog is not followed forever.
  std::string deep = R"({"id": "9", "created_at": "2026-01-01T00:00:00Z", "account": {"acct": "a"}})";
  for (int i = 0; i < 50; ++i)
    deep = R"({"id": ")" + std::to_string(i) + R"(", "created_at": "2026-01-01T00:00:00Z", "account": {"acct": "a"}, "reblog": )" + deep + "}";
  auto nested = mastodon_statuses("[" + deep + "]", page);
  REQUIRE(nested);
  CHECK(nested->batch.posts.size() == 3);
}

TEST_CASE("Bluesky author feed: reposts, replies with their parents, quotes, facets") {
  BlueskyPage page{1'770'000'000, "feed", {}};
  auto f = bluesky_feed(fixture("bluesky/feed-valneige-1.json"), page);
  REQUIRE(f);
  CHECK(f->items == 3);
  CHECK(f->cursor == "2026-02-09T09:59:59.000Z");
  const std::string vn = "bluesky:did:plc:valneige7a2bq4xkd3u5tcz";
  const std::string news_post = "bluesky:at://did:plc:alpesnews4b6qz7ktw2xj5cd/app.bsky.feed.post/3lnews004ddd2";
  const Post* repost = find_post(f->batch, vn + "/repost/" + news_post.substr(8));
  REQUIRE(repost);
  CHECK(repost->author == vn);
  CHECK(repost->repost_of == news_post);
  CHECK(repost->created_at == *parse_rfc3339("2026-02-09T18:00:00Z"));
  const Post* reply = find_post(f->batch, "bluesky:at://did:plc:anacoach3m5kdz2sxq7h4wl/app.bsky.feed.post/3lana0003ccc2c");
  REQUIRE(reply);
  CHECK(reply->reply_to == "bluesky:at://did:plc:valneige7a2bq4xkd3u5tcz/app.bsky.feed.post/3lvn0002bbb2b");
  CHECK(reply->reply_to_author == vn);
  const Post* parent = find_post(f->batch, reply->reply_to);  // the parent came with the reply
  REQUIRE(parent);
  CHECK(parent->mentions == std::vector<std::string>{"bluesky:did:plc:anacoach3m5kdz2sxq7h4wl"});
  CHECK(parent->hashtags == std::vector<std::string>{"SkiAlpin"});
  auto f2 = bluesky_feed(fixture("bluesky/feed-valneige-2.json"), page);
  REQUIRE(f2);
  CHECK(f2->cursor.empty());
  const Post* quote = find_post(f2->batch, "bluesky:at://did:plc:valneige7a2bq4xkd3u5tcz/app.bsky.feed.post/3lvn0005eee2e");
  REQUIRE(quote);
  CHECK(quote->quote_of == news_post);
  CHECK(find_post(f2->batch, news_post));  // the quoted post, from the embed view
}

TEST_CASE("Bluesky profiles, followers and search") {
  BlueskyPage page{0, "p", {}};
  auto profile = bluesky_profile(fixture("bluesky/profile-valneige.json"), page);
  REQUIRE(profile);
  CHECK(profile->followers == 5400);
  CHECK(profile->following == 210);
  CHECK(profile->posts == 830);
  CHECK(profile->verified == true);
  auto followers = bluesky_follow_page(fixture("bluesky/followers-valneige-1.json"), page);
  REQUIRE(followers);
  CHECK(followers->batch.follows.size() == 2);
  CHECK(followers->cursor == "3lfollow2");
  auto search = bluesky_search(fixture("bluesky/search-ski-1.json"), page);
  REQUIRE(search);
  CHECK(search->items == 2);
  auto err = bluesky_feed(R"({"error": "InvalidRequest", "message": "Profile not found"})", page);
  REQUIRE_FALSE(err);
  CHECK(err.error().message.find("Profile not found") != std::string::npos);
}

TEST_CASE("Twitter/X: v1.1 dates") {
  CHECK(parse_twitter_time("Wed Oct 10 20:19:24 +0000 2018") == parse_rfc3339("2018-10-10T20:19:24Z"));
  CHECK(parse_twitter_time("Wed Oct 10 22:19:24 +0200 2018") == parse_rfc3339("2018-10-10T20:19:24Z"));
  CHECK_FALSE(parse_twitter_time("Wed Foo 10 20:19:24 +0000 2018"));
  CHECK_FALSE(parse_twitter_time("2018-10-10"));
}

TEST_CASE("Twitter/X: v1.1 lines and v2 responses") {
  std::vector<Batch> tweets;
  std::vector<Error> bad;
  auto keep = [&](Result<Batch> t, std::string_view) -> Result<void> {
    if (t) tweets.push_back(std::move(*t));
    else bad.push_back(t.error());
    return {};
  };
  std::istringstream lines(fixture("twitter/v1.jsonl"));
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) REQUIRE(read_twitter(line, "v1.jsonl", ++n, 0, keep));
  REQUIRE(tweets.size() == 4);
  CHECK(bad.empty());
  const Post* rt = find_post(tweets[2], "twitter:1490000000000000003");
  REQUIRE(rt);
  CHECK(rt->repost_of == "twitter:1490000000000000001");
  CHECK(find_post(tweets[2], "twitter:1490000000000000001"));  // the original comes with it
  const Post* reply = find_post(tweets[1], "twitter:1490000000000000002");
  CHECK(reply->reply_to_author == "twitter:1001");
  const Account* user = find_account(tweets[0], "twitter:1001");
  REQUIRE(user);
  CHECK(user->observed_at == parse_twitter_time("Mon Feb 09 08:00:00 +0000 2026"));  // a snapshot with the tweet

  tweets.clear();
  REQUIRE(read_twitter(fixture("twitter/v2.json"), "v2.json", 1, 42, keep));
  REQUIRE(tweets.size() == 3);
  const Post* first = find_post(tweets[0], "twitter:1491000000000000001");
  REQUIRE(first);
  CHECK(first->views == 1800);
  CHECK(first->observed_at == parse_rfc3339("2026-02-11T00:00:00Z"));  // twarc's retrieved_at
  CHECK(first->mentions == std::vector<std::string>{"twitter:1001"});
  const Post* v2rt = find_post(tweets[2], "twitter:1491000000000000003");
  CHECK(v2rt->repost_of == "twitter:1491000000000000001");
  CHECK(v2rt->text.empty());

  bad.clear();
  REQUIRE(read_twitter(R"([{"id_str": "1", "user": {"id_str": "2"}, "created_at": "soon"}])", "x.json", 3, 0, keep));
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].line == 3);
  CHECK(bad[0].field == "[0].created_at");
  CHECK_FALSE(read_twitter("{\"just\": \"an object\"}", "y.json", 1, 0, keep));
}

TEST_CASE("hashtags that no platform allows (blanks, controls) are dropped, not stored") {
  const char* body = R"({"posts": [{"uri": "at://did:plc:a/app.bsky.feed.post/1", "author": {"did": "did:plc:a", "handle": "a.bsky.social"},
    "record": {"text": "x", "createdAt": "2026-01-01T00:00:00Z", "tags": ["ski", "two words", "", "tab\tbed"],
      "facets": [{"features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "free ride"},
                               {"$type": "app.bsky.richtext.facet#tag", "tag": "freeride"}]}]}}]})";
  auto page = bluesky_search(body, BlueskyPage{0, "p", {}});
  REQUIRE(page);
  REQUIRE(page->batch.posts.size() == 1);
  CHECK(page->batch.posts[0].hashtags == std::vector<std::string>{"freeride", "ski"});
}

TEST_CASE("platform hashtags lose every leading '#', as native ones do") {
  // Found by fuzz_mastodon (a tag named "#ki") and fuzz_bluesky: the mapper kept
  // the '#', which reading the stored post back then stripped.
  const char* statuses = R"([{"id": "1", "created_at": "2026-02-10T09:00:00.000Z", "content": "<p>x</p>",
    "account": {"id": "9", "acct": "valneige", "url": "https://piaille.fr/@valneige"},
    "tags": [{"name": "#ki"}, {"name": "##rando"}, {"name": "#"}, {"name": "poudreuse"}]}])";
  auto m = mastodon_statuses(statuses, MastodonPage{"piaille.fr", 1'770'000'000, "p", {}});
  REQUIRE(m);
  REQUIRE(m->batch.posts.size() == 1);
  CHECK(m->batch.posts[0].hashtags == std::vector<std::string>{"ki", "rando", "poudreuse"});
  const char* feed = R"({"posts": [{"uri": "at://did:plc:a/app.bsky.feed.post/1", "author": {"did": "did:plc:a", "handle": "a.bsky.social"},
    "record": {"text": "x", "createdAt": "2026-01-01T00:00:00Z", "tags": ["#ski", "##"],
      "facets": [{"features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "##freeride"}]}]}}]})";
  auto b = bluesky_search(feed, BlueskyPage{0, "p", {}});
  REQUIRE(b);
  REQUIRE(b->batch.posts.size() == 1);
  CHECK(b->batch.posts[0].hashtags == std::vector<std::string>{"freeride", "ski"});
}

TEST_CASE("escapes that unescape to no text (\\u0000, a lone surrogate) never reach the store") {
  // Found by fuzz_bluesky and fuzz_mastodon: the raw body was valid UTF-8, the
  // unescaped string was not text.
  const char* body = R"({"posts": [{"uri": "at://did:plc:a/app.bsky.feed.post/1",
    "author": {"did": "did:plc:a", "handle": "a.bsky.social", "displayName": "Val\u0000neige", "description": "bio\u0000"},
    "record": {"text": "ski\u0000 de rando \udcbd", "createdAt": "2026-01-01T00:00:00Z"}}]})";
  auto page = bluesky_search(body, BlueskyPage{0, "p", {}});
  REQUIRE(page);
  REQUIRE(page->batch.accounts.size() == 1);
  CHECK(page->batch.accounts[0].display_name == "Valneige");
  CHECK(page->batch.accounts[0].bio == "bio");
  REQUIRE(page->batch.posts.size() == 1);
  CHECK(page->batch.posts[0].text == "ski de rando \xEF\xBF\xBD");
}

TEST_CASE("a follower list that names its own subject gives no self-follow") {
  const char* body = R"({"subject": {"did": "did:plc:s", "handle": "s.bsky.social"},
    "followers": [{"did": "did:plc:a", "handle": "a.bsky.social"}, {"did": "did:plc:s", "handle": "s.bsky.social"}]})";
  auto page = bluesky_follow_page(body, BlueskyPage{0, "p", {}});
  REQUIRE(page);
  REQUIRE(page->batch.follows.size() == 1);
  CHECK(page->batch.follows[0].follower == "bluesky:did:plc:a");
  CHECK(page->batch.follows[0].followee == "bluesky:did:plc:s");
}

TEST_CASE("find_invalid_utf8 gives the first bad byte wherever it falls among ASCII") {
  // ASCII is skipped eight bytes at a time: a bad byte at every offset of
  // those words, and valid sequences across their edges.
  const std::string_view bad[] = {"\xFF", std::string_view("\0", 1), "\xC0\xAF", "\xED\xA0\x80", "\xE2\x82"};
  for (std::size_t k = 0; k < 20; ++k) {
    const std::string before(k, 'a');
    for (const auto b : bad) {
      CHECK(find_invalid_utf8(before + std::string(b) + "bcdefghijklmnop") == k);
      CHECK(find_invalid_utf8(before + "\xC3\xA9" + std::string(b)) == k + 2);
    }
    CHECK(find_invalid_utf8(before + "\xC3\xA9t\xC3\xA9 \xF0\x9F\x8F\x82 ski") == std::string_view::npos);
    CHECK(find_invalid_utf8(before) == std::string_view::npos);
  }
}

TEST_CASE("valid_utf8 drops NULs and replaces each invalid sequence once") {
  CHECK(valid_utf8("ok") == "ok");
  CHECK(valid_utf8(std::string_view("a\0b", 3)) == "ab");
  CHECK(valid_utf8("x\xED\xB6\xBDy") == "x\xEF\xBF\xBDy");
  CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD");
  CHECK(valid_utf8("\xFF") == "\xEF\xBF\xBD");
  CHECK(find_invalid_utf8(valid_utf8("\xE2\x82")) == std::string_view::npos);
}
