#pragma once
// What every subcommand shares: the global options, resolved settings and
// small helpers for reporting errors the same way everywhere.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "cli/output.hpp"
#include "lib/error.hpp"
#include "lib/store.hpp"

namespace influence::cli {

enum Exit : int { ok = 0, failure = 1, usage = 2, network = 3, interrupted = 130 };

struct Globals {
  std::string db;           // --db
  std::string topics_file;  // --topics
  std::string color = "auto";
  bool no_config = false;
  bool quiet = false;
  int verbose = 0;
  double busy_timeout = 10;  // seconds to wait for another writer
};

struct Context {
  Globals globals;
  std::function<int()> run;  // set by the subcommand that was chosen

  // Settings: flag > INFLUENCE_* environment > config file > default.
  std::string setting(const std::string& flag_value, const char* env, const char* config_key,
                      const std::string& fallback) const;
  std::string db_path() const;
  std::string topics_path() const;  // "" when there is none
  bool color_stdout() const;
  bool progress_allowed() const;  // stderr is a terminal and not --quiet
};

// Prints "influence: error: ..." and returns the exit code for the error's kind.
int report(const lib::Error& e);
int usage_error(const std::string& message);
void warn(const std::string& message);
void info(const Context& ctx, const std::string& message);  // suppressed by --quiet

lib::Result<std::unique_ptr<lib::Store>> open_store(const Context& ctx, lib::OpenMode mode);
// After an import or a fetch: writes the column cache the store followed
// the import into (see Store::follow_imports()); says how it went under -v.
void update_column_cache(const Context& ctx, lib::Store& store);

// Output options shared by the subcommands that write tables.
struct OutputOptions {
  std::string format;  // empty: default_format()
  std::string output;  // -o
  bool no_header = false;
  bool keep_formulas = false;
  void add_to(CLI::App* cmd, const char* formats_help = format_names);
  lib::Result<WriterOptions> resolve(const Context& ctx, const Sink& sink) const;
};

// Window options shared by rank, explain, filter, export and topics.
struct WindowOptions {
  static constexpr lib::Timestamp earliest = -(lib::Timestamp{1} << 40);  // "from the first post"
  std::string since;
  std::string until;
  std::string as_of;
  void add_to(CLI::App* cmd);
  struct Resolved {
    lib::Timestamp since, until, as_of;
  };
  lib::Result<Resolved> resolve() const;
};

void register_import(CLI::App& app, Context& ctx);
void register_fetch(CLI::App& app, Context& ctx);
void register_stats(CLI::App& app, Context& ctx);
void register_rank(CLI::App& app, Context& ctx);
void register_explain(CLI::App& app, Context& ctx);
void register_filter(CLI::App& app, Context& ctx);
void register_export(CLI::App& app, Context& ctx);
void register_topics(CLI::App& app, Context& ctx);
void register_completion(CLI::App& app, Context& ctx);

}  // namespace influence::cli
