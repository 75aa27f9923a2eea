#include "cli/context.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "lib/strings.hpp"
#include "lib/timeutil.hpp"

namespace influence::cli {
namespace {

std::string config_dir() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/influence";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/influence";
  return {};
}

// "key = value" lines; '#' starts a comment.
std::string config_value(const std::string& key) {
  const std::string dir = config_dir();
  if (dir.empty()) return {};
  std::ifstream in(dir + "/config");
  std::string line;
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    if (lib::trim(std::string_view(line).substr(0, eq)) == key) return lib::trim(std::string_view(line).substr(eq + 1));
  }
  return {};
}

}  // namespace

std::string Context::setting(const std::string& flag, const char* env, const char* key,
                             const std::string& fallback) const {
  if (!flag.empty()) return flag;
  if (const char* v = std::getenv(env); v && *v) return v;
  if (!globals.no_config)
    if (auto v = config_value(key); !v.empty()) return v;
  return fallback;
}

std::string Context::db_path() const { return setting(globals.db, "INFLUENCE_DB", "db", "influence.db"); }

std::string Context::topics_path() const {
  std::string fallback;
  if (!globals.no_config) {
    const std::string dir = config_dir();
    if (!dir.empty() && ::access((dir + "/topics").c_str(), R_OK) == 0) fallback = dir + "/topics";
  }
  return setting(globals.topics_file, "INFLUENCE_TOPICS", "topics", fallback);
}

bool Context::color_stdout() const {
  const std::string mode = setting(globals.color == "auto" ? "" : globals.color, "INFLUENCE_COLOR", "color", "auto");
  if (mode == "always") return true;
  if (mode == "never") return false;
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  if (const char* term = std::getenv("TERM"); term && std::string(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO);
}

bool Context::progress_allowed() const { return !globals.quiet && ::isatty(STDERR_FILENO); }

// Messages quote the input (field values, file names): control characters in
// them must not reach the terminal as escape sequences.
int report(const lib::Error& e) {
  std::fprintf(stderr, "influence: error: %s\n", printable(e.describe()).c_str());
  switch (e.kind) {
    case lib::ErrorKind::usage:
    case lib::ErrorKind::not_found: return Exit::usage;
    case lib::ErrorKind::network: return Exit::network;
    default: return Exit::failure;
  }
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "influence: error: %s\n", printable(message).c_str());
  return Exit::usage;
}

void warn(const std::string& message) {
  std::fprintf(stderr, "influence: warning: %s\n", printable(message).c_str());
}

void info(const Context& ctx, const std::string& message) {
  if (!ctx.globals.quiet) std::fprintf(stderr, "%s\n", message.c_str());
}

lib::Result<std::unique_ptr<lib::Store>> open_store(const Context& ctx, lib::OpenMode mode) {
  return lib::open_sqlite_store(ctx.db_path(), mode, ctx.globals.busy_timeout);
}

void update_column_cache(const Context& ctx, lib::Store& store) {
  const auto started = std::chrono::steady_clock::now();
  const auto written = store.update_column_cache();
  if (ctx.globals.verbose == 0 || ctx.globals.quiet) return;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!written)
    std::fprintf(stderr, "influence: the column cache was not written (%s); the next reading command rebuilds it\n",
                 written.error().describe().c_str());
  else if (*written == lib::Store::CacheUpdate::written)
    std::fprintf(stderr, "influence: column cache brought up to date in %.2f s\n", seconds);
  else if (*written == lib::Store::CacheUpdate::stale)
    std::fprintf(stderr, "influence: the column cache could not follow this import; the next reading command rebuilds it\n");
}

void OutputOptions::add_to(CLI::App* cmd, const char* formats_help) {
  cmd->add_option("--format", format,
                  std::string("Output format: ") + formats_help +
                      " (default: table on a terminal, csv otherwise; for -o, from the extension)");
  cmd->add_option("-o,--output", output, "Write to FILE atomically instead of stdout ('-' is stdout)");
  cmd->add_flag("--no-header", no_header, "Leave out the header row");
  cmd->add_flag("--keep-formulas", keep_formulas,
                "In CSV/TSV, keep cells starting with = + - @( as they are (default: prefix them with ' so "
                "spreadsheets do not run them)");
}

lib::Result<WriterOptions> OutputOptions::resolve(const Context& ctx, const Sink& sink) const {
  WriterOptions w;
  if (format.empty()) {
    w.format = default_format(output, sink.is_terminal());
  } else if (auto f = parse_format(format)) {
    w.format = *f;
  } else {
    return lib::fail(lib::ErrorKind::usage, "--format: unknown format '" + format + "' (use " +
                                                std::string(format_names) + ")");
  }
  w.header = !no_header;
  w.neutralise_formulas = !keep_formulas;
  w.color = w.format == Format::table && sink.is_stdout() && ctx.color_stdout();
  return w;
}

void WindowOptions::add_to(CLI::App* cmd) {
  cmd->add_option("--since", since,
                  "Window start: RFC 3339 date/time or a duration back from --as-of (7d, 4w, 24h); "
                  "default: the first post");
  cmd->add_option("--until", until, "Window end (exclusive): date/time or duration (default: --as-of)");
  cmd->add_option("--as-of", as_of, "The 'now' that durations count back from (default: now)");
}

lib::Result<WindowOptions::Resolved> WindowOptions::resolve() const {
  Resolved r{};
  r.as_of = lib::now_utc();
  if (!as_of.empty()) {
    auto t = lib::parse_rfc3339(as_of);
    if (!t)
      return lib::fail(lib::ErrorKind::usage,
                       "--as-of: '" + as_of + "' is not an RFC 3339 date/time (2026-01-15T00:00:00Z)");
    r.as_of = *t;
  }
  r.until = r.as_of;
  if (!until.empty()) {
    auto t = lib::parse_time_or_duration(until, r.as_of, "--until");
    if (!t) return std::unexpected(t.error());
    r.until = *t;
  }
  r.since = earliest;
  if (!since.empty()) {
    auto s = lib::parse_time_or_duration(since, r.as_of, "--since");
    if (!s) return std::unexpected(s.error());
    r.since = *s;
  }
  if (r.since >= r.until)
    return lib::fail(lib::ErrorKind::usage, "the window is empty: --since (" + lib::format_rfc3339(r.since) +
                                                ") must come before --until (" +
                                                lib::format_rfc3339(r.until) + ")");
  return r;
}

}  // namespace influence::cli
