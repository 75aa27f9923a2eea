// influence fetch mastodon|bluesky: live import from the platforms' public APIs.
#include <cstdlib>

#include "cli/context.hpp"
#include "cli/net_options.hpp"
#include "lib/fetch.hpp"

namespace influence::cli {
namespace {

struct FetchArgs {
  // Mastodon
  std::string instance, api, tag, account, followers, following;
  // Bluesky
  std::string service, actor, query;
  // Both
  std::size_t limit = 0;
  std::string since;
  bool resume = false, dry_run = false;
  NetOptions net;
};

// One line on stderr, rewritten in place, when stderr is a terminal.
class FetchProgressLine {
 public:
  explicit FetchProgressLine(bool enabled) : enabled_(enabled) {}
  void page(const lib::FetchProgress& p) {
    last_ = p;
    draw("");
  }
  void wait(double seconds, const std::string& why) {
    ++waits_;
    draw(" · " + why + ": waiting " + std::to_string(static_cast<long>(seconds + 0.5)) + " s");
  }
  void finish() {
    if (shown_) std::fputs("\r\x1b[K", stderr);
  }

 private:
  void draw(const std::string& extra) {
    if (!enabled_) return;
    shown_ = true;
    const auto& s = last_.summary.by_kind;
    std::fprintf(stderr, "\r\x1b[K%lld pages · %lld posts · %lld accounts · %lld follows · %d waits%s",
                 static_cast<long long>(last_.pages), static_cast<long long>(s[1].total()),
                 static_cast<long long>(s[0].total()), static_cast<long long>(s[2].total()), waits_, extra.c_str());
  }
  bool enabled_;
  bool shown_ = false;
  int waits_ = 0;
  lib::FetchProgress last_;
};

const char* token_variable(lib::FetchSource s) {
  switch (s) {
    case lib::FetchSource::mastodon_tag:
    case lib::FetchSource::mastodon_account:
    case lib::FetchSource::mastodon_followers:
    case lib::FetchSource::mastodon_following: return "INFLUENCE_MASTODON_TOKEN";
    default: return "INFLUENCE_BLUESKY_TOKEN";
  }
}

int run_fetch(Context& ctx, const FetchArgs& args, lib::FetchRequest request) {
  if (!args.since.empty()) {
    auto t = lib::parse_time_or_duration(args.since, lib::now_utc(), "--since");
    if (!t) return report(t.error());
    request.since = *t;
  }
  request.limit = args.limit;
  request.resume = args.resume;
  const char* token_env = token_variable(request.source);

  if (args.dry_run) {
    // Shows the stored cursor when there is a store, and never writes.
    std::unique_ptr<lib::Store> store;
    if (auto s = open_store(ctx, lib::OpenMode::read_only)) store = std::move(*s);
    auto plan = lib::plan_fetch(request, store.get());
    if (!plan) return report(plan.error());
    std::printf("would fetch %s\n", printable(plan->what).c_str());
    if (plan->complete && request.resume) {
      std::printf("nothing to resume: the stored fetch reached its last page\n");
      return Exit::ok;
    }
    for (const auto& url : plan->requests) std::printf("GET %s\n", printable(url).c_str());
    std::printf("then the following pages, until %s\n",
                request.limit > 0 ? ("the last page or " + std::to_string(request.limit) + " items").c_str()
                                  : "the last page");
    if (request.since) std::printf("only posts since %s\n", lib::format_rfc3339(*request.since).c_str());
    if (plan->stored)
      std::printf("stored: %lld pages, %lld items, %s\n", static_cast<long long>(plan->stored->pages),
                  static_cast<long long>(plan->stored->items),
                  plan->complete ? "complete" : ("next " + printable(plan->stored->next)).c_str());
    std::printf("token: %s %s\n", token_env,
                std::getenv(token_env) ? "is set (sent as a bearer token, never shown)" : "is not set (public endpoints only)");
    return Exit::ok;
  }

  // A bad request is refused before the store is created or touched.
  if (auto checked = lib::plan_fetch(request, nullptr); !checked) return report(checked.error());
  FetchProgressLine line(ctx.progress_allowed());
  lib::HttpOptions http_options = args.net.resolve(ctx, token_env);
  const bool verbose = ctx.globals.verbose > 0 && !ctx.globals.quiet;
  http_options.on_wait = [&line, verbose](double seconds, const std::string& why) {
    line.wait(seconds, why);
    if (verbose) std::fprintf(stderr, "influence: waiting %.1f s (%s)\n", seconds, why.c_str());
  };
  lib::HttpClient http(http_options);
  auto store = open_store(ctx, lib::OpenMode::read_write);
  if (!store) return report(store.error());
  (*store)->follow_imports();
  auto result = lib::run_fetch(**store, http, request, [&](const lib::FetchProgress& p) { line.page(p); });
  line.finish();
  // The pages stored before an error are in the store: the cache follows them too.
  update_column_cache(ctx, **store);
  if (!result) return report(result.error());
  if (!ctx.globals.quiet) {
    if (result->stopped_because == "already complete") {
      std::fprintf(stderr, "nothing to resume: this fetch already reached its last page\n");
      return Exit::ok;
    }
    const auto pages = result->progress.pages;
    std::fprintf(stderr, "%s %lld %s, %lld items (stopped at: %s); %d retries, %d waits\n",
                 result->resumed ? "resumed and fetched" : "fetched", static_cast<long long>(pages),
                 pages == 1 ? "page" : "pages",
                 static_cast<long long>(result->progress.items), result->stopped_because.c_str(), http.retries_used(),
                 http.waits());
    print_tallies(result->progress.summary);
  }
  return Exit::ok;
}

// Exactly one subject option must be given: it sets the request's source.
int run_one_of(Context& ctx, const FetchArgs& args, lib::FetchRequest request,
               std::initializer_list<std::pair<lib::FetchSource, const std::string*>> choices, const char* usage) {
  int given = 0;
  for (const auto& [source, subject] : choices) {
    if (subject->empty()) continue;
    ++given;
    request.source = source;
    request.subject = *subject;
  }
  if (given != 1) return usage_error(usage);
  return run_fetch(ctx, args, request);
}

void add_common(CLI::App* cmd, FetchArgs& a) {
  cmd->add_option("--limit", a.limit, "Stop after N posts (or accounts for follower lists); --resume goes on");
  cmd->add_option("--since", a.since, "Only posts since a date/time or a duration back from now (7d, 24h)");
  cmd->add_flag("--resume", a.resume, "Go on from where the same fetch stopped, as stored with each page");
  cmd->add_flag("--dry-run", a.dry_run, "Print what would be fetched, and the stored cursor; fetch nothing");
  a.net.add_to(cmd);
}

}  // namespace

void register_fetch(CLI::App& app, Context& ctx) {
  auto* fetch = app.add_subcommand("fetch", "Import live from Mastodon or Bluesky, page by page");
  fetch->require_subcommand(1);
  fetch->footer(
      "Examples:\n"
      "  influence fetch mastodon --instance piaille.fr --tag ski --limit 2000\n"
      "  influence fetch bluesky --query 'ski de randonnée' --since 7d\n"
      "Each page is stored in its own transaction; --resume goes on after an interruption.\n"
      "Tokens come only from INFLUENCE_MASTODON_TOKEN and INFLUENCE_BLUESKY_TOKEN. See influence-fetch(1).");

  auto m = std::make_shared<FetchArgs>();
  auto* mastodon = fetch->add_subcommand("mastodon", "Hashtag timeline, statuses, followers or following of an account");
  mastodon->add_option("--instance", m->instance, "The instance's domain, such as piaille.fr")->required();
  mastodon->add_option("--api", m->api, "Base URL of its API when not https://INSTANCE (a proxy or a recording)");
  auto* tag = mastodon->add_option("--tag", m->tag, "Posts with this hashtag (without #)");
  auto* account = mastodon->add_option("--account", m->account, "Posts of @user or @user@domain");
  auto* followers = mastodon->add_option("--followers", m->followers, "Accounts following @user, as follow edges");
  auto* following = mastodon->add_option("--following", m->following, "Accounts @user follows, as follow edges");
  tag->excludes(account)->excludes(followers)->excludes(following);
  account->excludes(followers)->excludes(following);
  followers->excludes(following);
  add_common(mastodon, *m);
  mastodon->footer(
      "Examples:\n"
      "  influence fetch mastodon --instance piaille.fr --tag ski --since 30d\n"
      "  influence fetch mastodon --instance piaille.fr --followers @station@piaille.fr --resume");
  mastodon->callback([&ctx, m] {
    ctx.run = [&ctx, m] {
      lib::FetchRequest r;
      r.instance = m->instance;
      r.api = m->api;
      return run_one_of(ctx, *m, r,
                        {{lib::FetchSource::mastodon_tag, &m->tag},
                         {lib::FetchSource::mastodon_account, &m->account},
                         {lib::FetchSource::mastodon_followers, &m->followers},
                         {lib::FetchSource::mastodon_following, &m->following}},
                        "fetch mastodon: give one of --tag, --account, --followers, --following");
    };
  });

  auto b = std::make_shared<FetchArgs>();
  auto* bluesky = fetch->add_subcommand("bluesky", "An actor's posts or followers, or a post search, from the AppView");
  bluesky->add_option("--service", b->service, "AppView base URL (default https://public.api.bsky.app)");
  auto* actor = bluesky->add_option("--actor", b->actor, "Posts and reposts of this handle or DID");
  auto* bfollowers = bluesky->add_option("--followers", b->followers, "Accounts following this handle, as follow edges");
  auto* query = bluesky->add_option("--query", b->query, "Posts matching this search text (newest first)");
  actor->excludes(bfollowers)->excludes(query);
  bfollowers->excludes(query);
  add_common(bluesky, *b);
  bluesky->footer(
      "Examples:\n"
      "  influence fetch bluesky --actor skialpin.bsky.social --limit 500\n"
      "  influence fetch bluesky --query '#freeride' --since 14d");
  bluesky->callback([&ctx, b] {
    ctx.run = [&ctx, b] {
      lib::FetchRequest r;
      r.api = b->service;
      return run_one_of(ctx, *b, r,
                        {{lib::FetchSource::bluesky_actor, &b->actor},
                         {lib::FetchSource::bluesky_followers, &b->followers},
                         {lib::FetchSource::bluesky_query, &b->query}},
                        "fetch bluesky: give one of --actor, --followers, --query");
    };
  });
}

}  // namespace influence::cli
