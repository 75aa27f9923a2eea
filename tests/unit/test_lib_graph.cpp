#include <doctest/doctest.h>

#include <numeric>
#include <set>
#include <utility>

#include "lib/graph.hpp"

using namespace influence::lib;

TEST_CASE("PageRank sums to 1 and matches a hand-solved 4-node graph") {
  // 0->1, 0->2, 1->2, 2->0, 3->2, uniform teleport, d = 0.85. Solving
  // r = 0.15/4 + 0.85 M r by hand gives the values below.
  Graph g(4, {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {2, 0, 1}, {3, 2, 1}});
  auto r = pagerank(g, {}, {0.85, 1e-12, 1000});
  REQUIRE(r.converged);
  CHECK(std::accumulate(r.rank.begin(), r.rank.end(), 0.0) == doctest::Approx(1.0));
  CHECK(r.rank[0] == doctest::Approx(0.372526).epsilon(1e-4));
  CHECK(r.rank[1] == doctest::Approx(0.195824).epsilon(1e-4));
  CHECK(r.rank[2] == doctest::Approx(0.394149).epsilon(1e-4));
  CHECK(r.rank[3] == doctest::Approx(0.0375).epsilon(1e-4));
}

TEST_CASE("the in-edge rows come by target, then source; parallel edges merge wherever they stand") {
  // Out of order, parallel edges apart from each other, a self-loop.
  Graph g(4, {{3, 1, 1}, {2, 0, 1}, {0, 1, 2}, {3, 3, 9}, {2, 1, 1}, {0, 1, 0.5}, {3, 0, 1}, {2, 0, 4}});
  CHECK(g.edges() == 5);
  CHECK(g.in_start() == std::vector<std::uint64_t>{0, 2, 5, 5, 5});
  CHECK(g.in_from() == std::vector<std::uint32_t>{2, 3, 0, 2, 3});
  CHECK(g.in_weight() == std::vector<double>{5, 1, 2.5, 1, 1});
  CHECK(g.out_weight() == std::vector<double>{2.5, 0, 6, 2});
  CHECK_FALSE(g.unit_weights());
}

TEST_CASE("dangling nodes and personalised teleport keep the total at 1") {
  Graph g(3, {{0, 1, 2}, {0, 1, 1}, {1, 1, 5}});  // parallel edges merge, self-loops go
  CHECK(g.edges() == 1);
  auto r = pagerank(g, {1, 0, 0}, {});
  CHECK(std::accumulate(r.rank.begin(), r.rank.end(), 0.0) == doctest::Approx(1.0));
  CHECK(r.rank[2] == doctest::Approx(0.0));  // never teleported to, no in-edges
  CHECK(r.rank[1] > r.rank[2]);
}

TEST_CASE("PageRank gives the same ranks on one thread or two, with or without unit weights") {
  // A skewed random graph: many edges into a few nodes, as follow graphs are.
  std::uint64_t state = 7;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  const std::uint32_t n = 3000;
  std::vector<Edge> unit, doubled, weighted;
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;  // parallel edges would merge into weight 2
  for (int i = 0; i < 60000; ++i) {
    const auto from = next() % n, to = (next() % n) * (next() % n) / n;
    if (from == to || !seen.insert({from, to}).second) continue;
    unit.push_back({from, to, 1.0});
    doubled.push_back({from, to, 2.0});
    weighted.push_back({from, to, 1.0 + next() % 4});
  }
  std::vector<double> teleport(n);
  for (std::uint32_t v = 0; v < n; v += 7) teleport[v] = 1.0;
  PageRankOptions one{0.85, 1e-12, 1000}, two = one;
  one.two_threads_from_edges = SIZE_MAX;
  two.two_threads_from_edges = 0;
  const Graph gu(n, unit), gd(n, doubled), gw(n, weighted);
  CHECK(gu.unit_weights());
  CHECK_FALSE(gd.unit_weights());
  for (const Graph* g : {&gu, &gw}) {
    const auto a = pagerank(*g, teleport, one), b = pagerank(*g, teleport, two);
    REQUIRE(a.converged);
    CHECK(a.iterations == b.iterations);
    CHECK(a.rank == b.rank);  // bit for bit
  }
  // Doubling every weight changes no share, and rounds the same way: the
  // unit-weight path must agree exactly with the weighted one.
  CHECK(pagerank(gu, teleport, two).rank == pagerank(gd, teleport, two).rank);
  CHECK(pagerank(gu, teleport, one).rank != pagerank(gw, teleport, one).rank);
}
