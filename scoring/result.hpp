#pragma once
// What scoring returns: each candidate's raw counts, normalised values,
// weights and contributions, its top topic posts and top echoers — all that
// `influence explain` prints.
#include <cstdint>
#include <string>
#include <vector>

#include "lib/corpus.hpp"
#include "scoring/options.hpp"

namespace influence::scoring {

struct EchoCounts {
  // Each reaction once: the larger of the declared counter and the reacting
  // posts seen in the corpus, never their sum.
  std::int64_t reposts = 0, quotes = 0, replies = 0, likes = 0, mentions = 0;
  std::int64_t observed_reposts = 0, observed_quotes = 0, observed_replies = 0;
  std::int64_t declared_reposts = 0, declared_quotes = 0, declared_replies = 0;
  double reactions = 0;       // weighted sum of the counts above
  double pagerank = 0;        // in the topic interaction graph
  double network_factor = 0;  // (1 + nodes * pagerank) / 2: 1 for an average node
  double value = 0;           // reactions * network_factor
};

struct ExposureCounts {
  std::int64_t declared_followers = -1;  // -1: not declared
  std::int64_t graph_followers = 0;      // follow edges in the store
  std::int64_t audience = 0;             // max of the two, summed over the person's accounts
  std::int64_t topical_audience = 0;     // followers who posted on the topic in the window
  std::size_t person_accounts = 1;
  double value = 0;  // audience, or topical_audience with --exposure topical
};

struct VoiceCounts {
  std::int64_t originals = 0, replies = 0, quotes = 0, reposts = 0;
  std::int64_t mentions = 0;  // others' topic posts naming the account
  std::int64_t topic_posts = 0, all_posts = 0;
  double voice = 0;  // originals + replies + quotes + reposts/2 + mentions
  double value = 0;  // share: voice over everyone's voice
  double focus = 0;  // topic posts over all its posts in the window
};

struct PostEcho {
  std::uint32_t post = lib::no_index;
  std::int64_t reposts = 0, quotes = 0, replies = 0, likes = 0;
  double echo = 0;
};

struct Echoer {
  std::uint32_t account = lib::no_index;
  std::int64_t reactions = 0;
  double weight = 0;
};

struct ScoredAccount {
  std::uint32_t account = lib::no_index;
  std::size_t rank = 0;  // 1-based among all candidates
  EchoCounts echo;
  ExposureCounts exposure;
  VoiceCounts voice;
  double echo_norm = 0, exposure_norm = 0, sov_norm = 0;  // 0-100
  double echo_contribution = 0, exposure_contribution = 0, sov_contribution = 0;
  double score = 0;  // 0-100
  const char* tier = "nano";
  std::vector<PostEcho> top_posts;
  std::vector<Echoer> top_echoers;
};

struct Ranking {
  std::vector<ScoredAccount> accounts;  // in rank order: all candidates, or the first ScoringOptions::rows
  std::size_t candidates = 0;           // every candidate ranked
  DimensionWeights weights;             // as applied (normalised)
  EchoWeights echo_weights;
  ExposureMode exposure_mode = ExposureMode::audience;
  std::size_t topic_posts = 0;          // in the window
  std::size_t window_posts = 0;
  double total_voice = 0;
  std::size_t graph_nodes = 0, graph_edges = 0;
  int pagerank_iterations = 0;
  bool has_follow_graph = false;
};

// nano < 10k <= micro < 100k <= macro < 1M <= mega
const char* tier_of(std::int64_t audience);

}  // namespace influence::scoring
