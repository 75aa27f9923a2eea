// influence explain: why an account has its score on a topic.
#include "cli/explanation.hpp"
#include "cli/topic_run.hpp"

namespace influence::cli {
namespace {

struct ExplainArgs {
  std::string account;
  ScoringArgs scoring;
  std::string format, output;
};

int run_explain(Context& ctx, const ExplainArgs& args) {
  if (!args.format.empty() && args.format != "text" && args.format != "json")
    return usage_error("--format: '" + args.format + "' is not text or json");
  auto scored = score_from_store(ctx, args.scoring);
  if (!scored) return report(scored.error());
  const auto& c = scored->corpus;
  const auto found = lib::find_accounts(c, args.account);
  if (found.empty())
    return usage_error("unknown account '" + args.account + "': give its id (mastodon:@alice@example.org) or handle; "
                       "'influence export accounts' lists them");
  if (found.size() > 1) {
    std::string ids;
    for (auto a : found) (ids += " ") += c.accounts[a].id;
    return usage_error("'" + args.account + "' is the handle of several accounts; name one by id:" + ids);
  }
  const scoring::ScoredAccount* s = nullptr;
  for (const auto& r : scored->ranking.accounts)
    if (r.account == found[0]) s = &r;
  if (!s) {
    std::fprintf(stderr,
                 "influence: error: %s is not a candidate for this topic in the window: no topic post of its "
                 "own, and no topic post reposts, quotes, replies to or mentions it (%zu topic posts in all); "
                 "widen --since or check the topic\n",
                 std::string(c.accounts[found[0]].id).c_str(), scored->ranking.topic_posts);
    return Exit::failure;
  }
  auto sink = Sink::open(args.output);
  if (!sink) return report(sink.error());
  const ExplainContext x{c, scored->ranking, args.scoring.topics};
  (*sink)->write(args.format == "json" ? explanation_json(x, *s) + "\n" : explanation_text(x, *s));
  if (auto r = (*sink)->commit(); !r) return report(r.error());
  return Exit::ok;
}

}  // namespace

void register_explain(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain", "Why an account has its score: raw counts, percentiles, weights, top posts and echoers");
  cmd->footer(
      "Examples:\n"
      "  influence explain @emma.guide@piaille.fr --topic ski\n"
      "  influence explain mastodon:@emma.guide@piaille.fr --topic ski --since 4w --format json | jq .echo");
  cmd->add_option("account", args->account, "Account id or handle")->required();
  args->scoring.add_to(cmd);
  cmd->add_option("--format", args->format, "text (default) or json");
  cmd->add_option("-o,--output", args->output, "Write to FILE atomically instead of stdout ('-' is stdout)");
  cmd->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_explain(ctx, *args); }; });
}

}  // namespace influence::cli
