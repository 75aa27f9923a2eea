#include "lib/graph.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace influence::lib {

// Edges into their targets' rows by counting (a stable placement: parallel
// edges keep their input order), then each row by source where it is not in
// order already (a follow list usually is): a few passes over the edges in
// place of a comparison sort of all of them, which was most of building the
// topic interaction graph.
Graph::Graph(std::uint32_t nodes, std::vector<Edge> edges) : n_(nodes) {
  std::vector<std::uint64_t> at(std::size_t{n_} + 1, 0);
  out_weight_.assign(n_, 0.0);
  for (const auto& e : edges) {
    if (e.from == e.to) continue;
    ++at[e.to + 1];
    out_weight_[e.from] += e.weight;
  }
  for (std::uint32_t v = 0; v < n_; ++v) at[v + 1] += at[v];
  const std::vector<std::uint64_t> row = at;  // where each target's row starts
  from_.resize(at[n_]);
  weight_.resize(at[n_]);
  for (const auto& e : edges) {
    if (e.from == e.to) continue;
    const auto k = at[e.to]++;
    from_[k] = e.from;
    weight_[k] = e.weight;
  }
  edges = {};
  // Each row by source (input order among equals: the position in the key,
  // as flush_follows() does, for a stable sort), parallel edges merged.
  struct Entry {
    std::uint32_t from;
    std::uint64_t position;
    double weight;
  };
  std::vector<Entry> sorting;
  in_start_.assign(std::size_t{n_} + 1, 0);
  std::uint64_t out = 0;
  for (std::uint32_t v = 0; v < n_; ++v) {
    const auto first = row[v], last = row[v + 1];
    if (!std::is_sorted(from_.begin() + static_cast<std::ptrdiff_t>(first),
                        from_.begin() + static_cast<std::ptrdiff_t>(last))) {
      sorting.clear();
      for (auto k = first; k < last; ++k) sorting.push_back({from_[k], k, weight_[k]});
      std::sort(sorting.begin(), sorting.end(), [](const Entry& x, const Entry& y) {
        return x.from != y.from ? x.from < y.from : x.position < y.position;
      });
      for (auto k = first; k < last; ++k) {
        from_[k] = sorting[k - first].from;
        weight_[k] = sorting[k - first].weight;
      }
    }
    for (auto k = first; k < last; ++k) {
      if (out > in_start_[v] && from_[out - 1] == from_[k]) {
        weight_[out - 1] += weight_[k];
      } else {
        from_[out] = from_[k];
        weight_[out] = weight_[k];
        ++out;
      }
    }
    in_start_[v + 1] = out;
  }
  from_.resize(out);
  weight_.resize(out);
  from_.shrink_to_fit();
  weight_.shrink_to_fit();
  unit_weights_ = std::all_of(weight_.begin(), weight_.end(), [](double x) { return x == 1.0; });
}

namespace {

struct Gather {
  const std::uint64_t* start;
  const std::uint32_t* from;
  const double* weight;
  const double* share;
  const double* teleport;
  double* next;
  std::size_t prefetch_below;  // edges past this have nothing ahead to fetch
};

// next[v] for the nodes [first, last): what flows in over their in-edges (the
// sources' shares, times the edges' weights unless every edge weighs 1, as
// in a follow graph: no weights to stream through memory), damped, plus
// their part of the jump. Returns their sum, added in node order.
template <bool weighted, bool prefetch>
double gather(const Gather& g, std::uint32_t first, std::uint32_t last, double damping, double jump) {
  double total = 0;
  for (std::uint32_t v = first; v < last; ++v) {
    double in = 0;
    for (auto k = g.start[v]; k < g.start[v + 1]; ++k) {
      if constexpr (prefetch)
        if (k < g.prefetch_below) __builtin_prefetch(g.share + g.from[k + 16]);
      if constexpr (weighted) in += g.share[g.from[k]] * g.weight[k];
      else in += g.share[g.from[k]];
    }
    g.next[v] = damping * in + jump * g.teleport[v];
    total += g.next[v];
  }
  return total;
}

}  // namespace

PageRankResult pagerank(const Graph& g, const std::vector<double>& teleport, const PageRankOptions& o) {
  const std::uint32_t n = g.nodes();
  PageRankResult r;
  if (n == 0) {
    r.converged = true;
    return r;
  }
  std::vector<double> t(n, 0.0);
  double tsum = 0;
  for (std::uint32_t v = 0; v < n && v < teleport.size(); ++v) tsum += std::max(0.0, teleport[v]);
  for (std::uint32_t v = 0; v < n; ++v)
    t[v] = tsum > 0 ? std::max(0.0, v < teleport.size() ? teleport[v] : 0.0) / tsum : 1.0 / n;

  const auto& start = g.in_start();
  const auto& from = g.in_from();
  const auto& w = g.in_weight();
  const auto& outw = g.out_weight();
  const bool unit = g.unit_weights();
  // The nodes in two halves, [0, split) and [split, n), of about as much
  // work each: a node's in-edges, plus the node itself (its rank, share and
  // sums weigh about what an edge does; the topic interaction graphs have
  // about as many nodes as edges). Every sum of an iteration is the first
  // half's plus the second's, on one thread or on two, so that the ranks do
  // not depend on threads; a large graph runs the second half on the other
  // core, both its gather and its pass over the nodes.
  const std::uint64_t half_work = (from.size() + n) / 2;
  std::uint32_t split = 0, above = n;  // the first node v with start[v] + v >= half_work
  while (split < above) {
    const std::uint32_t mid = split + (above - split) / 2;
    if (start[mid] + mid < half_work) split = mid + 1;
    else above = mid;
  }
  const bool two_threads = g.edges() >= o.two_threads_from_edges && split > 0 && split < n;
  // work(first, last, half) for both halves, the second on the other core when two_threads.
  const auto halves = [&](auto&& work) {
    if (two_threads) {
      std::thread second([&] { work(split, n, 1); });
      work(0, split, 0);
      second.join();
    } else {
      work(0, split, 0);
      work(split, n, 1);
    }
  };
  std::vector<double> rank = t, next(n), share(n);
  // The shares are read in the sources' order, which is no order: when
  // their table is larger than the cache, each is fetched a few edges ahead.
  const bool far = n >= (std::uint32_t{1} << 19);  // 4 MB of shares
  const auto gather_nodes = unit ? (far ? gather<false, true> : gather<false, false>)
                                 : (far ? gather<true, true> : gather<true, false>);
  // What each node passes along each of its out-edges, and the mass of the
  // nodes that have none: made for the first iteration here, then for each
  // next one in the same pass that normalises the ranks. The passes over the
  // nodes, not the gather over the edges, are most of the time on a graph
  // with about as many nodes as edges (the topic interaction graphs), so
  // they are fused: two per iteration instead of four.
  // (Each half sums into a local and stores it once: two cores adding into
  // neighbouring doubles would share their cache line.)
  double dangling[2] = {0, 0};
  const auto spread = [&](std::uint32_t v, double rank_v, double& dangling_sum) {
    if (outw[v] > 0) share[v] = rank_v / outw[v];
    else {
      share[v] = 0;
      dangling_sum += rank_v;
    }
  };
  halves([&](std::uint32_t first, std::uint32_t last, int half) {
    double d = 0;
    for (std::uint32_t v = first; v < last; ++v) spread(v, rank[v], d);
    dangling[half] = d;
  });
  for (r.iterations = 1; r.iterations <= o.max_iterations; ++r.iterations) {
    // Mass that jumps: the (1-d) of every walker plus all of the dangling ones.
    const double jump = (1.0 - o.damping) + o.damping * (dangling[0] + dangling[1]);
    // The gather over in-edges. Each node's sum is the same whichever core
    // makes it.
    const Gather in{start.data(), from.data(), w.data(), share.data(), t.data(), next.data(),
                    from.size() > 16 ? from.size() - 16 : 0};
    double total[2] = {0, 0};
    halves([&](std::uint32_t first, std::uint32_t last, int half) {
      total[half] = gather_nodes(in, first, last, o.damping, jump);
    });
    const double sum = total[0] + total[1];
    double change[2] = {0, 0};
    halves([&](std::uint32_t first, std::uint32_t last, int half) {
      double c = 0, d = 0;
      for (std::uint32_t v = first; v < last; ++v) {
        next[v] /= sum;  // guards against drift in long runs
        c += std::fabs(next[v] - rank[v]);
        spread(v, next[v], d);
      }
      change[half] = c;
      dangling[half] = d;
    });
    rank.swap(next);
    if (change[0] + change[1] < o.tolerance) {
      r.converged = true;
      break;
    }
  }
  if (r.iterations > o.max_iterations) r.iterations = o.max_iterations;
  r.rank = std::move(rank);
  return r;
}

}  // namespace influence::lib
