// influence stats: what the store holds, as a tidy table (one fact a row).
#include "cli/context.hpp"
#include "lib/timeutil.hpp"

namespace influence::cli {
namespace {

struct StatsArgs {
  OutputOptions out;
  std::size_t top = 10;
};

int run_stats(Context& ctx, const StatsArgs& args) {
  auto store = open_store(ctx, lib::OpenMode::read_only);
  if (!store) return report(store.error());
  auto st = (*store)->stats(args.top);
  if (!st) return report(st.error());
  auto sink = Sink::open(args.out.output);
  if (!sink) return report(sink.error());
  auto wopt = args.out.resolve(ctx, **sink);
  if (!wopt) return report(wopt.error());
  auto w = make_writer(**sink, *wopt);
  w->begin({{"section"}, {"platform"}, {"kind"}, {"name"}, {"value", true}});
  auto num = [](std::int64_t v) { return Cell::num(std::to_string(v)); };
  for (const auto& g : st->by_platform_kind)
    if (g.accounts - g.stubs > 0)
      w->row({Cell::str("accounts"), Cell::str(g.platform), Cell::str(g.kind), Cell::str(""), num(g.accounts - g.stubs)});
  for (const auto& g : st->by_platform_kind)
    if (g.stubs > 0)
      w->row({Cell::str("stub_accounts"), Cell::str(g.platform), Cell::str(g.kind), Cell::str(""), num(g.stubs)});
  for (const auto& g : st->by_platform_kind)
    if (g.posts > 0)
      w->row({Cell::str("posts"), Cell::str(g.platform), Cell::str(g.kind), Cell::str(""), num(g.posts)});
  w->row({Cell::str("follows"), Cell::str(""), Cell::str(""), Cell::str(""), num(st->follows)});
  if (st->first_post) {
    w->row({Cell::str("span"), Cell::str(""), Cell::str(""), Cell::str("first_post"),
            Cell::str(lib::format_rfc3339(*st->first_post))});
    w->row({Cell::str("span"), Cell::str(""), Cell::str(""), Cell::str("last_post"),
            Cell::str(lib::format_rfc3339(*st->last_post))});
  }
  for (const auto& [tag, n] : st->top_hashtags)
    w->row({Cell::str("hashtag"), Cell::str(""), Cell::str(""), Cell::str("#" + tag), num(n)});
  w->end();
  if (auto c = (*sink)->commit(); !c) return report(c.error());
  return Exit::ok;
}

}  // namespace

void register_stats(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<StatsArgs>();
  auto* cmd = app.add_subcommand("stats", "What the store holds: accounts, posts, follows, time span, top hashtags");
  cmd->footer(
      "One fact a row: section, platform, kind, name, value.\n"
      "Examples:\n"
      "  influence stats\n"
      "  influence stats --format json | jq '.[] | select(.section == \"hashtag\")'\n"
      "  influence stats --top 20 --format markdown");
  args->out.add_to(cmd);
  cmd->add_option("--top", args->top, "How many top hashtags to list (default 10)");
  cmd->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_stats(ctx, *args); }; });
}

}  // namespace influence::cli
