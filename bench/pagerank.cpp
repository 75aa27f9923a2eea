// The PageRank stage alone, on a follow graph: influence-bench-pagerank FOLLOWS.csv [TOLERANCE]
// Prints one JSON line: load time, iterations, time per iteration, total.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "lib/graph.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: influence-bench-pagerank FOLLOWS.csv [TOLERANCE]\n");
    return 2;
  }
  const double tol = argc > 2 ? std::atof(argv[2]) : 1e-10;
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  std::FILE* f = std::fopen(argv[1], "rb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  std::unordered_map<std::string, std::uint32_t> ids;
  std::vector<influence::lib::Edge> edges;
  char line[4096];
  bool header = true;
  auto intern = [&](std::string s) {
    return ids.emplace(std::move(s), static_cast<std::uint32_t>(ids.size())).first->second;
  };
  // Either "follower,followee[,...]" CSV or SNAP's "follower followee".
  while (std::fgets(line, sizeof line, f)) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (header && s.starts_with("follower")) {
      header = false;
      continue;
    }
    header = false;
    const auto sep = s.find_first_of(", ");
    if (sep == std::string::npos) continue;
    auto rest = s.substr(sep + 1);
    rest = rest.substr(0, rest.find_first_of(", "));
    // Edges point from follower to followee: attention flows to the followed.
    edges.push_back({intern(s.substr(0, sep)), intern(rest), 1.0});
  }
  std::fclose(f);
  const auto t1 = clock::now();
  const influence::lib::Graph g(static_cast<std::uint32_t>(ids.size()), std::move(edges));
  const auto t2 = clock::now();
  const auto r = influence::lib::pagerank(g, {}, {0.85, tol, 10000});
  const auto t3 = clock::now();
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  // The ten highest ranks, ties by id, to check agreement with a peer.
  std::vector<std::string> name(ids.size());
  for (const auto& [k, v] : ids) name[v] = k;
  std::vector<std::uint32_t> order(name.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  const std::size_t n_top = std::min<std::size_t>(10, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_top), order.end(), [&](auto a, auto b) {
    return r.rank[a] != r.rank[b] ? r.rank[a] > r.rank[b] : name[a] < name[b];
  });
  std::string top = "[";
  for (std::size_t i = 0; i < n_top; ++i) top += (i ? ",\"" : "\"") + name[order[i]] + "\"";
  top += "]";
  std::printf("{\"nodes\":%u,\"edges\":%zu,\"load_s\":%.3f,\"build_s\":%.3f,\"pagerank_s\":%.4f,\"iterations\":%d,"
              "\"per_iteration_s\":%.5f,\"converged\":%s,\"top10\":%s}\n",
              g.nodes(), g.edges(), secs(t0, t1), secs(t1, t2), secs(t2, t3), r.iterations,
              secs(t2, t3) / std::max(1, r.iterations), r.converged ? "true" : "false", top.c_str());
  return 0;
}
