#pragma once
// Scoring for a topic and a window: corpus in, ranked and explained accounts out.
// Pure computation: no I/O, no SQL, so that it can run on features computed
// by another backend.
#include <vector>

#include "lib/corpus.hpp"
#include "lib/topic.hpp"
#include "scoring/options.hpp"
#include "scoring/result.hpp"

namespace influence::scoring {

Ranking score_topic(const lib::Corpus& corpus, lib::TopicMatcher& matcher, const ScoringOptions& options);

// Indices of the window's posts that are on the topic (for filter and export).
std::vector<std::uint32_t> topic_posts(const lib::Corpus& corpus, lib::TopicMatcher& matcher);

}  // namespace influence::scoring
