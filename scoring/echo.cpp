// Echo: the reactions an account's topic posts provoke in the window, each
// counted once, times a network factor from personalised PageRank on the
// topic interaction graph (being echoed by the echoed counts more).
#include <algorithm>
#include <array>
#include <map>

#include "lib/graph.hpp"
#include "scoring/dimensions.hpp"

namespace influence::scoring {

EchoResult compute_echo(const lib::Corpus& c, const TopicView& v, const std::vector<char>& candidate,
                        const ScoringOptions& o) {
  const std::size_t na = c.accounts.size(), np = c.posts.size();
  EchoResult r;
  r.counts.assign(na, {});
  r.top_posts.assign(na, {});
  r.top_echoers.assign(na, {});

  // Reacting posts seen in the corpus, per reacted-to post; self-reactions
  // (threads, self-reposts) are not echo.
  std::vector<std::array<std::int64_t, 3>> observed(np, {0, 0, 0});  // reposts, quotes, replies
  std::vector<std::map<std::uint32_t, std::pair<std::int64_t, double>>> echoers(na);
  std::vector<lib::Edge> edges;
  for (std::size_t i = 0; i < np; ++i) {
    const auto& q = c.posts[i];
    if (!q.in_window) continue;
    if (q.parent != lib::no_index && q.parent_author != q.author && v.topic[q.parent]) {
      const std::size_t slot = q.type == lib::PostType::repost ? 0 : q.type == lib::PostType::quote ? 1 : 2;
      ++observed[q.parent][slot];
    }
    if (!v.topic[i]) continue;
    // Interaction edges u -> a for each repost, quote, reply or mention by u on the topic.
    if (q.parent_author != lib::no_index && q.parent_author != q.author) {
      edges.push_back({q.author, q.parent_author, 1.0});
      const double w = q.type == lib::PostType::repost ? o.echo.repost
                       : q.type == lib::PostType::quote ? o.echo.quote
                                                        : o.echo.reply;
      auto& e = echoers[q.parent_author][q.author];
      ++e.first;
      e.second += w;
    }
    if (q.type == lib::PostType::repost) continue;  // a repost's mentions are the original's
    for (auto m : c.mentions.row(i)) {
      if (m == q.parent_author) continue;  // a reply naming its parent's author is one reaction
      edges.push_back({q.author, m, 1.0});
      ++r.counts[m].mentions;
      auto& e = echoers[m][q.author];
      ++e.first;
      e.second += o.echo.mention;
    }
  }

  // Per topic post: the larger of declared and observed, per kind of reaction.
  std::vector<std::vector<PostEcho>> posts_of(na);
  for (std::size_t i = 0; i < np; ++i) {
    const auto& p = c.posts[i];
    if (!p.in_window || !v.topic[i] || p.type == lib::PostType::repost) continue;
    PostEcho pe;
    pe.post = static_cast<std::uint32_t>(i);
    pe.reposts = std::max(p.reposts.value_or(0), observed[i][0]);
    pe.quotes = std::max(p.quotes.value_or(0), observed[i][1]);
    pe.replies = std::max(p.replies.value_or(0), observed[i][2]);
    pe.likes = p.likes.value_or(0);
    pe.echo = o.echo.repost * static_cast<double>(pe.reposts) + o.echo.quote * static_cast<double>(pe.quotes) +
              o.echo.reply * static_cast<double>(pe.replies) + o.echo.like * static_cast<double>(pe.likes);
    auto& e = r.counts[p.author];
    e.reposts += pe.reposts;
    e.quotes += pe.quotes;
    e.replies += pe.replies;
    e.likes += pe.likes;
    e.observed_reposts += observed[i][0];
    e.observed_quotes += observed[i][1];
    e.observed_replies += observed[i][2];
    e.declared_reposts += p.reposts.value_or(0);
    e.declared_quotes += p.quotes.value_or(0);
    e.declared_replies += p.replies.value_or(0);
    posts_of[p.author].push_back(pe);
  }

  // Personalised PageRank over the interaction graph, teleporting to topic authors.
  std::vector<std::uint32_t> node_of(na, lib::no_index), account_of;
  auto node = [&](std::uint32_t a) {
    if (node_of[a] == lib::no_index) {
      node_of[a] = static_cast<std::uint32_t>(account_of.size());
      account_of.push_back(a);
    }
    return node_of[a];
  };
  for (std::uint32_t a = 0; a < na; ++a)
    if (v.topic_posts_by_author[a] > 0 || candidate[a]) node(a);
  for (auto& e : edges) {
    e.from = node(e.from);
    e.to = node(e.to);
  }
  std::vector<double> teleport(account_of.size(), 0.0);
  for (std::size_t k = 0; k < account_of.size(); ++k)
    teleport[k] = v.topic_posts_by_author[account_of[k]] > 0 ? 1.0 : 0.0;
  const lib::Graph g(static_cast<std::uint32_t>(account_of.size()), std::move(edges));
  const auto pr = lib::pagerank(g, teleport, {o.damping, o.tolerance, 1000});
  r.graph_nodes = g.nodes();
  r.graph_edges = g.edges();
  r.iterations = pr.iterations;

  const double nodes = static_cast<double>(g.nodes());
  for (std::uint32_t a = 0; a < na; ++a) {
    auto& e = r.counts[a];
    e.reactions = o.echo.repost * static_cast<double>(e.reposts) + o.echo.quote * static_cast<double>(e.quotes) +
                  o.echo.reply * static_cast<double>(e.replies) + o.echo.mention * static_cast<double>(e.mentions) +
                  o.echo.like * static_cast<double>(e.likes);
    e.pagerank = node_of[a] != lib::no_index && !pr.rank.empty() ? pr.rank[node_of[a]] : 0.0;
    e.network_factor = (1.0 + nodes * e.pagerank) / 2.0;
    e.value = e.reactions * e.network_factor;
    if (!candidate[a]) continue;
    auto& tp = posts_of[a];
    std::sort(tp.begin(), tp.end(), [&](const PostEcho& x, const PostEcho& y) {
      if (x.echo != y.echo) return x.echo > y.echo;
      const auto& px = c.posts[x.post];
      const auto& py = c.posts[y.post];
      return px.created_at != py.created_at ? px.created_at < py.created_at : c.post_id(x.post) < c.post_id(y.post);
    });
    if (tp.size() > o.top_posts) tp.resize(o.top_posts);
    r.top_posts[a] = std::move(tp);
    auto& te = r.top_echoers[a];
    for (const auto& [who, cw] : echoers[a]) te.push_back({who, cw.first, cw.second});
    std::sort(te.begin(), te.end(), [&](const Echoer& x, const Echoer& y) {
      if (x.weight != y.weight) return x.weight > y.weight;
      return c.accounts[x.account].id < c.accounts[y.account].id;
    });
    if (te.size() > o.top_echoers) te.resize(o.top_echoers);
  }
  return r;
}

}  // namespace influence::scoring
