#include <doctest/doctest.h>

#include <numeric>

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

TEST_CASE("dangling nodes and personalised teleport keep the total at 1") {
  Graph g(3, {{0, 1, 2}, {0, 1, 1}, {1, 1, 5}});  // parallel edges merge, self-loops go
  CHECK(g.edges() == 1);
  auto r = pagerank(g, {1, 0, 0}, {});
  CHECK(std::accumulate(r.rank.begin(), r.rank.end(), 0.0) == doctest::Approx(1.0));
  CHECK(r.rank[2] == doctest::Approx(0.0));  // never teleported to, no in-edges
  CHECK(r.rank[1] > r.rank[2]);
}
