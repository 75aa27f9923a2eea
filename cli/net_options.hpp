#pragma once
// Network options shared by `fetch` and URL imports, and what the user sees
// of the network: request lines with -v, waits on the progress line.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "cli/context.hpp"
#include "lib/http.hpp"
#include "lib/importer.hpp"

namespace influence::cli {

struct NetOptions {
  double timeout = 60;
  double connect_timeout = 10;
  int retries = 4;
  double max_wait = 900;
  std::uint64_t max_size_mib = 64;
  void add_to(CLI::App* cmd);
  // `token_env` names the variable holding a bearer token ("" for none);
  // the token is read here and goes nowhere but the Authorization header.
  lib::HttpOptions resolve(const Context& ctx, const char* token_env) const;
};

// Prints inserted / updated / unchanged / rejected per kind, and stubs, on stderr.
void print_tallies(const lib::ImportSummary& summary);

}  // namespace influence::cli
