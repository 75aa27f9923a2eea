#include "lib/twitter.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <charconv>
#include <map>

#include "lib/json_dom.hpp"
#include "lib/strings.hpp"

namespace influence::lib {
namespace {

using json::Value;

std::string serialise(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

bool is_v1_tweet(const Value& v) {
  return v.IsObject() && json::object(v, "user") && (json::member(v, "id_str") || json::member(v, "id"));
}

// ---- API v1.1 -------------------------------------------------------------

Result<Account> v1_user(const Value& u, const std::string& at, std::optional<Timestamp> observed,
                        const json::Where& where) {
  auto id = json::required_id(u, "id_str", "twitter:", at, where);
  if (!id) id = json::required_id(u, "id", "twitter:", at, where);
  if (!id) return std::unexpected(id.error());
  Account a;
  a.id = *id;
  const std::string screen = json::str(u, "screen_name");
  if (!screen.empty()) {
    a.handle = "@" + screen;
    a.url = "https://x.com/" + screen;
  }
  a.display_name = json::str(u, "name");
  a.bio = json::str(u, "description");
  a.followers = json::count(u, "followers_count");
  a.following = json::count(u, "friends_count");
  a.posts = json::count(u, "statuses_count");
  a.verified = json::boolean(u, "verified");
  a.location = json::str(u, "location");
  a.language = json::str(u, "lang");
  a.created_at = parse_twitter_time(json::str(u, "created_at"));
  a.observed_at = observed;
  return a;
}

Result<std::string> v1_tweet(const Value& t, const std::string& at, const json::Where& where, Batch& out, int depth) {
  auto id = json::required_id(t, "id_str", "twitter:", at, where);
  if (!id) id = json::required_id(t, "id", "twitter:", at, where);
  if (!id) return std::unexpected(id.error());
  const std::string created_text = json::str(t, "created_at");
  auto created = parse_twitter_time(created_text);
  if (!created) created = parse_rfc3339(created_text);
  if (!created)
    return where.bad(json::path(at, "created_at"),
                     created_text.empty() ? "missing" : "cannot parse '" + created_text + "' as a time");
  const Value* user = json::object(t, "user");
  if (!user) return where.bad(json::path(at, "user"), "missing");
  // The user object is a snapshot taken when the tweet was collected, which
  // for streamed data is its creation time.
  auto author = v1_user(*user, json::path(at, "user"), *created, where);
  if (!author) return std::unexpected(author.error());
  Post p;
  p.id = *id;
  p.author = author->id;
  p.created_at = *created;
  p.observed_at = *created;
  if (!author->handle.empty()) p.url = "https://x.com/" + author->handle.substr(1) + "/status/" + id->substr(8);
  out.add(std::move(*author));
  if (const Value* rt = json::object(t, "retweeted_status"); rt && depth < 2) {
    auto original = v1_tweet(*rt, json::path(at, "retweeted_status"), where, out, depth + 1);
    if (!original) return std::unexpected(original.error());
    p.repost_of = *original;
    out.add(std::move(p));
    return *id;
  }
  const Value* ext = json::object(t, "extended_tweet");
  p.text = ext ? json::str(*ext, "full_text") : std::string();
  if (p.text.empty()) p.text = json::str(t, "full_text");
  if (p.text.empty()) p.text = json::str(t, "text");
  p.language = json::str(t, "lang");
  if (p.language == "und") p.language.clear();
  const Value* entities = ext ? json::object(*ext, "entities") : nullptr;
  if (!entities) entities = json::object(t, "entities");
  if (entities) {
    if (const Value* tags = json::array(*entities, "hashtags"))
      for (const auto& h : tags->GetArray())
        if (const auto text = json::str(h, "text"); is_hashtag(bare_hashtag(text))) p.hashtags.emplace_back(bare_hashtag(text));
    if (const Value* mentions = json::array(*entities, "user_mentions"))
      for (const auto& m : mentions->GetArray())
        if (auto mid = json::id_text(m, "id_str"); !mid.empty() && split_identity("twitter:" + mid))
          p.mentions.push_back("twitter:" + mid);
  }
  if (auto parent = json::id_text(t, "in_reply_to_status_id_str"); !parent.empty() && split_identity("twitter:" + parent)) {
    p.reply_to = "twitter:" + parent;
    if (auto who = json::id_text(t, "in_reply_to_user_id_str"); !who.empty() && split_identity("twitter:" + who))
      p.reply_to_author = "twitter:" + who;
  }
  if (const Value* quoted = json::object(t, "quoted_status"); quoted && depth < 2) {
    auto q = v1_tweet(*quoted, json::path(at, "quoted_status"), where, out, depth + 1);
    if (!q) return std::unexpected(q.error());
    p.quote_of = *q;
  } else if (auto qid = json::id_text(t, "quoted_status_id_str"); !qid.empty() && split_identity("twitter:" + qid)) {
    p.quote_of = "twitter:" + qid;
  }
  p.likes = json::count(t, "favorite_count");
  p.reposts = json::count(t, "retweet_count");
  p.replies = json::count(t, "reply_count");
  p.quotes = json::count(t, "quote_count");
  out.add(std::move(p));
  return *id;
}

// ---- API v2 ---------------------------------------------------------------

struct V2Context {
  std::map<std::string, const Value*> users;   // by id
  std::map<std::string, std::string> user_by_name;  // username -> id
  std::map<std::string, const Value*> tweets;  // includes.tweets by id
  Timestamp observed = 0;
};

Result<Account> v2_user(const Value& u, const std::string& at, Timestamp observed, const json::Where& where) {
  auto id = json::required_id(u, "id", "twitter:", at, where);
  if (!id) return std::unexpected(id.error());
  Account a;
  a.id = *id;
  const std::string name = json::str(u, "username");
  if (!name.empty()) {
    a.handle = "@" + name;
    a.url = "https://x.com/" + name;
  }
  a.display_name = json::str(u, "name");
  a.bio = json::str(u, "description");
  if (const Value* m = json::object(u, "public_metrics")) {
    a.followers = json::count(*m, "followers_count");
    a.following = json::count(*m, "following_count");
    a.posts = json::count(*m, "tweet_count");
  }
  a.verified = json::boolean(u, "verified");
  a.location = json::str(u, "location");
  a.created_at = json::optional_time(u, "created_at");
  a.observed_at = observed;
  return a;
}

Result<std::string> v2_tweet(const Value& t, const std::string& at, const V2Context& ctx, const json::Where& where,
                             Batch& out, int depth) {
  if (!t.IsObject()) return where.bad(at, "expected a tweet object");
  auto id = json::required_id(t, "id", "twitter:", at, where);
  if (!id) return std::unexpected(id.error());
  auto created = json::required_time(t, "created_at", at, where);
  if (!created) return std::unexpected(created.error());
  Post p;
  p.id = *id;
  p.created_at = *created;
  p.observed_at = ctx.observed;
  // twarc's flattened form carries the author inline.
  if (const Value* author = json::object(t, "author")) {
    auto a = v2_user(*author, json::path(at, "author"), ctx.observed, where);
    if (!a) return std::unexpected(a.error());
    p.author = a->id;
    out.add(std::move(*a));
  } else {
    auto author_id = json::required_id(t, "author_id", "twitter:", at, where);
    if (!author_id) return std::unexpected(author_id.error());
    p.author = *author_id;
    if (auto it = ctx.users.find(author_id->substr(8)); it != ctx.users.end()) {
      auto a = v2_user(*it->second, "includes.users", ctx.observed, where);
      if (!a) return std::unexpected(a.error());
      out.add(std::move(*a));
    }
  }
  // The author's username, when the response has it, makes the tweet's address.
  for (const auto& a : out.accounts)
    if (a.id == p.author && !a.handle.empty()) p.url = "https://x.com/" + a.handle.substr(1) + "/status/" + id->substr(8);
  const Value* note = json::object(t, "note_tweet");
  p.text = note ? json::str(*note, "text") : std::string();
  if (p.text.empty()) p.text = json::str(t, "text");
  p.language = json::str(t, "lang");
  if (p.language == "und") p.language.clear();
  if (const Value* entities = json::object(t, "entities")) {
    if (const Value* tags = json::array(*entities, "hashtags"))
      for (const auto& h : tags->GetArray())
        if (const auto tag = json::str(h, "tag"); is_hashtag(bare_hashtag(tag))) p.hashtags.emplace_back(bare_hashtag(tag));
    if (const Value* mentions = json::array(*entities, "mentions")) {
      for (const auto& m : mentions->GetArray()) {
        std::string mid = json::id_text(m, "id");
        if (mid.empty())
          if (auto it = ctx.user_by_name.find(json::str(m, "username")); it != ctx.user_by_name.end()) mid = it->second;
        // A mention known only by its username cannot be tied to an account id.
        if (!mid.empty() && split_identity("twitter:" + mid)) p.mentions.push_back("twitter:" + mid);
      }
    }
  }
  if (auto who = json::id_text(t, "in_reply_to_user_id"); !who.empty() && split_identity("twitter:" + who))
    p.reply_to_author = "twitter:" + who;
  bool retweet = false;
  if (const Value* refs = json::array(t, "referenced_tweets")) {
    for (const auto& r : refs->GetArray()) {
      const std::string type = json::str(r, "type");
      const std::string rid = json::id_text(r, "id");
      if (rid.empty() || !split_identity("twitter:" + rid)) continue;
      const std::string ref = "twitter:" + rid;
      if (type == "retweeted") {
        p.repost_of = ref;
        retweet = true;
      } else if (type == "quoted") {
        p.quote_of = ref;
      } else if (type == "replied_to") {
        p.reply_to = ref;
      }
      // The referenced tweet itself, when the response includes it.
      if (auto it = ctx.tweets.find(rid); it != ctx.tweets.end() && depth < 1)
        if (auto r2 = v2_tweet(*it->second, "includes.tweets", ctx, where, out, depth + 1); !r2)
          return std::unexpected(r2.error());
    }
  }
  if (retweet) {
    p.text.clear();  // "RT @x: ..." repeats the original
    p.hashtags.clear();
    p.mentions.clear();
  } else if (const Value* m = json::object(t, "public_metrics")) {
    p.likes = json::count(*m, "like_count");
    p.reposts = json::count(*m, "retweet_count");
    p.replies = json::count(*m, "reply_count");
    p.quotes = json::count(*m, "quote_count");
    p.views = json::count(*m, "impression_count");
  }
  out.add(std::move(p));
  return *id;
}

Result<void> read_v2(const Value& doc, const json::Where& where, Timestamp now, const TweetCallback& each) {
  V2Context ctx;
  ctx.observed = now;
  if (const Value* meta = json::object(doc, "__twarc"))
    if (auto t = json::optional_time(*meta, "retrieved_at")) ctx.observed = *t;
  if (const Value* inc = json::object(doc, "includes")) {
    if (const Value* users = json::array(*inc, "users"))
      for (const auto& u : users->GetArray()) {
        const std::string id = json::id_text(u, "id");
        if (id.empty()) continue;
        ctx.users[id] = &u;
        if (auto name = json::str(u, "username"); !name.empty()) ctx.user_by_name[name] = id;
      }
    if (const Value* tweets = json::array(*inc, "tweets"))
      for (const auto& t : tweets->GetArray())
        if (auto id = json::id_text(t, "id"); !id.empty()) ctx.tweets[id] = &t;
  }
  const Value* data = json::member(doc, "data");
  auto one = [&](const Value& t, const std::string& at) -> Result<void> {
    Batch out;
    auto r = v2_tweet(t, at, ctx, where, out, 0);
    if (!r) return each(std::unexpected(r.error()), serialise(t));
    return each(std::move(out), serialise(t));
  };
  if (data && data->IsArray()) {
    std::size_t i = 0;
    for (const auto& t : data->GetArray())
      if (auto r = one(t, json::path("data", i++)); !r) return r;
    return {};
  }
  if (data && data->IsObject()) return one(*data, "data");
  if (json::member(doc, "author_id") || json::object(doc, "author")) return one(doc, "");
  return where.bad("data", "no tweets here (a v2 response has 'data')");
}

}  // namespace

std::optional<Timestamp> parse_twitter_time(std::string_view s) {
  // "Wed Oct 10 20:19:24 +0000 2018"
  if (s.size() != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ' || s[25] != ' ') return std::nullopt;
  static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = 0;
  for (std::size_t i = 0; i < months.size(); ++i)
    if (s.substr(4, 3) == months[i]) month = static_cast<int>(i) + 1;
  if (month == 0) return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len, int& out) {
    const auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + len, out);
    return ec == std::errc{} && p == s.data() + at + len;
  };
  int day = 0, hh = 0, mm = 0, ss = 0, zh = 0, zm = 0, year = 0;
  if (!num(8, 2, day) || !num(11, 2, hh) || s[13] != ':' || !num(14, 2, mm) || s[16] != ':' || !num(17, 2, ss) ||
      (s[20] != '+' && s[20] != '-') || !num(21, 2, zh) || !num(23, 2, zm) || !num(26, 4, year))
    return std::nullopt;
  char iso[40];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", year, month, day, hh, mm, ss, s[20], zh,
                zm);
  return parse_rfc3339(iso);
}

Result<void> read_twitter(std::string_view text, const std::string& source, std::size_t line, Timestamp now,
                          const TweetCallback& each) {
  rapidjson::Document doc;
  if (auto r = json::parse(doc, text, source, line); !r) return r;
  const json::Where where{source, line};
  if (is_v1_tweet(doc)) {
    Batch out;
    auto r = v1_tweet(doc, "", where, out, 0);
    if (!r) return each(std::unexpected(r.error()), text);
    return each(std::move(out), text);
  }
  if (doc.IsArray()) {
    std::size_t i = 0;
    for (const auto& t : doc.GetArray()) {
      const std::string at = json::path("", i++);
      Batch out;
      Result<std::string> r = is_v1_tweet(t) ? v1_tweet(t, at, where, out, 0)
                                             : where.bad(at, "not a v1.1 tweet (no 'user' or 'id_str')");
      Result<void> kept = r ? each(std::move(out), serialise(t)) : each(std::unexpected(r.error()), serialise(t));
      if (!kept) return kept;
    }
    return {};
  }
  if (doc.IsObject()) return read_v2(doc, where, now, each);
  return where.bad({}, "expected a tweet, an array of tweets or a v2 response");
}

}  // namespace influence::lib
