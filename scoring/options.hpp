#pragma once
// Scoring options: the weights of the three dimensions and of each kind of
// reaction, and the knobs of the candidate set.
#include <string_view>

#include "lib/error.hpp"

namespace influence::scoring {

// The survey behind the product: echo 79 %, exposure 73 %, share of voice 62 %
// of professionals rank them; normalised, 0.37 / 0.34 / 0.29.
struct DimensionWeights {
  double echo = 0.37, exposure = 0.34, sov = 0.29;
};

struct EchoWeights {
  double repost = 1.0, quote = 1.0, reply = 0.75, mention = 0.5, like = 0.1;
};

enum class ExposureMode { audience, topical };

struct ScoringOptions {
  DimensionWeights weights;
  EchoWeights echo;
  ExposureMode exposure = ExposureMode::audience;
  int min_posts = 1;
  double damping = 0.85;
  double tolerance = 1e-10;
  // Kept per candidate for explanations (explain, export scores); 0 spares
  // the work of finding them, which rank, printing neither, asks for.
  std::size_t top_posts = 3;
  std::size_t top_echoers = 5;
  // The ranking's rows: the best `rows` candidates (0: every one). rank,
  // printing the first --top with no filter, asks for those only: ordering
  // and filling hundreds of thousands of rows it never prints is a fifth of
  // scoring at ten million posts. Every score is computed either way.
  std::size_t rows = 0;
  // Each candidate's topical audience (followers who posted on the topic:
  // a pass over every follow edge) when it is not scored. explain and
  // export show it; rank asks for it only when its field is printed.
  bool topical_audience = true;
};

// "echo=2,exposure=1,sov=1" -> weights re-normalised to sum to 1. Keys left
// out keep their default value before re-normalisation.
lib::Result<DimensionWeights> parse_weights(std::string_view text);
// "repost=1,quote=1,reply=0.75,mention=0.5,like=0.1", keys optional.
lib::Result<EchoWeights> parse_echo_weights(std::string_view text);
DimensionWeights normalised(DimensionWeights w);

}  // namespace influence::scoring
