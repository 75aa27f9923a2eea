// --weights and --echo-weights: parsed weights are finite, non-negative, and
// dimension weights sum to 1.
#include <cmath>
#include <cstdint>
#include <string>

#include "scoring/options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace influence::scoring;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto w = parse_weights(text)) {
    const double sum = w->echo + w->exposure + w->sov;
    if (!(std::fabs(sum - 1) < 1e-9) || w->echo < 0 || w->exposure < 0 || w->sov < 0) __builtin_trap();
  }
  if (auto e = parse_echo_weights(text)) {
    for (double v : {e->repost, e->quote, e->reply, e->mention, e->like})
      if (!std::isfinite(v) || v < 0) __builtin_trap();
  }
  return 0;
}
