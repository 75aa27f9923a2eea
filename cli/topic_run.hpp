#pragma once
// Shared by the subcommands that score: options for topics, window and
// scoring, and the steps from the store to a Ranking (the library computes).
#include <memory>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "lib/corpus.hpp"
#include "lib/topic.hpp"
#include "scoring/score.hpp"

namespace influence::cli {

struct ScoringArgs {
  std::vector<std::string> topics;
  std::vector<std::string> platforms;
  WindowOptions window;
  std::string weights, echo_weights, exposure = "audience";
  int min_posts = 1;
  void add_to(CLI::App* cmd);
};

struct Scored {
  lib::Corpus corpus;
  scoring::Ranking ranking;
  WindowOptions::Resolved window;
};

lib::Result<Scored> score_from_store(const Context& ctx, const ScoringArgs& args);

}  // namespace influence::cli
