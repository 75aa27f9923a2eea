#include "lib/fetch.hpp"

#include <algorithm>

#include "lib/bluesky.hpp"
#include "lib/mastodon.hpp"
#include "lib/strings.hpp"

namespace influence::lib {
namespace {

constexpr std::size_t mastodon_statuses_page = 40;  // the API's maximum
constexpr std::size_t mastodon_accounts_page = 80;
constexpr std::size_t bluesky_page = 100;
constexpr const char* bluesky_default = "https://public.api.bsky.app";

bool is_mastodon(FetchSource s) {
  return s == FetchSource::mastodon_tag || s == FetchSource::mastodon_account ||
         s == FetchSource::mastodon_followers || s == FetchSource::mastodon_following;
}

bool lists_accounts(FetchSource s) {
  return s == FetchSource::mastodon_followers || s == FetchSource::mastodon_following ||
         s == FetchSource::bluesky_followers;
}

std::size_t page_size(const FetchRequest& r, std::size_t done) {
  std::size_t size = !is_mastodon(r.source)  ? bluesky_page
                     : lists_accounts(r.source) ? mastodon_accounts_page
                                                : mastodon_statuses_page;
  if (r.limit > 0) size = std::min(size, r.limit - std::min(done, r.limit));
  return std::max<std::size_t>(size, 1);
}

// The URL with its cursor parameter replaced.
std::string with_cursor(const std::string& url, const std::string& cursor) {
  std::string base = url;
  if (auto at = base.find("&cursor="); at != std::string::npos) {
    const auto end = base.find('&', at + 1);
    base.erase(at, end == std::string::npos ? std::string::npos : end - at);
  }
  return base + "&cursor=" + url_encode(cursor);
}

// The URL with its limit parameter set to `n`: the last page of a --limit
// asks only for what is missing.
std::string with_limit(const std::string& url, std::size_t n) {
  for (const char* sep : {"?limit=", "&limit="}) {
    if (auto at = url.find(sep); at != std::string::npos) {
      const auto start = at + 7;
      const auto end = url.find('&', start);
      return url.substr(0, start) + std::to_string(n) + (end == std::string::npos ? "" : url.substr(end));
    }
  }
  return url;
}

struct Resolved {
  std::string api;      // without a trailing '/'
  std::string subject;  // normalised
  std::string lookup;   // the account lookup URL, "" when none is needed
  std::string first;    // the first page; "{id}" stands for the looked-up id
  std::string what;
  std::string key;
};

Result<Resolved> resolve(const FetchRequest& r) {
  Resolved out;
  const bool mastodon = is_mastodon(r.source);
  out.api = r.api.empty() ? (mastodon ? "https://" + r.instance : std::string(bluesky_default)) : r.api;
  while (out.api.ends_with('/')) out.api.pop_back();
  if (mastodon && (r.instance.empty() || r.instance.find_first_of("/:@ ") != std::string::npos))
    return fail(ErrorKind::usage, "--instance: give the instance's domain, such as piaille.fr");
  if (url_origin(out.api).empty())
    return fail(ErrorKind::usage, "'" + out.api + "' is not an http(s) URL");
  std::string s = r.subject;
  if (s.empty()) return fail(ErrorKind::usage, "nothing to fetch: the subject is empty");
  const std::string n = std::to_string(page_size(r, 0));
  switch (r.source) {
    case FetchSource::mastodon_tag: {
      if (s.starts_with('#')) s.erase(0, 1);
      if (s.empty() || s.find_first_of(" /?#&") != std::string::npos)
        return fail(ErrorKind::usage, "--tag: '" + r.subject + "' is not a hashtag");
      out.first = out.api + "/api/v1/timelines/tag/" + url_encode(s) + "?limit=" + n;
      out.what = "posts tagged #" + s + " on " + r.instance;
      out.key = "mastodon:" + r.instance + ":tag:" + ascii_lower(s);
      break;
    }
    case FetchSource::mastodon_account:
    case FetchSource::mastodon_followers:
    case FetchSource::mastodon_following: {
      if (s.starts_with('@')) s.erase(0, 1);
      const auto at = s.find('@');
      if (s.empty() || at == 0 || s.find_first_of(" /?#&:") != std::string::npos ||
          (at != std::string::npos && (at + 1 == s.size() || s.find('@', at + 1) != std::string::npos)))
        return fail(ErrorKind::usage, "'" + r.subject + "' is not an account such as @alice@piaille.fr");
      const std::string qualified = at == std::string::npos ? s + "@" + r.instance : s;
      // The instance knows its own accounts by their bare username.
      const std::string acct = ascii_lower(qualified.substr(qualified.find('@') + 1)) == ascii_lower(r.instance)
                                   ? qualified.substr(0, qualified.find('@'))
                                   : qualified;
      out.lookup = out.api + "/api/v1/accounts/lookup?acct=" + url_encode(acct);
      const char* endpoint = r.source == FetchSource::mastodon_account     ? "statuses"
                             : r.source == FetchSource::mastodon_followers ? "followers"
                                                                           : "following";
      out.first = out.api + "/api/v1/accounts/{id}/" + endpoint + "?limit=" + n;
      out.what = std::string(r.source == FetchSource::mastodon_account     ? "posts of @"
                             : r.source == FetchSource::mastodon_followers ? "followers of @"
                                                                           : "accounts followed by @") +
                 qualified + " from " + r.instance;
      out.key = "mastodon:" + r.instance + ":" + endpoint + ":@" + ascii_lower(qualified);
      s = qualified;
      break;
    }
    case FetchSource::bluesky_actor:
    case FetchSource::bluesky_followers: {
      if (s.starts_with('@')) s.erase(0, 1);
      if (s.empty() || s.find_first_of(" /?#&") != std::string::npos)
        return fail(ErrorKind::usage, "'" + r.subject + "' is not a Bluesky handle or DID");
      const bool feed = r.source == FetchSource::bluesky_actor;
      out.lookup = out.api + "/xrpc/app.bsky.actor.getProfile?actor=" + url_encode(s);
      out.first = out.api + (feed ? "/xrpc/app.bsky.feed.getAuthorFeed?actor=" : "/xrpc/app.bsky.graph.getFollowers?actor=") +
                  url_encode(s) + "&limit=" + n;
      out.what = (feed ? "posts of " : "followers of ") + s + " on Bluesky";
      out.key = std::string("bluesky:") + (feed ? "feed:" : "followers:") + ascii_lower(s);
      break;
    }
    case FetchSource::bluesky_query: {
      out.first = out.api + "/xrpc/app.bsky.feed.searchPosts?q=" + url_encode(s) + "&sort=latest&limit=" + n;
      if (r.since) out.first += "&since=" + url_encode(format_rfc3339(*r.since));
      out.what = "posts matching \"" + s + "\" on Bluesky";
      out.key = "bluesky:search:" + s;
      break;
    }
  }
  out.subject = s;
  return out;
}

// Errors after some pages were stored say so, and how to go on.
Error with_resume_hint(Error e, const FetchCursor& c, std::int64_t pages_this_run) {
  if (pages_this_run > 0 || c.pages > 0)
    e.message += " (" + std::to_string(c.pages) + (c.pages == 1 ? " page is" : " pages are") +
                 " stored; run the same fetch with --resume to go on)";
  else
    e.message += " (nothing was stored)";
  return e;
}

}  // namespace

Result<FetchPlan> plan_fetch(const FetchRequest& request, Store* store) {
  auto r = resolve(request);
  if (!r) return std::unexpected(r.error());
  FetchPlan plan;
  plan.key = r->key;
  plan.what = r->what;
  if (!r->lookup.empty()) plan.requests.push_back(r->lookup);
  if (store) {
    auto c = store->fetch_cursor(r->key);
    if (!c) return std::unexpected(c.error());
    plan.stored = *c;
    plan.complete = plan.stored && plan.stored->next.empty();
  }
  if (request.resume && plan.stored && !plan.complete)
    plan.requests.push_back(plan.stored->next);
  else
    plan.requests.push_back(r->first);
  return plan;
}

Result<FetchResult> run_fetch(Store& store, HttpClient& http, const FetchRequest& request,
                              const std::function<void(const FetchProgress&)>& on_page) {
  auto resolved = resolve(request);
  if (!resolved) return std::unexpected(resolved.error());
  const Resolved& r = *resolved;
  auto stored = store.fetch_cursor(r.key);
  if (!stored) return std::unexpected(stored.error());
  FetchResult result;
  FetchCursor cursor;
  if (request.resume && *stored) {
    if ((*stored)->next.empty()) {
      result.stopped_because = "already complete";
      return result;
    }
    cursor = **stored;
    result.resumed = true;
  }
  auto& progress = result.progress;
  const bool mastodon = is_mastodon(request.source);

  // One transaction per page, with the cursor of the next page.
  auto store_page = [&](const Batch& batch, const FetchCursor* next) -> Result<void> {
    if (auto b = store.begin(); !b) return b;
    ImportSummary page_summary;
    auto put = put_batch(store, batch, page_summary);
    if (put && next) put = store.save_fetch_cursor(r.key, *next);
    if (!put) {
      store.rollback();
      return put;
    }
    page_summary.stubs = store.stubs_created();
    if (auto c = store.commit(); !c) return c;
    for (std::size_t k = 0; k < 3; ++k) {
      auto& t = progress.summary.by_kind[k];
      const auto& p = page_summary.by_kind[k];
      t.inserted += p.inserted;
      t.updated += p.updated;
      t.unchanged += p.unchanged;
    }
    progress.summary.stubs += page_summary.stubs;
    return {};
  };

  std::string first = r.first;
  std::string subject_id;
  if (!r.lookup.empty()) {
    auto resp = http.get(r.lookup);
    if (!resp) return std::unexpected(with_resume_hint(resp.error(), cursor, 0));
    Batch batch;
    if (mastodon) {
      auto acc = mastodon_account(resp->body, MastodonPage{request.instance, now_utc(), r.lookup, {}});
      if (!acc) return std::unexpected(with_resume_hint(acc.error(), cursor, 0));
      subject_id = acc->account.id;
      first.replace(first.find("{id}"), 4, url_encode(acc->local_id));
      batch.add(std::move(acc->account));
    } else {
      auto acc = bluesky_profile(resp->body, BlueskyPage{now_utc(), r.lookup, {}});
      if (!acc) return std::unexpected(with_resume_hint(acc.error(), cursor, 0));
      subject_id = acc->id;
      batch.add(std::move(*acc));
    }
    if (auto s = store_page(batch, nullptr); !s) return std::unexpected(s.error());
  }

  std::string url = result.resumed ? cursor.next : first;
  const std::string origin = url_origin(r.api);
  if (url_origin(url) != origin)
    return fail(ErrorKind::usage, "the stored cursor of this fetch points to " + url_origin(url) + ", not " + origin +
                                      "; fetch again without --resume");
  std::int64_t pages_this_run = 0;
  std::size_t items_this_run = 0;
  for (;;) {
    url = with_limit(url, page_size(request, items_this_run));
    auto resp = http.get(url);
    if (!resp) return std::unexpected(with_resume_hint(resp.error(), cursor, pages_this_run));
    const Timestamp observed = now_utc();
    Result<Page> page = std::unexpected(Error{});
    switch (request.source) {
      case FetchSource::mastodon_tag:
      case FetchSource::mastodon_account:
        page = mastodon_statuses(resp->body, MastodonPage{request.instance, observed, url, request.since});
        break;
      case FetchSource::mastodon_followers:
      case FetchSource::mastodon_following:
        page = mastodon_follow_page(resp->body, MastodonPage{request.instance, observed, url, {}}, subject_id,
                                    request.source == FetchSource::mastodon_following);
        break;
      case FetchSource::bluesky_actor:
        page = bluesky_feed(resp->body, BlueskyPage{observed, url, request.since});
        break;
      case FetchSource::bluesky_followers:
        page = bluesky_follow_page(resp->body, BlueskyPage{observed, url, {}});
        break;
      case FetchSource::bluesky_query:
        page = bluesky_search(resp->body, BlueskyPage{observed, url, request.since});
        break;
    }
    if (!page) return std::unexpected(with_resume_hint(page.error(), cursor, pages_this_run));

    std::string next;
    if (mastodon) {
      next = link_next(resp->header("link"));
      if (!next.empty() && url_origin(next) != origin)
        return std::unexpected(with_resume_hint(
            Error{ErrorKind::network, "the next-page link points to another server (" + url_origin(next) + ")", url, 0, {}},
            cursor, pages_this_run));
    } else if (!page->cursor.empty()) {
      next = with_cursor(url, page->cursor);
    }
    // An empty page is the last one, whatever the links say.
    if (page->items == 0 && !page->oldest) {
      next.clear();
      result.stopped_because = "last page";
    }
    if (request.since && page->oldest && *page->oldest < *request.since && !lists_accounts(request.source)) {
      next.clear();  // newest first: every later page is older still
      result.stopped_because = "--since";
    }
    items_this_run += page->items;
    const bool limit_reached = request.limit > 0 && items_this_run >= request.limit;
    cursor.next = next;
    cursor.pages += 1;
    cursor.items += static_cast<std::int64_t>(page->items);
    cursor.updated_at = observed;
    if (auto s = store_page(page->batch, &cursor); !s) return std::unexpected(s.error());
    ++pages_this_run;
    progress.pages += 1;
    progress.items += static_cast<std::int64_t>(page->items);
    if (on_page) on_page(progress);
    if (next.empty()) {
      if (result.stopped_because.empty()) result.stopped_because = "last page";
      break;
    }
    if (limit_reached) {
      result.stopped_because = "--limit";
      break;
    }
    url = next;
  }
  return result;
}

}  // namespace influence::lib
