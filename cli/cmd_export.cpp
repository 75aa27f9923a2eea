// influence export: raw data in the native formats (re-importable as is), or
// scores with every explanation field.
#include "cli/explanation.hpp"
#include "cli/native_out.hpp"
#include "cli/topic_run.hpp"

namespace influence::cli {
namespace {

struct ExportArgs {
  std::string what;
  ScoringArgs scoring;
  std::string format, output;
  bool no_header = false;
  bool keep_formulas = false;
};

int export_scores(Context& ctx, const ExportArgs& args) {
  if (args.scoring.topics.empty()) return usage_error("export scores needs --topic (see 'influence export --help')");
  std::string format = args.format.empty() ? std::string(to_string(*native_format("", args.output))) : args.format;
  if (format != "csv" && format != "tsv" && format != "json" && format != "jsonl")
    return usage_error("--format: '" + format + "' is not csv, tsv, jsonl or json");
  auto scored = score_from_store(ctx, args.scoring);
  if (!scored) return report(scored.error());
  auto sink = Sink::open(args.output);
  if (!sink) return report(sink.error());
  const ExplainContext x{scored->corpus, scored->ranking, args.scoring.topics};
  if (format == "csv" || format == "tsv") {
    auto w = make_writer(**sink, {format == "csv" ? Format::csv : Format::tsv, !args.no_header, false, !args.keep_formulas});
    w->begin(explanation_columns());
    for (const auto& s : scored->ranking.accounts) w->row(explanation_cells(x, s));
    w->end();
  } else {
    const bool lines = format == "jsonl";
    if (!lines) (*sink)->write("[");
    bool first = true;
    for (const auto& s : scored->ranking.accounts) {
      if (!lines) (*sink)->write(first ? "\n" : ",\n");
      (*sink)->write(explanation_json(x, s));
      if (lines) (*sink)->write("\n");
      first = false;
    }
    if (!lines) (*sink)->write(first ? "]\n" : "\n]\n");
  }
  if (auto r = (*sink)->commit(); !r) return report(r.error());
  return Exit::ok;
}

int run_export(Context& ctx, const ExportArgs& args) {
  if (args.what == "scores") return export_scores(ctx, args);
  if (!args.scoring.topics.empty()) return usage_error("--topic goes with 'export scores' only; to export a topic's posts use 'influence filter'");
  auto format = native_format(args.format, args.output);
  if (!format) return report(format.error());
  lib::ExportFilter filter;
  filter.platforms = args.scoring.platforms;
  const auto& win = args.scoring.window;
  if (!win.since.empty() || !win.until.empty()) {
    auto w = win.resolve();
    if (!w) return report(w.error());
    if (!win.since.empty()) filter.since = w->since;
    if (!win.until.empty() || !win.as_of.empty()) filter.until = w->until;
  }
  auto store = open_store(ctx, lib::OpenMode::read_only);
  if (!store) return report(store.error());
  auto sink = Sink::open(args.output);
  if (!sink) return report(sink.error());
  const auto kind = *lib::parse_record_kind(args.what);
  NativeWriter out(**sink, *format, kind, !args.no_header);
  lib::Result<void> done;
  switch (kind) {
    case lib::RecordKind::accounts:
      done = (*store)->each_account(filter, [&](const lib::Account& a) { out.write(a); return true; });
      break;
    case lib::RecordKind::posts:
      done = (*store)->each_post(filter, [&](const lib::Post& p) { out.write(p); return true; });
      break;
    case lib::RecordKind::follows:
      done = (*store)->each_follow(filter, [&](const lib::Follow& f) { out.write(f); return true; });
      break;
  }
  if (!done) return report(done.error());
  out.end();
  if (auto r = (*sink)->commit(); !r) return report(r.error());
  return Exit::ok;
}

}  // namespace

void register_export(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand("export", "Export accounts, posts or follows in the native formats, or scores with their explanations");
  cmd->footer(
      "Examples:\n"
      "  influence export posts --since 2026-01-01 -o posts.jsonl\n"
      "  influence export accounts --platform mastodon --format csv\n"
      "  influence export scores --topic ski --since 4w --format jsonl | jq .echo.reactions\n"
      "Raw data re-imports unchanged: influence export posts | influence import --db copy.db -");
  cmd->add_option("what", args->what, "accounts|posts|follows|scores")
      ->required()->check(CLI::IsMember({"accounts", "posts", "follows", "scores"}));
  args->scoring.add_to(cmd, false);
  cmd->add_option("--format", args->format,
                  "csv|jsonl|json (scores: also tsv); default: from -o's extension, else csv");
  cmd->add_option("-o,--output", args->output, "Write to FILE atomically instead of stdout ('-' is stdout)");
  cmd->add_flag("--no-header", args->no_header, "Leave out the CSV header row");
  cmd->add_flag("--keep-formulas", args->keep_formulas,
                "export scores in CSV/TSV: keep cells starting with = + - @( as they are (raw data is never altered)");
  cmd->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_export(ctx, *args); }; });
}

}  // namespace influence::cli
