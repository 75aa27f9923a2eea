// influence rank: the accounts that matter on a topic in a window, best first.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "cli/topic_run.hpp"

namespace influence::cli {
namespace {

struct RankArgs {
  ScoringArgs scoring;
  OutputOptions out;
  std::vector<std::string> tiers, kinds;
  std::int64_t min_audience = -1, max_audience = -1;
  double min_focus = 0;
  std::size_t top = 20;
  std::string fields;
};

const std::vector<std::string> default_fields{"rank", "account", "display_name", "platform", "tier", "score",
                                              "echo", "exposure", "sov", "focus", "topic_posts", "audience"};

using FieldFn = Cell (*)(const lib::Corpus&, const scoring::ScoredAccount&, std::size_t);
std::string fixed(double v, int digits) { return fmt::format("{:.{}f}", v, digits); }

const std::map<std::string, std::pair<bool, FieldFn>>& field_table() {
  static const std::map<std::string, std::pair<bool, FieldFn>> t{
      {"rank", {true, [](const lib::Corpus&, const scoring::ScoredAccount&, std::size_t r) { return Cell::num(std::to_string(r)); }}},
      {"account", {false, [](const lib::Corpus& c, const scoring::ScoredAccount& s, std::size_t) { return Cell::str(c.accounts[s.account].id); }}},
      {"handle", {false, [](const lib::Corpus& c, const scoring::ScoredAccount& s, std::size_t) { return Cell::str(c.accounts[s.account].handle); }}},
      {"display_name", {false, [](const lib::Corpus& c, const scoring::ScoredAccount& s, std::size_t) { return Cell::str(c.accounts[s.account].display_name); }}},
      {"platform", {false, [](const lib::Corpus& c, const scoring::ScoredAccount& s, std::size_t) { return Cell::str(c.accounts[s.account].platform); }}},
      {"kind", {false, [](const lib::Corpus& c, const scoring::ScoredAccount& s, std::size_t) { return Cell::str(c.accounts[s.account].kind); }}},
      {"tier", {false, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::str(s.tier); }}},
      {"score", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(fixed(s.score, 2)); }}},
      {"echo", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(fixed(s.echo_norm, 1)); }}},
      {"exposure", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(fixed(s.exposure_norm, 1)); }}},
      {"sov", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(fixed(s.sov_norm, 1)); }}},
      {"focus", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(fixed(s.voice.focus, 3)); }}},
      {"topic_posts", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(std::to_string(s.voice.topic_posts)); }}},
      {"audience", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(std::to_string(s.exposure.audience)); }}},
      {"topical_audience", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(std::to_string(s.exposure.topical_audience)); }}},
      {"reactions", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(fixed(s.echo.reactions, 2)); }}},
      {"network_factor", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(fixed(s.echo.network_factor, 4)); }}},
      {"share", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(fixed(s.voice.value, 5)); }}},
      {"mentions", {true, [](const lib::Corpus&, const scoring::ScoredAccount& s, std::size_t) { return Cell::num(std::to_string(s.voice.mentions)); }}},
  };
  return t;
}

int run_rank(Context& ctx, const RankArgs& args) {
  std::vector<std::string> fields = default_fields;
  if (!args.fields.empty()) {
    fields.clear();
    std::stringstream ss(args.fields);
    std::string f;
    while (std::getline(ss, f, ',')) {
      if (!field_table().contains(f)) {
        std::string known;
        for (const auto& [k, _] : field_table()) known += (known.empty() ? "" : ", ") + k;
        return usage_error("--fields: unknown field '" + f + "' (known: " + known + ")");
      }
      fields.push_back(f);
    }
  }
  for (const auto& t : args.tiers)
    if (t != "nano" && t != "micro" && t != "macro" && t != "mega")
      return usage_error("--tier: '" + t + "' is not nano, micro, macro or mega");
  auto scored = score_from_store(ctx, args.scoring);
  if (!scored) return report(scored.error());
  const auto& c = scored->corpus;
  auto sink = Sink::open(args.out.output);
  if (!sink) return report(sink.error());
  auto wopt = args.out.resolve(ctx, **sink);
  if (!wopt) return report(wopt.error());
  auto w = make_writer(**sink, *wopt);
  std::vector<Column> cols;
  for (const auto& f : fields) cols.push_back({f, field_table().at(f).first});
  w->begin(cols);
  std::size_t shown = 0;
  for (const auto& s : scored->ranking.accounts) {
    const auto& a = c.accounts[s.account];
    if (!args.tiers.empty() && std::find(args.tiers.begin(), args.tiers.end(), s.tier) == args.tiers.end()) continue;
    if (!args.kinds.empty() && std::find(args.kinds.begin(), args.kinds.end(), a.kind) == args.kinds.end()) continue;
    if (args.min_audience >= 0 && s.exposure.audience < args.min_audience) continue;
    if (args.max_audience >= 0 && s.exposure.audience > args.max_audience) continue;
    if (s.voice.focus < args.min_focus) continue;
    if (args.top > 0 && shown >= args.top) break;
    ++shown;
    std::vector<Cell> row;
    for (const auto& f : fields) row.push_back(field_table().at(f).second(c, s, shown));
    w->row(row);
  }
  w->end();
  if (auto r = (*sink)->commit(); !r) return report(r.error());
  if (shown == 0)
    info(ctx, "influence: no account matched (" + std::to_string(scored->ranking.topic_posts) +
                  " topic posts in the window); widen --since or check the topic");
  return Exit::ok;
}

}  // namespace

void register_rank(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RankArgs>();
  auto* cmd = app.add_subcommand("rank", "Rank the influencers of a topic in a time window");
  cmd->footer(
      "Examples:\n"
      "  influence rank --topic ski\n"
      "  influence rank --topic ski --since 7d --tier micro,macro --top 10\n"
      "  influence rank --topic ski --weights echo=2,exposure=1,sov=1 --format json -o top.json\n"
      "  influence rank -t ski -t snowboard --since 2026-01-01 --until 2026-02-01 --fields rank,handle,score");
  args->scoring.add_to(cmd);
  args->out.add_to(cmd);
  cmd->add_option("--tier", args->tiers, "Only these tiers: nano,micro,macro,mega")->delimiter(',');
  cmd->add_option("--kind", args->kinds, "Only accounts of these kinds (person,brand,media,employee...)")->delimiter(',');
  cmd->add_option("--min-audience", args->min_audience, "Only accounts with at least N audience");
  cmd->add_option("--max-audience", args->max_audience, "Only accounts with at most N audience");
  cmd->add_option("--min-focus", args->min_focus, "Only accounts whose topic posts are at least this share (0-1) of their posts");
  cmd->add_option("--top", args->top, "How many rows (default 20; 0 for all)");
  cmd->add_option("--fields", args->fields, "Columns, in order (default: rank,account,display_name,platform,tier,score,echo,exposure,sov,focus,topic_posts,audience)");
  cmd->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_rank(ctx, *args); }; });
}

}  // namespace influence::cli
