#include "lib/graph.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace influence::lib {

Graph::Graph(std::uint32_t nodes, std::vector<Edge> edges) : n_(nodes) {
  std::erase_if(edges, [](const Edge& e) { return e.from == e.to; });
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return a.to != b.to ? a.to < b.to : a.from < b.from;
  });
  in_start_.assign(n_ + 1, 0);
  out_weight_.assign(n_, 0.0);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (!to_.empty() && to_.back() == e.to && from_.back() == e.from) {
      weight_.back() += e.weight;
    } else {
      to_.push_back(e.to);
      from_.push_back(e.from);
      weight_.push_back(e.weight);
      ++in_start_[e.to + 1];
    }
    out_weight_[e.from] += e.weight;
  }
  for (std::uint32_t v = 0; v < n_; ++v) in_start_[v + 1] += in_start_[v];
  unit_weights_ = std::all_of(weight_.begin(), weight_.end(), [](double x) { return x == 1.0; });
}

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
  // Where the second half of the edges starts, when there are enough of them
  // to be worth a thread per iteration.
  std::uint32_t split = 0;
  if (g.edges() >= o.two_threads_from_edges)
    split = static_cast<std::uint32_t>(std::lower_bound(start.begin(), start.end(), g.edges() / 2) - start.begin());
  std::vector<double> rank = t, next(n), share(n);
  for (r.iterations = 1; r.iterations <= o.max_iterations; ++r.iterations) {
    double dangling = 0;
    for (std::uint32_t v = 0; v < n; ++v) {
      if (outw[v] > 0) share[v] = rank[v] / outw[v];
      else {
        share[v] = 0;
        dangling += rank[v];
      }
    }
    // Mass that jumps: the (1-d) of every walker plus all of the dangling ones.
    const double jump = (1.0 - o.damping) + o.damping * dangling;
    // The gather over in-edges is nearly all the time: on a large graph the
    // second core takes the nodes that hold the second half of the edges.
    // Each node's sum is the same whichever core makes it, and the totals
    // below are summed in node order, so the ranks do not depend on threads.
    const auto gather = [&](std::uint32_t first, std::uint32_t last) {
      for (std::uint32_t v = first; v < last; ++v) {
        double in = 0;
        if (unit)  // a follow graph: no weights to stream through memory
          for (auto k = start[v]; k < start[v + 1]; ++k) in += share[from[k]];
        else
          for (auto k = start[v]; k < start[v + 1]; ++k) in += share[from[k]] * w[k];
        next[v] = o.damping * in + jump * t[v];
      }
    };
    if (split > 0 && split < n) {
      std::thread second(gather, split, n);
      gather(0, split);
      second.join();
    } else {
      gather(0, n);
    }
    double change = 0, total = 0;
    for (std::uint32_t v = 0; v < n; ++v) total += next[v];
    for (std::uint32_t v = 0; v < n; ++v) {
      next[v] /= total;  // guards against drift in long runs
      change += std::fabs(next[v] - rank[v]);
    }
    rank.swap(next);
    if (change < o.tolerance) {
      r.converged = true;
      break;
    }
  }
  if (r.iterations > o.max_iterations) r.iterations = o.max_iterations;
  r.rank = std::move(rank);
  return r;
}

}  // namespace influence::lib
