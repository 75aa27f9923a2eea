#include "cli/app.hpp"

#include <csignal>

#include <cstdio>

#include "cli/context.hpp"

namespace influence::cli {
int run(int argc, char** argv) {
  CLI::App app{"influence: discover and score social-media influencers in context", "influence"};
  app.set_version_flag("--version", "influence " INFLUENCE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  Context ctx;
  auto& g = ctx.globals;
  app.add_option("--db", g.db, "Store file (default: $INFLUENCE_DB, the config file, ./influence.db)");
  app.add_option("--topics", g.topics_file,
                 "Topics file (default: $INFLUENCE_TOPICS, the config file, "
                 "$XDG_CONFIG_HOME/influence/topics)");
  app.add_option("--color", g.color, "Colour in terminal tables: auto|always|never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--busy-timeout", g.busy_timeout,
                 "Seconds to wait for another process writing to the store before giving up (default 10)")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_flag("--no-config", g.no_config, "Ignore the config file (for scripts and tests)");
  app.add_flag("-q,--quiet", g.quiet, "Only errors on stderr");
  app.add_flag("-v,--verbose", g.verbose, "More detail on stderr");

  register_import(app, ctx);
  register_fetch(app, ctx);
  register_stats(app, ctx);
  register_rank(app, ctx);
  register_explain(app, ctx);
  register_filter(app, ctx);
  register_export(app, ctx);
  register_topics(app, ctx);
  register_completion(app, ctx);

  // Name a mistyped subcommand instead of CLI11's "A subcommand is required".
  int first = 1;  // the first word that is neither a global option nor its value
  while (first < argc && argv[first][0] == '-' && std::string(argv[first]) != "--") {
    const std::string a = argv[first];
    first += (a == "--db" || a == "--topics" || a == "--color" || a == "--busy-timeout") ? 2 : 1;
  }
  if (first < argc && argv[first][0] != '-') {
    const char* word = argv[first];
    bool known = false;
    std::string names;
    for (const auto* sub : app.get_subcommands({})) {
      known = known || sub->get_name() == word;
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) return usage_error(std::string("unknown subcommand '") + word + "' (subcommands: " + names + ")");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string hint = "influence --help";
    for (auto* sub : app.get_subcommands()) {
      hint = "influence " + sub->get_name() + " --help";
      for (auto* inner : sub->get_subcommands())
        hint = "influence " + sub->get_name() + " " + inner->get_name() + " --help";
    }
    return usage_error(std::string(e.what()) + " (see '" + hint + "')");
  }
  if (!ctx.run) return usage_error("no subcommand given (see 'influence --help')");
  // Past a file-size limit (ulimit -f), writes must fail with EFBIG and be
  // reported, not kill the process halfway.
  std::signal(SIGXFSZ, SIG_IGN);
  // SIGINT keeps its default action: the shell reports 130, and SQLite rolls
  // back an interrupted transaction the next time the store is opened.
  return ctx.run();
}

}  // namespace influence::cli
