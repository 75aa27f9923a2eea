#pragma once
// Shared by the subcommands that work on a topic: options for topics, window
// and scoring, and the steps from the store to a Ranking (the library computes).
#include <memory>
#include <optional>
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
  // filter needs only the topic and window options.
  void add_to(CLI::App* cmd, bool topic_required = true, bool scoring_options = true);
};

// Everything but the corpus: options checked, topics resolved, store open.
struct Prepared {
  std::unique_ptr<lib::Store> store;
  std::optional<lib::TopicFile> file;
  lib::TopicMatcher matcher;
  scoring::ScoringOptions options;
  WindowOptions::Resolved window;
  std::vector<std::string> platforms;
};

lib::Result<std::unique_ptr<Prepared>> prepare(const Context& ctx, const ScoringArgs& args);

// The topics file of the settings, if there is one.
lib::Result<std::optional<lib::TopicFile>> load_topics_file(const Context& ctx);

struct Scored {
  lib::Corpus corpus;
  scoring::Ranking ranking;
};

lib::Result<Scored> score_window(Prepared& p, lib::Timestamp since, lib::Timestamp until);

inline lib::Result<Scored> score_from_store(const Context& ctx, const ScoringArgs& args) {
  auto p = prepare(ctx, args);
  if (!p) return std::unexpected(p.error());
  return score_window(**p, (*p)->window.since, (*p)->window.until);
}

}  // namespace influence::cli
