// influence rank: the accounts that matter on a topic in a window, best first.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>

#include "cli/fields.hpp"
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
  std::string compare;
};

const std::vector<std::string> default_fields{"rank", "account", "display_name", "platform", "tier", "score",
                                              "echo", "exposure", "sov", "focus", "topic_posts", "audience"};

struct Row {
  const lib::Corpus& c;
  const scoring::ScoredAccount& s;
  std::size_t rank;                  // position in the printed list
  std::optional<std::size_t> previous;  // position in the previous window's list (--compare)
};
using FieldFn = Cell (*)(const Row&);
std::string fixed(double v, int digits) { return fmt::format("{:.{}f}", v, digits); }

const std::map<std::string, std::pair<bool, FieldFn>>& field_table() {
  static const std::map<std::string, std::pair<bool, FieldFn>> t{
      {"rank", {true, [](const Row& w) { return Cell::num(std::to_string(w.rank)); }}},
      {"account", {false, [](const Row& w) { return Cell::str(w.c.accounts[w.s.account].id); }}},
      {"handle", {false, [](const Row& w) { return Cell::str(w.c.accounts[w.s.account].handle); }}},
      {"display_name", {false, [](const Row& w) { return Cell::str(w.c.accounts[w.s.account].display_name); }}},
      {"platform", {false, [](const Row& w) { return Cell::str(w.c.accounts[w.s.account].platform); }}},
      {"kind", {false, [](const Row& w) { return Cell::str(w.c.accounts[w.s.account].kind); }}},
      {"tier", {false, [](const Row& w) { return Cell::str(w.s.tier); }}},
      {"score", {true, [](const Row& w) { return Cell::num(fixed(w.s.score, 2)); }}},
      {"echo", {true, [](const Row& w) { return Cell::num(fixed(w.s.echo_norm, 1)); }}},
      {"exposure", {true, [](const Row& w) { return Cell::num(fixed(w.s.exposure_norm, 1)); }}},
      {"sov", {true, [](const Row& w) { return Cell::num(fixed(w.s.sov_norm, 1)); }}},
      {"focus", {true, [](const Row& w) { return Cell::num(fixed(w.s.voice.focus, 3)); }}},
      {"topic_posts", {true, [](const Row& w) { return Cell::num(std::to_string(w.s.voice.topic_posts)); }}},
      {"audience", {true, [](const Row& w) { return Cell::num(std::to_string(w.s.exposure.audience)); }}},
      {"topical_audience", {true, [](const Row& w) { return Cell::num(std::to_string(w.s.exposure.topical_audience)); }}},
      {"reactions", {true, [](const Row& w) { return Cell::num(fixed(w.s.echo.reactions, 2)); }}},
      {"network_factor", {true, [](const Row& w) { return Cell::num(fixed(w.s.echo.network_factor, 4)); }}},
      {"share", {true, [](const Row& w) { return Cell::num(fixed(w.s.voice.value, 5)); }}},
      {"mentions", {true, [](const Row& w) { return Cell::num(std::to_string(w.s.voice.mentions)); }}},
      {"previous_rank", {true, [](const Row& w) { return w.previous ? Cell::num(std::to_string(*w.previous)) : Cell::null(); }}},
      {"rank_change", {true, [](const Row& w) {
         return w.previous ? Cell::num(std::to_string(static_cast<long long>(*w.previous) - static_cast<long long>(w.rank))) : Cell::null();
       }}},
      {"new_entrant", {false, [](const Row& w) { return Cell::str(w.previous ? "no" : "yes"); }}},
  };
  return t;
}

// Whether selected() can pass over a row: else the rows printed are the
// ranking's first --top, and scoring need order and fill only those.
bool filters_rows(const RankArgs& args) {
  return !args.tiers.empty() || !args.kinds.empty() || args.min_audience >= 0 || args.max_audience >= 0 ||
         args.min_focus > 0;
}

// The rows to print: the ranking through the display filters, cut at --top.
std::vector<const scoring::ScoredAccount*> selected(const RankArgs& args, const lib::Corpus& c,
                                                    const scoring::Ranking& ranking) {
  std::vector<const scoring::ScoredAccount*> out;
  for (const auto& s : ranking.accounts) {
    const auto& a = c.accounts[s.account];
    if (!args.tiers.empty() && std::find(args.tiers.begin(), args.tiers.end(), s.tier) == args.tiers.end()) continue;
    if (!args.kinds.empty() && std::find(args.kinds.begin(), args.kinds.end(), a.kind) == args.kinds.end()) continue;
    if (args.min_audience >= 0 && s.exposure.audience < args.min_audience) continue;
    if (args.max_audience >= 0 && s.exposure.audience > args.max_audience) continue;
    if (s.voice.focus < args.min_focus) continue;
    if (args.top > 0 && out.size() >= args.top) break;
    out.push_back(&s);
  }
  return out;
}

int run_rank(Context& ctx, const RankArgs& args) {
  std::vector<std::string> fields = default_fields;
  if (!args.fields.empty()) {
    std::vector<std::string> known;
    for (const auto& [k, _] : field_table()) known.push_back(k);
    auto parsed = parse_fields(args.fields, known);
    if (!parsed) return report(parsed.error());
    fields = std::move(*parsed);
  }
  for (const auto& t : args.tiers)
    if (t != "nano" && t != "micro" && t != "macro" && t != "mega")
      return usage_error("--tier: '" + t + "' is not nano, micro, macro or mega");
  auto prepared = prepare(ctx, args.scoring);
  if (!prepared) return report(prepared.error());
  // No field of rank shows top posts or echoers: not finding them is a
  // fifth of scoring at ten million posts.
  (*prepared)->options.top_posts = 0;
  (*prepared)->options.top_echoers = 0;
  if (!filters_rows(args)) (*prepared)->options.rows = args.top;
  const auto win = (*prepared)->window;
  const bool compare = !args.compare.empty();
  if (compare && args.scoring.window.since.empty())
    return usage_error("--compare previous needs a window with a start (--since 7d, for example)");
  if (compare && std::find(fields.begin(), fields.end(), "previous_rank") == fields.end() && args.fields.empty())
    fields.insert(fields.end(), {"previous_rank", "rank_change", "new_entrant"});
  // The topical audience only when scored (--exposure topical, which
  // compute_exposure() sees) or printed: a pass over every follow edge.
  (*prepared)->options.topical_audience =
      std::find(fields.begin(), fields.end(), "topical_audience") != fields.end();
  auto scored = score_window(**prepared, win.since, win.until);
  if (!scored) return report(scored.error());
  const auto& c = scored->corpus;
  // The previous window of the same length, filtered and cut the same way.
  std::map<std::string, std::size_t, std::less<>> previous;
  if (compare) {
    auto before = score_window(**prepared, win.since - (win.until - win.since), win.since);
    if (!before) return report(before.error());
    std::size_t pos = 0;
    for (const auto* s : selected(args, before->corpus, before->ranking))
      previous.emplace(before->corpus.accounts[s->account].id, ++pos);
  }
  auto sink = Sink::open(args.out.output);
  if (!sink) return report(sink.error());
  auto wopt = args.out.resolve(ctx, **sink);
  if (!wopt) return report(wopt.error());
  auto w = make_writer(**sink, *wopt);
  std::vector<Column> cols;
  for (const auto& f : fields) cols.push_back({f, field_table().at(f).first});
  w->begin(cols);
  std::size_t shown = 0;
  for (const auto* s : selected(args, c, scored->ranking)) {
    ++shown;
    std::optional<std::size_t> prev;
    if (auto it = previous.find(c.accounts[s->account].id); it != previous.end()) prev = it->second;
    const Row r{c, *s, shown, prev};
    std::vector<Cell> row;
    for (const auto& f : fields) row.push_back(field_table().at(f).second(r));
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
      "  influence rank --topic ski --since 7d --compare previous --top 50 -o top-ski-$(date +%F).csv\n"
      "  influence rank --topic ski --weights echo=2,exposure=1,sov=1 --format json -o top.json\n"
      "  influence rank -t ski -t snowboard --since 2026-01-01 --until 2026-02-01 --fields rank,handle,score");
  args->scoring.add_to(cmd);
  args->out.add_to(cmd);
  cmd->add_option("--tier", args->tiers, "Only these tiers: nano,micro,macro,mega")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--kind", args->kinds, "Only accounts of these kinds (person,brand,media,employee...)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--min-audience", args->min_audience, "Only accounts with at least N audience");
  cmd->add_option("--max-audience", args->max_audience, "Only accounts with at most N audience");
  cmd->add_option("--min-focus", args->min_focus, "Only accounts whose topic posts are at least this share (0-1) of their posts");
  cmd->add_option("--compare", args->compare,
                  "'previous': add the previous window of the same length (previous_rank, rank_change, new_entrant)")
      ->check(CLI::IsMember({"previous"}));
  cmd->add_option("--top", args->top, "How many rows (default 20; 0 for all)");
  cmd->add_option("--fields", args->fields, "Columns, in order (default: rank,account,display_name,platform,tier,score,echo,exposure,sov,focus,topic_posts,audience)");
  cmd->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_rank(ctx, *args); }; });
}

}  // namespace influence::cli
