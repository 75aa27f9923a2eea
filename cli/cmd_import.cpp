// influence import: native CSV / JSON Lines / JSON files into the store.
#include <fmt/format.h>

#include <chrono>
#include <map>

#include "cli/context.hpp"
#include "cli/net_options.hpp"
#include "lib/http.hpp"
#include "lib/importer.hpp"

namespace influence::cli {
namespace {

struct ImportArgs {
  std::vector<std::string> inputs;
  std::string kind, format, rejects;
  std::size_t max_errors = 0;
  NetOptions net;
};

bool is_url(const std::string& s) { return s.starts_with("http://") || s.starts_with("https://"); }

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(const std::string& name, std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    const double secs = elapsed();
    if (secs < 0.5) return;  // quick imports show no bar
    shown_ = true;
    if (total > 0) {
      const double frac = static_cast<double>(done) / static_cast<double>(total);
      const int width = 30;
      const int filled = static_cast<int>(frac * width);
      std::fprintf(stderr, "\r%s [%s%s] %3.0f%% %.1f MB", name.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), frac * 100,
                   static_cast<double>(done) / 1e6);
    } else {
      std::fprintf(stderr, "\r%s %.1f MB", name.c_str(), static_cast<double>(done) / 1e6);
    }
  }
  void finish() {
    if (shown_) std::fputs("\r\x1b[K", stderr);
  }
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

int run_import(Context& ctx, const ImportArgs& args) {
  lib::ImportOptions opt;
  if (!args.kind.empty()) {
    opt.kind = lib::parse_record_kind(args.kind);
    if (!opt.kind) return usage_error("--kind: '" + args.kind + "' is not accounts, posts or follows");
  }
  if (args.format == "twitter") {
    opt.twitter = true;
  } else if (!args.format.empty()) {
    opt.format = lib::parse_input_format(args.format);
    if (!opt.format) return usage_error("--format: '" + args.format + "' is not csv, jsonl, json or twitter");
  }
  opt.max_errors = args.max_errors;
  std::vector<lib::Rejected> rejected;
  opt.on_reject = [&](const lib::Rejected& r) { rejected.push_back(r); };
  Progress progress(ctx.progress_allowed());
  opt.on_progress = [&](const std::string& n, std::uint64_t d, std::uint64_t t) { progress.update(n, d, t); };

  std::vector<std::string> inputs = args.inputs.empty() ? std::vector<std::string>{"-"} : args.inputs;
  // URLs are downloaded first, so that a network failure leaves the store as it was.
  std::vector<std::unique_ptr<lib::LineSource>> sources;
  std::unique_ptr<lib::HttpClient> http;
  for (const auto& input : inputs) {
    if (!is_url(input)) {
      auto src = lib::LineSource::open(input);
      if (!src) return report(src.error());
      sources.push_back(std::move(*src));
      continue;
    }
    if (!http) http = std::make_unique<lib::HttpClient>(args.net.resolve(ctx, "INFLUENCE_HTTP_TOKEN"));
    auto got = http->get(input);
    if (!got) {
      const int code = report(got.error());
      std::fprintf(stderr, "influence: nothing was imported; the store is unchanged\n");
      return code;
    }
    sources.push_back(lib::LineSource::from_string(std::move(got->body), input));
  }
  auto store = open_store(ctx, lib::OpenMode::read_write);
  if (!store) return report(store.error());
  std::uint64_t input_bytes = 0;
  for (const auto& src : sources) input_bytes += src->size_hint();
  (*store)->follow_imports(input_bytes);
  auto summary = lib::import_sources(**store, std::move(sources), opt);
  progress.finish();
  if (!summary) {
    const int code = report(summary.error());
    std::fprintf(stderr, "influence: nothing was imported; the store is unchanged\n");
    return code;
  }
  update_column_cache(ctx, **store);
  // The rejects file is written only once the import has committed.
  if (!rejected.empty() && !args.rejects.empty()) {
    auto sink = Sink::open(args.rejects);
    if (!sink) return report(sink.error());
    std::string header;
    bool mixed = false;
    bool json_doc = rejected.front().format == lib::InputFormat::json;
    if (json_doc) (*sink)->write("[\n");
    for (std::size_t i = 0; i < rejected.size(); ++i) {
      const auto& r = rejected[i];
      if (i == 0 || r.header != header) {
        if (i > 0) mixed = true;
        header = r.header;
        if (!header.empty()) (*sink)->write(header);
      }
      (*sink)->write(r.verbatim);
      (*sink)->write(json_doc ? (i + 1 < rejected.size() ? ",\n" : "\n") : "\n");
    }
    if (json_doc) (*sink)->write("]\n");
    if (auto c = (*sink)->commit(); !c) return report(c.error());
    if (mixed) warn("rejected rows come from inputs of different shapes; split " + args.rejects + " before re-importing it");
  }
  for (const auto& e : summary->errors) warn("rejected: " + e.describe());
  if (!ctx.globals.quiet) {
    print_tallies(*summary);
    std::fprintf(stderr, "imported into %s in %.2f s\n", ctx.db_path().c_str(), progress.elapsed());
  }
  return Exit::ok;
}

}  // namespace

void register_import(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "Import accounts, posts or follows in the native formats");
  cmd->footer(
      "Examples:\n"
      "  influence import fixtures/ski/accounts.csv fixtures/ski/posts.jsonl fixtures/ski/follows.csv\n"
      "  cat posts.jsonl | influence import --kind posts -\n"
      "  influence import --max-errors 100 --rejects bad.csv export.csv\n"
      "  influence import https://example.org/data/posts.jsonl\n"
      "  influence import --format twitter tweets.jsonl\n"
      "Formats: influence-formats(5).");
  cmd->add_option("inputs", args->inputs, "Files or http(s) URLs to import; '-' or none reads stdin");
  cmd->add_option("--kind", args->kind, "accounts|posts|follows (default: from the header or first record)");
  cmd->add_option("--format", args->format,
                  "csv|jsonl|json (default: from the extension or content), or twitter for Twitter/X "
                  "API v1.1 tweets and v2 responses");
  cmd->add_option("--max-errors", args->max_errors,
                  "Skip up to N bad records instead of stopping at the first (default 0)");
  cmd->add_option("--rejects", args->rejects, "Write skipped records verbatim to FILE, to fix and re-import");
  args->net.add_to(cmd);
  cmd->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_import(ctx, *args); }; });
}

}  // namespace influence::cli
