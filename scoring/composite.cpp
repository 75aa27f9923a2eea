// Composite: each dimension as a percentile within the candidate set, then a
// weighted sum; the order is total so that weekly files diff cleanly.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <future>
#include <utility>

#include "scoring/dimensions.hpp"
#include "scoring/score.hpp"

namespace influence::scoring {

const char* tier_of(std::int64_t audience) {
  if (audience < 10'000) return "nano";
  if (audience < 100'000) return "micro";
  if (audience < 1'000'000) return "macro";
  return "mega";
}

namespace {

// The order of doubles as unsigned integers: negatives reversed below the
// positives; -0 is 0, so that the two zeros tie as they compare equal.
std::uint64_t order_bits(double v) {
  const auto b = std::bit_cast<std::uint64_t>(v == 0 ? 0.0 : v);
  return b >> 63 ? ~b : b | std::uint64_t{1} << 63;
}

// (key, index) pairs sorted by key: least significant digit first, 11 bits
// a pass, skipping the digits all keys share (the low bits of whole
// numbers, the top ones of a narrow range). A few passes over the pairs
// instead of the comparisons of a sort: the candidates of a topic at ten
// million posts are hundreds of thousands.
struct Keyed {
  std::uint64_t key;
  std::uint32_t index;
};
void radix_sort(std::vector<Keyed>& a) {
  constexpr unsigned bits = 11, buckets = 1u << bits, passes = (64 + bits - 1) / bits;
  std::vector<std::uint32_t> count(passes * buckets, 0);
  for (const auto& x : a)
    for (unsigned p = 0; p < passes; ++p) ++count[p * buckets + (x.key >> (p * bits) & (buckets - 1))];
  std::vector<Keyed> b(a.size());
  for (unsigned p = 0; p < passes; ++p) {
    auto* c = count.data() + p * buckets;
    if (std::find(c, c + buckets, a.size()) != c + buckets) continue;  // one digit for all
    std::uint32_t sum = 0;
    for (unsigned d = 0; d < buckets; ++d) sum += std::exchange(c[d], sum);
    for (const auto& x : a) b[c[x.key >> (p * bits) & (buckets - 1)]++] = x;
    a.swap(b);
  }
}

// The first eight bytes of a string as a number that orders as the string
// does (byte by byte, unsigned, a shorter string first): most handle
// comparisons end there, without reading the account's string.
std::uint64_t order_prefix(std::string_view s) {
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < 8; ++i)
    k = k << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return k;
}

}  // namespace

std::vector<double> percentile_ranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<double> out(n, 0.0);
  if (n == 0) return out;
  // Indices in 32 bits: the values are candidates', and accounts are indexed so.
  std::vector<Keyed> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = {order_bits(values[i]), static_cast<std::uint32_t>(i)};
  radix_sort(order);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && order[j].key == order[i].key) ++j;
    // Ties share the middle of their ranks; a single candidate is at 100.
    const double mid = (static_cast<double>(i) + static_cast<double>(j - 1)) / 2.0;
    const double pct = n == 1 ? 100.0 : 100.0 * mid / static_cast<double>(n - 1);
    for (std::size_t k = i; k < j; ++k) out[order[k].index] = values[order[k].index] > 0 ? pct : 0.0;
    i = j;
  }
  return out;
}

void combine(Ranking& r, const lib::Corpus& c, Dimensions& d, std::size_t keep) {
  const auto& ids = d.candidates;
  const std::size_t n = ids.size();
  std::vector<double> echo(n), exposure(n), sov(n);
  for (std::size_t k = 0; k < n; ++k) {
    echo[k] = d.echo.counts[ids[k]].value;
    exposure[k] = d.exposure[ids[k]].value;
    sov[k] = d.voice[ids[k]].value;
  }
  // Three independent sorts: one of them on the other core.
  auto echo_pct = std::async(std::launch::async, [&] { return percentile_ranks(echo); });
  const auto px = percentile_ranks(exposure), ps = percentile_ranks(sov);
  const auto pe = echo_pct.get();
  const auto w = r.weights;
  const auto score_of = [&](std::size_t k) { return w.echo * pe[k] + w.exposure * px[k] + w.sov * ps[k]; };
  // Score, then echo, then handle, then id: a total order. Sorted as small
  // keys (score and echo side by side, the strings only for exact ties);
  // the rows are then made in that order, once each.
  struct Key {
    double score, echo;
    std::uint64_t handle;  // order_prefix() of the handle
    std::uint32_t index;   // into ids
  };
  std::vector<Key> keys(n);
  for (std::uint32_t k = 0; k < n; ++k) keys[k] = {score_of(k), echo[k], order_prefix(c.accounts[ids[k]].handle), k};
  const auto before = [&](const Key& x, const Key& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.echo != y.echo) return x.echo > y.echo;
    if (x.handle != y.handle) return x.handle < y.handle;
    const auto& a = c.accounts[ids[x.index]];
    const auto& b = c.accounts[ids[y.index]];
    if (a.handle != b.handle) return a.handle < b.handle;
    return a.id < b.id;
  };
  // The order is total, so the best `keep` found by a partial sort are the
  // first `keep` of the full sort, in the same order.
  const std::size_t rows = keep == 0 ? n : std::min(keep, n);
  if (rows == n)
    std::sort(keys.begin(), keys.end(), before);
  else
    std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(rows), keys.end(), before);
  r.candidates = n;
  r.accounts.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const auto k = keys[i].index;
    const auto a = ids[k];
    auto& s = r.accounts[i];
    s.account = a;
    s.rank = i + 1;
    s.echo = d.echo.counts[a];
    s.exposure = d.exposure[a];
    s.voice = d.voice[a];
    s.echo_norm = pe[k];
    s.exposure_norm = px[k];
    s.sov_norm = ps[k];
    s.echo_contribution = w.echo * pe[k];
    s.exposure_contribution = w.exposure * px[k];
    s.sov_contribution = w.sov * ps[k];
    s.score = s.echo_contribution + s.exposure_contribution + s.sov_contribution;
    s.tier = tier_of(s.exposure.audience);
    if (!d.echo.top_posts.empty()) s.top_posts = std::move(d.echo.top_posts[a]);
    if (!d.echo.top_echoers.empty()) s.top_echoers = std::move(d.echo.top_echoers[a]);
  }
}

}  // namespace influence::scoring
