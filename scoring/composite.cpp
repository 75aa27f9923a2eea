// Composite: each dimension as a percentile within the candidate set, then a
// weighted sum; the order is total so that weekly files diff cleanly.
#include <algorithm>
#include <future>

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
  // Sorted as (value, index) pairs, not as indices into `values`: the
  // comparisons then read memory in order (hundreds of thousands of
  // candidates at ten million posts).
  std::vector<std::pair<double, std::size_t>> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = {values[i], i};
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && order[j].first == order[i].first) ++j;
    // Ties share the middle of their ranks; a single candidate is at 100.
    const double mid = (static_cast<double>(i) + static_cast<double>(j - 1)) / 2.0;
    const double pct = n == 1 ? 100.0 : 100.0 * mid / static_cast<double>(n - 1);
    for (std::size_t k = i; k < j; ++k) out[order[k].second] = order[k].first > 0 ? pct : 0.0;
    i = j;
  }
  return out;
}

namespace {

// The first eight bytes of a string as a number that orders as the string
// does (byte by byte, unsigned, a shorter string first): most handle
// comparisons end there, without reading the account's string.
std::uint64_t order_prefix(const std::string& s) {
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < 8; ++i)
    k = k << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return k;
}

}  // namespace

void combine(Ranking& r, const lib::Corpus& c) {
  auto& acc = r.accounts;
  std::vector<double> echo, exposure, sov;
  for (const auto& s : acc) {
    echo.push_back(s.echo.value);
    exposure.push_back(s.exposure.value);
    sov.push_back(s.voice.value);
  }
  // Three independent sorts: one of them on the other core.
  auto echo_pct = std::async(std::launch::async, [&] { return percentile_ranks(echo); });
  const auto px = percentile_ranks(exposure), ps = percentile_ranks(sov);
  const auto pe = echo_pct.get();
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
  // Score, then echo, then handle, then id: a total order. Sorted as small
  // keys (score and echo side by side, the strings only for exact ties), then
  // put in place cycle by cycle: a ScoredAccount is a few hundred bytes, to
  // move as few times as possible and without a second vector.
  struct Key {
    double score, echo;
    std::uint64_t handle;  // order_prefix() of the handle
    std::uint32_t index;
  };
  std::vector<Key> keys(acc.size());
  for (std::uint32_t i = 0; i < acc.size(); ++i)
    keys[i] = {acc[i].score, acc[i].echo.value, order_prefix(c.accounts[acc[i].account].handle), i};
  std::sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.echo != y.echo) return x.echo > y.echo;
    if (x.handle != y.handle) return x.handle < y.handle;
    const auto& a = c.accounts[acc[x.index].account];
    const auto& b = c.accounts[acc[y.index].account];
    if (a.handle != b.handle) return a.handle < b.handle;
    return a.id < b.id;
  });
  constexpr std::uint32_t done = UINT32_MAX;
  std::vector<std::uint32_t> order(acc.size());
  for (std::size_t k = 0; k < keys.size(); ++k) order[k] = keys[k].index;
  keys = {};
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
