#include "scoring/score.hpp"

#include <algorithm>
#include <future>
#include <utility>

#include "scoring/dimensions.hpp"

namespace influence::scoring {

std::vector<std::uint32_t> topic_posts(const lib::Corpus& c, lib::TopicMatcher& matcher) {
  const TopicView view = classify(c, matcher);
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < c.posts.size(); ++i)
    if (view.topic[i]) out.push_back(i);
  return out;
}

Ranking score_topic(const lib::Corpus& c, lib::TopicMatcher& matcher, const ScoringOptions& o) {
  const TopicView view = classify(c, matcher);
  const auto cand = candidates(c, view, o.min_posts);
  Ranking r;
  // Echo is the longest stage; exposure and share of voice only read the
  // same corpus and view, so they run beside it on the other core (a future,
  // so that an exception reaches the caller). Echo's PageRank takes a thread
  // of its own: the two cores share three tasks.
  auto side = std::async(std::launch::async, [&] {
    return std::make_pair(compute_exposure(c, view, o.exposure, o.topical_audience),
                          compute_voice(c, view, r.total_voice));
  });
  auto echo = compute_echo(c, view, cand, o);
  auto [exposure, voice] = side.get();
  r.weights = normalised(o.weights);
  r.echo_weights = o.echo;
  r.exposure_mode = o.exposure;
  r.topic_posts = view.topic_posts;
  r.window_posts = view.window_posts;
  r.graph_nodes = echo.graph_nodes;
  r.graph_edges = echo.graph_edges;
  r.pagerank_iterations = echo.iterations;
  r.has_follow_graph = c.has_follow_graph();
  Dimensions d{{}, std::move(echo), std::move(exposure), std::move(voice)};
  for (std::uint32_t a = 0; a < c.accounts.size(); ++a)
    if (cand[a]) d.candidates.push_back(a);
  combine(r, c, d, o.rows);
  return r;
}

}  // namespace influence::scoring
