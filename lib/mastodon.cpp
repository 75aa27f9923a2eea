#include "lib/mastodon.hpp"

#include "lib/html_text.hpp"
#include "lib/http.hpp"
#include "lib/json_dom.hpp"
#include "lib/strings.hpp"

namespace influence::lib {
namespace {

using json::Value;

std::string domain_of(std::string_view url) {
  std::string origin = url_origin(url);
  const auto start = origin.find("://");
  if (start == std::string::npos) return {};
  origin.erase(0, start + 3);
  return origin;
}

Result<Account> to_account(const Value& v, const std::string& at, const MastodonPage& page,
                           const json::Where& where) {
  if (!v.IsObject()) return where.bad(at, "expected an account object");
  const std::string acct = json::str(v, "acct");
  if (acct.empty()) return where.bad(json::path(at, "acct"), "missing");
  Account a;
  a.id = mastodon_account_id(acct, json::str(v, "url"), page.instance);
  if (!split_identity(a.id)) return where.bad(json::path(at, "acct"), "'" + acct + "' cannot be part of an id");
  a.handle = a.id.substr(std::string_view("mastodon:").size());
  a.display_name = json::str(v, "display_name");
  a.bio = html_to_text(json::str(v, "note"));
  a.followers = json::count(v, "followers_count");
  a.following = json::count(v, "following_count");
  a.posts = json::count(v, "statuses_count");
  a.url = json::str(v, "url");
  if (json::boolean(v, "bot").value_or(false)) a.kind = "bot";
  else if (json::boolean(v, "group").value_or(false)) a.kind = "group";
  a.created_at = json::optional_time(v, "created_at");
  a.observed_at = page.observed_at;
  return a;
}

std::string post_id(const MastodonPage& page, const std::string& local) {
  return "mastodon:" + page.instance + "/" + local;
}

// Adds the status at `v` (and the statuses it carries) to `out`; returns its id.
Result<std::string> add_status(const Value& v, const std::string& at, const MastodonPage& page,
                               const json::Where& where, Batch& out, int depth) {
  if (!v.IsObject()) return where.bad(at, "expected a status object");
  const Value* account = json::object(v, "account");
  if (!account) return where.bad(json::path(at, "account"), "missing");
  auto author = to_account(*account, json::path(at, "account"), page, where);
  if (!author) return std::unexpected(author.error());
  const std::string local_author = json::id_text(*account, "id");
  Post p;
  auto id = json::required_id(v, "id", "mastodon:" + page.instance + "/", at, where);
  if (!id) return std::unexpected(id.error());
  p.id = *id;
  p.author = author->id;
  auto created = json::required_time(v, "created_at", at, where);
  if (!created) return std::unexpected(created.error());
  p.created_at = *created;
  p.observed_at = page.observed_at;
  out.add(std::move(*author));

  // A reblog is an action on another status: no text or counters of its own.
  if (const Value* reblog = json::object(v, "reblog"); reblog && depth < 2) {
    auto original = add_status(*reblog, json::path(at, "reblog"), page, where, out, depth + 1);
    if (!original) return std::unexpected(original.error());
    p.repost_of = *original;
    p.url = json::str(v, "uri");
    out.add(std::move(p));
    return *id;
  }

  const std::string spoiler = json::str(v, "spoiler_text");
  p.text = html_to_text(json::str(v, "content"));
  if (!spoiler.empty()) p.text = spoiler + "\n" + p.text;
  p.language = json::str(v, "language");
  p.url = json::str(v, "url");
  if (p.url.empty()) p.url = json::str(v, "uri");
  std::string reply_author_local = json::id_text(v, "in_reply_to_account_id");
  if (const Value* tags = json::array(v, "tags"))
    for (const auto& t : tags->GetArray())
      if (const auto name = json::str(t, "name"); is_hashtag(bare_hashtag(name))) p.hashtags.emplace_back(bare_hashtag(name));
  if (const Value* mentions = json::array(v, "mentions")) {
    std::size_t i = 0;
    for (const auto& m : mentions->GetArray()) {
      const std::string acct = json::str(m, "acct");
      if (acct.empty()) return where.bad(json::path(json::path(at, "mentions"), i) + ".acct", "missing");
      std::string mid = mastodon_account_id(acct, json::str(m, "url"), page.instance);
      if (!split_identity(mid)) return where.bad(json::path(json::path(at, "mentions"), i) + ".acct", "'" + acct + "' cannot be part of an id");
      // in_reply_to_account_id is instance-local: the mention with that id
      // says who it is.
      if (!reply_author_local.empty() && json::id_text(m, "id") == reply_author_local) p.reply_to_author = mid;
      p.mentions.push_back(std::move(mid));
      ++i;
    }
  }
  if (const std::string parent = json::id_text(v, "in_reply_to_id"); !parent.empty()) {
    p.reply_to = post_id(page, parent);
    if (!split_identity(p.reply_to)) return where.bad(json::path(at, "in_reply_to_id"), "'" + parent + "' cannot be part of an id");
    if (p.reply_to_author.empty() && reply_author_local == local_author) p.reply_to_author = p.author;
  }
  // Mastodon 4.4 quotes: {"quote": {"state": "accepted", "quoted_status": {...}}}.
  if (const Value* quote = json::object(v, "quote"); quote && depth < 2) {
    if (const Value* quoted = json::object(*quote, "quoted_status")) {
      auto q = add_status(*quoted, json::path(json::path(at, "quote"), "quoted_status"), page, where, out, depth + 1);
      if (!q) return std::unexpected(q.error());
      p.quote_of = *q;
    } else if (auto qid = json::id_text(*quote, "quoted_status_id"); !qid.empty()) {
      p.quote_of = post_id(page, qid);
      if (!split_identity(p.quote_of)) p.quote_of.clear();
    }
  }
  p.likes = json::count(v, "favourites_count");
  p.reposts = json::count(v, "reblogs_count");
  p.replies = json::count(v, "replies_count");
  p.quotes = json::count(v, "quotes_count");
  out.add(std::move(p));
  return *id;
}

Result<rapidjson::Document> parse_array(std::string_view body, const MastodonPage& page, const char* what) {
  rapidjson::Document doc;
  if (auto r = json::parse(doc, body, page.source, 1); !r) return std::unexpected(r.error());
  if (!doc.IsArray()) {
    const std::string reason = json::str(doc, "error");
    return fail_at(page.source, 1, {}, std::string("expected an array of ") + what +
                                           (reason.empty() ? "" : "; the server says: " + reason));
  }
  return doc;
}

}  // namespace

std::string mastodon_account_id(std::string_view acct, std::string_view profile_url, std::string_view instance) {
  std::string a(acct);
  if (a.starts_with('@')) a.erase(0, 1);
  if (a.find('@') == std::string::npos) {
    std::string domain = domain_of(profile_url);
    a += "@" + (domain.empty() ? std::string(instance) : domain);
  }
  return "mastodon:@" + a;
}

Result<Page> mastodon_statuses(std::string_view body, const MastodonPage& page) {
  auto doc = parse_array(body, page, "statuses");
  if (!doc) return std::unexpected(doc.error());
  Page out;
  const json::Where where{page.source, 1};
  std::size_t i = 0;
  for (const auto& s : doc->GetArray()) {
    const std::string at = json::path("", i++);
    auto created = json::required_time(s, "created_at", at, where);
    if (!created) return std::unexpected(created.error());
    if (!out.oldest || *created < *out.oldest) out.oldest = *created;
    if (page.since && *created < *page.since) continue;
    if (auto r = add_status(s, at, page, where, out.batch, 0); !r) return std::unexpected(r.error());
    ++out.items;
  }
  return out;
}

Result<Page> mastodon_follow_page(std::string_view body, const MastodonPage& page, const std::string& subject,
                                  bool following) {
  auto doc = parse_array(body, page, "accounts");
  if (!doc) return std::unexpected(doc.error());
  Page page_out;
  Batch& out = page_out.batch;
  const json::Where where{page.source, 1};
  std::size_t i = 0;
  for (const auto& v : doc->GetArray()) {
    auto a = to_account(v, json::path("", i), page, where);
    if (!a) return std::unexpected(a.error());
    Follow f;
    f.follower = following ? subject : a->id;
    f.followee = following ? a->id : subject;
    f.observed_at = page.observed_at;
    out.add(std::move(*a));
    out.add(std::move(f));
    ++i;
  }
  page_out.items = i;
  return page_out;
}

Result<MastodonAccount> mastodon_account(std::string_view body, const MastodonPage& page) {
  rapidjson::Document doc;
  if (auto r = json::parse(doc, body, page.source, 1); !r) return std::unexpected(r.error());
  const json::Where where{page.source, 1};
  auto a = to_account(doc, "", page, where);
  if (!a) return std::unexpected(a.error());
  MastodonAccount out{std::move(*a), json::id_text(doc, "id")};
  if (out.local_id.empty()) return where.bad("id", "missing");
  return out;
}

}  // namespace influence::lib
