#include "cli/net_options.hpp"

#include <cstdio>
#include <cstdlib>

namespace influence::cli {

void NetOptions::add_to(CLI::App* cmd) {
  cmd->add_option("--timeout", timeout, "Seconds allowed for one response (default 60)")->check(CLI::Range(0.1, 86400.0));
  cmd->add_option("--connect-timeout", connect_timeout, "Seconds allowed to connect (default 10)")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--retries", retries,
                  "Attempts after a network error, a 5xx or a 429, with exponential backoff (default 4)")
      ->check(CLI::Range(0, 20));
  cmd->add_option("--max-wait", max_wait,
                  "Longest rate-limit wait to accept, in seconds, before giving up (default 900)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--max-size", max_size_mib, "Largest response accepted, in MiB (default 64)")
      ->check(CLI::Range(1, 4096));
}

lib::HttpOptions NetOptions::resolve(const Context& ctx, const char* token_env) const {
  lib::HttpOptions o;
  o.timeout = timeout;
  o.connect_timeout = connect_timeout;
  o.retries = retries;
  o.max_wait = max_wait;
  o.max_body = max_size_mib << 20;
  if (token_env && *token_env)
    if (const char* t = std::getenv(token_env)) o.bearer_token = t;
  if (ctx.globals.verbose > 0 && !ctx.globals.quiet)
    o.log = [](const std::string& line) { std::fprintf(stderr, "influence: %s\n", printable(line).c_str()); };
  return o;
}

void print_tallies(const lib::ImportSummary& summary) {
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& t = summary.by_kind[k];
    if (t.total() == 0) continue;
    std::fprintf(stderr, "%-8s %lld inserted, %lld updated, %lld unchanged, %lld rejected\n",
                 lib::to_string(static_cast<lib::RecordKind>(k)), static_cast<long long>(t.inserted),
                 static_cast<long long>(t.updated), static_cast<long long>(t.unchanged),
                 static_cast<long long>(t.rejected));
  }
  if (summary.stubs > 0)
    std::fprintf(stderr, "%lld stub accounts created for accounts named by posts or follows\n",
                 static_cast<long long>(summary.stubs));
}

}  // namespace influence::cli
