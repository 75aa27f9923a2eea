#include "lib/bluesky.hpp"

#include "lib/json_dom.hpp"
#include "lib/strings.hpp"

namespace influence::lib {
namespace {

using json::Value;

// "at://did:plc:abc/app.bsky.feed.post/3k..." -> "did:plc:abc"
std::string did_of_uri(std::string_view uri) {
  if (!uri.starts_with("at://")) return {};
  uri.remove_prefix(5);
  return std::string(uri.substr(0, uri.find('/')));
}

bool is_post_uri(std::string_view uri) { return uri.starts_with("at://") && uri.find("/app.bsky.feed.post/") != std::string_view::npos; }

Result<Account> to_account(const Value& v, const std::string& at, const BlueskyPage& page, const json::Where& where) {
  if (!v.IsObject()) return where.bad(at, "expected a profile object");
  auto id = json::required_id(v, "did", "bluesky:", at, where);
  if (!id) return std::unexpected(id.error());
  Account a;
  a.id = *id;
  a.handle = json::str(v, "handle");
  a.display_name = json::str(v, "displayName");
  a.bio = json::str(v, "description");
  a.followers = json::count(v, "followersCount");
  a.following = json::count(v, "followsCount");
  a.posts = json::count(v, "postsCount");
  if (const Value* ver = json::object(v, "verification"))
    if (auto status = json::str(*ver, "verifiedStatus"); !status.empty()) a.verified = status == "valid";
  if (!a.handle.empty() && a.handle != "handle.invalid") a.url = "https://bsky.app/profile/" + a.handle;
  a.created_at = json::optional_time(v, "createdAt");
  a.observed_at = page.observed_at;
  return a;
}

// The URI of the post a record embeds (a quote), or "".
std::string quoted_uri(const Value& record) {
  const Value* embed = json::object(record, "embed");
  if (!embed) return {};
  const std::string type = json::str(*embed, "$type");
  const Value* rec = json::object(*embed, "record");
  if (type == "app.bsky.embed.recordWithMedia" && rec) rec = json::object(*rec, "record");
  if (!rec) return {};
  std::string uri = json::str(*rec, "uri");
  return is_post_uri(uri) ? uri : std::string();
}

Result<std::string> add_post(const Value& v, const std::string& at, const BlueskyPage& page,
                             const json::Where& where, Batch& out);

// A quoted post shown in the embed view ("app.bsky.embed.record#viewRecord"):
// it carries its author and record, so it can be stored too.
void add_embedded(const Value& post, const std::string& at, const BlueskyPage& page, const json::Where& where,
                  Batch& out) {
  const Value* embed = json::object(post, "embed");
  if (!embed) return;
  const Value* rec = json::object(*embed, "record");
  if (rec && json::object(*rec, "record")) rec = json::object(*rec, "record");  // recordWithMedia#view
  if (!rec || json::str(*rec, "$type") != "app.bsky.embed.record#viewRecord") return;
  if (!is_post_uri(json::str(*rec, "uri")) || !json::object(*rec, "value")) return;
  // A malformed embed only loses the embedded copy, not the page.
  (void)add_post(*rec, json::path(at, "embed.record"), page, where, out);
}

Result<std::string> add_post(const Value& v, const std::string& at, const BlueskyPage& page,
                             const json::Where& where, Batch& out) {
  if (!v.IsObject()) return where.bad(at, "expected a post object");
  const Value* author = json::object(v, "author");
  if (!author) return where.bad(json::path(at, "author"), "missing");
  auto account = to_account(*author, json::path(at, "author"), page, where);
  if (!account) return std::unexpected(account.error());
  // A postView holds its record in "record"; an embedded viewRecord in "value".
  const Value* record = json::object(v, "record");
  if (!record) record = json::object(v, "value");
  if (!record) return where.bad(json::path(at, "record"), "missing");
  const std::string uri = json::str(v, "uri");
  if (!is_post_uri(uri)) return where.bad(json::path(at, "uri"), uri.empty() ? "missing" : "'" + uri + "' is not a post URI");
  Post p;
  p.id = "bluesky:" + uri;
  if (!split_identity(p.id)) return where.bad(json::path(at, "uri"), "'" + uri + "' cannot be part of an id");
  p.author = account->id;
  const std::string rat = json::path(at, "record");
  auto created = json::optional_time(*record, "createdAt");
  if (!created) created = json::optional_time(v, "indexedAt");
  if (!created) return where.bad(json::path(rat, "createdAt"), "missing or not a time");
  p.created_at = *created;
  p.text = json::str(*record, "text");
  if (const Value* langs = json::array(*record, "langs"); langs && !langs->Empty() && (*langs)[0].IsString())
    p.language = (*langs)[0].GetString();
  const std::string rkey = uri.substr(uri.rfind('/') + 1);
  if (!account->handle.empty()) p.url = "https://bsky.app/profile/" + account->handle + "/post/" + rkey;
  if (const Value* facets = json::array(*record, "facets")) {
    for (const auto& f : facets->GetArray()) {
      const Value* features = json::array(f, "features");
      if (!features) continue;
      for (const auto& feat : features->GetArray()) {
        const std::string type = json::str(feat, "$type");
        if (type == "app.bsky.richtext.facet#mention") {
          std::string did = json::str(feat, "did");
          std::string id = "bluesky:" + did;
          if (!did.empty() && split_identity(id)) p.mentions.push_back(std::move(id));
        } else if (type == "app.bsky.richtext.facet#tag") {
          if (const auto tag = json::str(feat, "tag"); is_hashtag(bare_hashtag(tag))) p.hashtags.emplace_back(bare_hashtag(tag));
        }
      }
    }
  }
  if (const Value* tags = json::array(*record, "tags"))
    for (const auto& t : tags->GetArray())
      if (const auto tag = t.IsString() ? bare_hashtag({t.GetString(), t.GetStringLength()}) : std::string_view();
          is_hashtag(tag))
        p.hashtags.emplace_back(tag);
  if (const Value* reply = json::object(*record, "reply")) {
    if (const Value* parent = json::object(*reply, "parent")) {
      const std::string parent_uri = json::str(*parent, "uri");
      if (is_post_uri(parent_uri) && split_identity("bluesky:" + parent_uri)) {
        p.reply_to = "bluesky:" + parent_uri;
        p.reply_to_author = "bluesky:" + did_of_uri(parent_uri);
      }
    }
  }
  if (auto q = quoted_uri(*record); !q.empty() && split_identity("bluesky:" + q)) p.quote_of = "bluesky:" + q;
  p.likes = json::count(v, "likeCount");
  p.reposts = json::count(v, "repostCount");
  p.replies = json::count(v, "replyCount");
  p.quotes = json::count(v, "quoteCount");
  p.observed_at = page.observed_at;
  out.add(std::move(*account));
  out.add(std::move(p));
  add_embedded(v, at, page, where, out);
  return "bluesky:" + uri;
}

// When a post was written: its record's createdAt, else when it was indexed.
std::optional<Timestamp> post_time(const Value& post) {
  std::optional<Timestamp> t;
  if (const Value* record = json::object(post, "record")) t = json::optional_time(*record, "createdAt");
  return t ? t : json::optional_time(post, "indexedAt");
}

// Keeps the page's oldest item time; false when the item is older than --since.
bool keep_item(std::optional<Timestamp> t, const BlueskyPage& page, Page& out) {
  if (!t) return true;
  if (!out.oldest || *t < *out.oldest) out.oldest = t;
  return !(page.since && *t < *page.since);
}

Result<rapidjson::Document> parse_object(std::string_view body, const BlueskyPage& page) {
  rapidjson::Document doc;
  if (auto r = json::parse(doc, body, page.source, 1); !r) return std::unexpected(r.error());
  if (!doc.IsObject()) return fail_at(page.source, 1, {}, "expected a JSON object");
  return doc;
}

// The response's list of items, or an error with the server's own message.
Result<const Value*> items(const rapidjson::Document& doc, const char* key, const BlueskyPage& page) {
  if (const Value* list = json::array(doc, key)) return list;
  const std::string message = json::str(doc, "message");
  return fail_at(page.source, 1, key,
                 std::string("expected an array '") + key + "'" + (message.empty() ? "" : "; the server says: " + message));
}

}  // namespace

Result<Page> bluesky_feed(std::string_view body, const BlueskyPage& page) {
  auto doc = parse_object(body, page);
  if (!doc) return std::unexpected(doc.error());
  auto feed = items(*doc, "feed", page);
  if (!feed) return std::unexpected(feed.error());
  Page out;
  out.cursor = json::str(*doc, "cursor");
  const json::Where where{page.source, 1};
  std::size_t i = 0;
  for (const auto& item : (*feed)->GetArray()) {
    const std::string at = json::path("feed", i++);
    const Value* post = json::object(item, "post");
    if (!post) return where.bad(json::path(at, "post"), "missing");
    const Value* reason = json::object(item, "reason");
    const bool reposted = reason && json::str(*reason, "$type") == "app.bsky.feed.defs#reasonRepost";
    if (!keep_item(reposted ? json::optional_time(*reason, "indexedAt") : post_time(*post), page, out)) continue;
    ++out.items;
    // The parent and root of a reply come with it: store them too, so that
    // the conversation is complete.
    if (const Value* reply = json::object(item, "reply")) {
      for (const char* which : {"root", "parent"}) {
        const Value* ctx = json::object(*reply, which);
        if (ctx && json::str(*ctx, "$type") == "app.bsky.feed.defs#postView")
          if (auto r = add_post(*ctx, json::path(json::path(at, "reply"), which), page, where, out.batch); !r)
            return std::unexpected(r.error());
      }
    }
    auto id = add_post(*post, json::path(at, "post"), page, where, out.batch);
    if (!id) return std::unexpected(id.error());
    if (reposted) {
      const std::string rat = json::path(at, "reason");
      const Value* by = json::object(*reason, "by");
      if (!by) return where.bad(json::path(rat, "by"), "missing");
      auto reposter = to_account(*by, json::path(rat, "by"), page, where);
      if (!reposter) return std::unexpected(reposter.error());
      Post repost;
      // Newer AppViews give the repost record's URI; otherwise one reposter
      // reposts a post once, which makes a stable id.
      const std::string ruri = json::str(*reason, "uri");
      repost.id = !ruri.empty() ? "bluesky:" + ruri
                                : reposter->id + "/repost/" + id->substr(std::string_view("bluesky:").size());
      if (!split_identity(repost.id)) return where.bad(json::path(rat, "uri"), "cannot be part of an id");
      repost.author = reposter->id;
      auto when = json::optional_time(*reason, "indexedAt");
      if (!when) return where.bad(json::path(rat, "indexedAt"), "missing or not a time");
      repost.created_at = *when;
      repost.repost_of = *id;
      repost.observed_at = page.observed_at;
      out.batch.add(std::move(*reposter));
      out.batch.add(std::move(repost));
    }
  }
  return out;
}

Result<Page> bluesky_search(std::string_view body, const BlueskyPage& page) {
  auto doc = parse_object(body, page);
  if (!doc) return std::unexpected(doc.error());
  auto posts = items(*doc, "posts", page);
  if (!posts) return std::unexpected(posts.error());
  Page out;
  out.cursor = json::str(*doc, "cursor");
  const json::Where where{page.source, 1};
  std::size_t i = 0;
  for (const auto& post : (*posts)->GetArray()) {
    const std::string at = json::path("posts", i++);
    if (!keep_item(post_time(post), page, out)) continue;
    if (auto r = add_post(post, at, page, where, out.batch); !r) return std::unexpected(r.error());
    ++out.items;
  }
  return out;
}

Result<Page> bluesky_follow_page(std::string_view body, const BlueskyPage& page) {
  auto doc = parse_object(body, page);
  if (!doc) return std::unexpected(doc.error());
  const json::Where where{page.source, 1};
  const Value* subject = json::object(*doc, "subject");
  if (!subject) return where.bad("subject", "missing");
  auto subj = to_account(*subject, "subject", page, where);
  if (!subj) return std::unexpected(subj.error());
  const bool following = json::array(*doc, "follows") != nullptr;
  auto list = items(*doc, following ? "follows" : "followers", page);
  if (!list) return std::unexpected(list.error());
  Page out;
  out.cursor = json::str(*doc, "cursor");
  const std::string subject_id = subj->id;
  out.batch.add(std::move(*subj));
  std::size_t i = 0;
  for (const auto& v : (*list)->GetArray()) {
    auto a = to_account(v, json::path(following ? "follows" : "followers", i++), page, where);
    if (!a) return std::unexpected(a.error());
    Follow f;
    f.follower = following ? subject_id : a->id;
    f.followee = following ? a->id : subject_id;
    f.observed_at = page.observed_at;
    out.batch.add(std::move(*a));
    out.batch.add(std::move(f));
    ++out.items;
  }
  return out;
}

Result<Account> bluesky_profile(std::string_view body, const BlueskyPage& page) {
  auto doc = parse_object(body, page);
  if (!doc) return std::unexpected(doc.error());
  return to_account(*doc, "", page, json::Where{page.source, 1});
}

}  // namespace influence::lib
