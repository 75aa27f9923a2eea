// Composite: each dimension as a percentile within the candidate set, then a
// weighted sum; the order is total so that weekly files diff cleanly.
#include <algorithm>
#include <numeric>

#include "scoring/dimensions.hpp"
#include "scoring/score.hpp"

namespace influence::scoring {

const char* tier_of(std::int64_t audience) {
  if (audience < 10'000) return "nano";
  if (audience < 100'000) return "micro";
  if (audience < 1'000'000) return "macro";
  return "mega";
}

std::vector<double> percentile_ranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<double> out(n, 0.0);
  if (n == 0) return out;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return values[a] < values[b]; });
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && values[order[j]] == values[order[i]]) ++j;
    // Ties share the middle of their ranks; a single candidate is at 100.
    const double mid = (static_cast<double>(i) + static_cast<double>(j - 1)) / 2.0;
    const double pct = n == 1 ? 100.0 : 100.0 * mid / static_cast<double>(n - 1);
    for (std::size_t k = i; k < j; ++k) out[order[k]] = values[order[k]] > 0 ? pct : 0.0;
    i = j;
  }
  return out;
}

void combine(Ranking& r, const lib::Corpus& c) {
  auto& acc = r.accounts;
  std::vector<double> echo, exposure, sov;
  for (const auto& s : acc) {
    echo.push_back(s.echo.value);
    exposure.push_back(s.exposure.value);
    sov.push_back(s.voice.value);
  }
  const auto pe = percentile_ranks(echo), px = percentile_ranks(exposure), ps = percentile_ranks(sov);
  const auto w = r.weights;
  for (std::size_t i = 0; i < acc.size(); ++i) {
    auto& s = acc[i];
    s.echo_norm = pe[i];
    s.exposure_norm = px[i];
    s.sov_norm = ps[i];
    s.echo_contribution = w.echo * pe[i];
    s.exposure_contribution = w.exposure * px[i];
    s.sov_contribution = w.sov * ps[i];
    s.score = s.echo_contribution + s.exposure_contribution + s.sov_contribution;
    s.tier = tier_of(s.exposure.audience);
  }
  // Score, then echo, then handle, then id: a total order. Sorted by index,
  // then put in place cycle by cycle: a ScoredAccount is a few hundred
  // bytes, to swap as few times as possible and without a second vector.
  constexpr std::uint32_t done = UINT32_MAX;
  std::vector<std::uint32_t> order(acc.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t i, std::uint32_t j) {
    const auto& a = acc[i];
    const auto& b = acc[j];
    if (a.score != b.score) return a.score > b.score;
    if (a.echo.value != b.echo.value) return a.echo.value > b.echo.value;
    const auto& ha = c.accounts[a.account].handle;
    const auto& hb = c.accounts[b.account].handle;
    if (ha != hb) return ha < hb;
    return c.accounts[a.account].id < c.accounts[b.account].id;
  });
  for (std::size_t start = 0; start < order.size(); ++start) {
    // order[k] is the account that goes to k; a placed one is marked done.
    if (order[start] == start || order[start] == done) continue;
    ScoredAccount moving = std::move(acc[start]);
    std::size_t k = start;
    while (order[k] != start) {
      acc[k] = std::move(acc[order[k]]);
      const auto next = order[k];
      order[k] = done;
      k = next;
    }
    acc[k] = std::move(moving);
    order[k] = done;
  }
  for (std::size_t i = 0; i < acc.size(); ++i) acc[i].rank = i + 1;
}

}  // namespace influence::scoring
