#pragma once
// The most used hashtags and words of a window, to help an analyst pick topics.
#include <cstdint>
#include <string>
#include <vector>

#include "lib/corpus.hpp"

namespace influence::lib {

struct TermCount {
  bool hashtag = false;
  std::string term;  // folded
  std::int64_t posts = 0;    // window posts using it (reposts excluded: they say nothing new)
  std::int64_t authors = 0;  // distinct accounts using it
};

// Words shorter than three letters, numbers and common French and English
// function words are left out. Ordered by posts, then authors, then term.
std::vector<TermCount> top_terms(const Corpus& c, std::size_t top_hashtags, std::size_t top_words);

}  // namespace influence::lib
