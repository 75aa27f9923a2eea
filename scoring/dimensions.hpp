#pragma once
// The steps of scoring, each in its own file; score.cpp runs them in order.
// Per-account vectors are indexed like corpus.accounts.
#include <vector>

#include "lib/corpus.hpp"
#include "lib/topic.hpp"
#include "scoring/result.hpp"

namespace influence::scoring {

// Which posts of the window are on the topic: those whose text or hashtags
// match; reposts of a matching post; replies and quotes of a matching post.
struct TopicView {
  std::vector<char> topic;  // per corpus post
  std::vector<std::uint32_t> topic_posts_by_author;  // count per account (all types)
  std::vector<std::uint32_t> window_posts_by_author;
  // Per account: a topic post (not its own) reposts, quotes or replies to
  // it, or mentions it (a repost's mentions being the original's).
  std::vector<char> reacted_to;
  std::size_t topic_posts = 0, window_posts = 0;
};
// Posts are matched on two threads from 100,000 posts on (threads = 0), or
// on the number given; the view is the same either way.
TopicView classify(const lib::Corpus& c, lib::TopicMatcher& matcher, unsigned threads = 0);

// Accounts with at least min_posts topic posts, and accounts that topic posts
// repost, quote, reply to or mention.
std::vector<char> candidates(const lib::Corpus& c, const TopicView& v, int min_posts);

struct EchoResult {
  std::vector<EchoCounts> counts;
  std::vector<std::vector<PostEcho>> top_posts;  // per account; empty when none are asked for
  std::vector<std::vector<Echoer>> top_echoers;  // likewise
  std::size_t graph_nodes = 0, graph_edges = 0;
  int iterations = 0;
};
EchoResult compute_echo(const lib::Corpus& c, const TopicView& v, const std::vector<char>& candidate,
                        const ScoringOptions& o);

// The topical audience is found when scored (mode topical) or asked for;
// else it stays 0.
std::vector<ExposureCounts> compute_exposure(const lib::Corpus& c, const TopicView& v, ExposureMode mode,
                                             bool topical_audience = true);

std::vector<VoiceCounts> compute_voice(const lib::Corpus& c, const TopicView& v, double& total_voice);

// What combine() reads: the candidates, in account order, and each
// dimension's per-account results.
struct Dimensions {
  std::vector<std::uint32_t> candidates;
  EchoResult echo;
  std::vector<ExposureCounts> exposure;
  std::vector<VoiceCounts> voice;
};
// Normalises the dimensions, combines them and orders the candidates into
// r.accounts: the best `keep` of them (0: all), moving their top posts and
// echoers out of d.
void combine(Ranking& r, const lib::Corpus& c, Dimensions& d, std::size_t keep);

// Percentile rank (mid-rank for ties) of each value among `values`, 0-100;
// a value of 0 scores 0. Percentiles do not change under any increasing
// transform, so this is also the percentile of the log-scaled values.
std::vector<double> percentile_ranks(const std::vector<double>& values);

}  // namespace influence::scoring
