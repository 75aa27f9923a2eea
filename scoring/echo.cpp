// Echo: the reactions an account's topic posts provoke in the window, each
// counted once, times a network factor from personalised PageRank on the
// topic interaction graph (being echoed by the echoed counts more).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <future>

#include "lib/graph.hpp"
#include "scoring/dimensions.hpp"

namespace influence::scoring {

namespace {

// A reaction by `who` to `target`, in corpus order (seq), for the echoer lists.
struct Interaction {
  std::uint32_t target, who, seq;
  double weight;
};

// Puts `pe` among an account's top posts (most echo first, then the older,
// then by id) when it belongs there: a few comparisons per post instead of
// sorting every topic post of the window.
void keep_top_post(const lib::Corpus& c, std::vector<PostEcho>& top, const PostEcho& pe, std::size_t keep) {
  const auto before = [&](const PostEcho& x, const PostEcho& y) {
    if (x.echo != y.echo) return x.echo > y.echo;
    const auto tx = c.posts[x.post].created_at, ty = c.posts[y.post].created_at;
    return tx != ty ? tx < ty : c.post_id(x.post) < c.post_id(y.post);
  };
  if (keep == 0 || (top.size() == keep && !before(pe, top.back()))) return;
  if (top.size() == keep) top.pop_back();
  top.insert(std::upper_bound(top.begin(), top.end(), pe, before), pe);
}

// A candidate's top echoers: each reacting account once, with its reactions
// summed in corpus order; the heaviest first, then by id. Reorders the
// interactions.
void top_echoers(const lib::Corpus& c, const std::vector<char>& candidate, std::vector<Interaction>& interactions,
                 std::size_t keep_at_most, std::vector<std::vector<Echoer>>& out) {
  std::sort(interactions.begin(), interactions.end(), [](const Interaction& x, const Interaction& y) {
    if (x.target != y.target) return x.target < y.target;
    return x.who != y.who ? x.who < y.who : x.seq < y.seq;
  });
  std::vector<Echoer> echoers;
  for (std::size_t k = 0; k < interactions.size();) {
    const auto target = interactions[k].target;
    echoers.clear();
    for (; k < interactions.size() && interactions[k].target == target; ++k) {
      if (echoers.empty() || echoers.back().account != interactions[k].who)
        echoers.push_back({interactions[k].who, 0, 0.0});
      ++echoers.back().reactions;
      echoers.back().weight += interactions[k].weight;
    }
    if (!candidate[target]) continue;
    const auto keep = std::min(echoers.size(), keep_at_most);
    std::partial_sort(echoers.begin(), echoers.begin() + static_cast<std::ptrdiff_t>(keep), echoers.end(),
                      [&](const Echoer& x, const Echoer& y) {
                        if (x.weight != y.weight) return x.weight > y.weight;
                        return c.accounts[x.account].id < c.accounts[y.account].id;
                      });
    out[target].assign(echoers.begin(), echoers.begin() + static_cast<std::ptrdiff_t>(keep));
  }
}

struct InteractionRank {
  std::vector<double> rank;  // per account; 0 outside the graph
  std::size_t nodes = 0, edges = 0;
  int iterations = 0;
};

// Personalised PageRank over the interaction graph, teleporting to topic
// authors: its nodes are the topic authors and the candidates, then anyone
// else who reacts; one edge per interaction, in corpus order (the order
// numbers the nodes, and so fixes the sums' order).
InteractionRank interaction_pagerank(const TopicView& v, const std::vector<char>& candidate,
                                     const std::vector<Interaction>& interactions, const ScoringOptions& o) {
  const std::size_t na = candidate.size();
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
  std::vector<lib::Edge> edges;
  edges.reserve(interactions.size());
  for (const auto& x : interactions) {
    const auto from = node(x.who);
    edges.push_back({from, node(x.target), 1.0});
  }
  std::vector<double> teleport(account_of.size(), 0.0);
  for (std::size_t k = 0; k < account_of.size(); ++k)
    teleport[k] = v.topic_posts_by_author[account_of[k]] > 0 ? 1.0 : 0.0;
  const lib::Graph g(static_cast<std::uint32_t>(account_of.size()), std::move(edges));
  const auto pr = lib::pagerank(g, teleport, {o.damping, o.tolerance, 1000});
  InteractionRank r;
  r.nodes = g.nodes();
  r.edges = g.edges();
  r.iterations = pr.iterations;
  r.rank.assign(na, 0.0);
  if (!pr.rank.empty())
    for (std::size_t k = 0; k < account_of.size(); ++k) r.rank[account_of[k]] = pr.rank[k];
  return r;
}

}  // namespace

EchoResult compute_echo(const lib::Corpus& c, const TopicView& v, const std::vector<char>& candidate,
                        const ScoringOptions& o) {
  const std::size_t na = c.accounts.size(), np = c.posts.size();
  EchoResult r;

  // The first pass reads every post, and for each reaction whether its
  // parent is on the topic, anywhere among ten million: from a bit set
  // (1.25 MB) rather than the bytes of the view. Mentions are counted in a
  // table of their own, 4 bytes an account, not in the counts (112): both
  // stay in the cache. (A count wraps only past four billion mentions.)
  std::vector<std::uint64_t> topic_bits((np + 63) / 64, 0);
  for (std::size_t i = 0; i < np; ++i) topic_bits[i >> 6] |= static_cast<std::uint64_t>(v.topic[i] != 0) << (i & 63);
  const auto on_topic = [&](std::uint32_t i) { return (topic_bits[i >> 6] >> (i & 63) & 1) != 0; };
  std::vector<std::uint32_t> mentions(na, 0);

  // The bookkeeping below grows with the topic's conversation, not with the
  // corpus: a per-post or per-account table of reactions would be hundreds
  // of megabytes to zero for ten million posts, nearly all of them empty.
  // Reactions to topic posts seen in the corpus, as (parent << 2 | kind);
  // self-reactions (threads, self-reposts) are not echo.
  std::vector<std::uint64_t> reacted;
  std::vector<Interaction> interactions;
  // The window's topic posts other than reposts, whose reactions are counted
  // below: listed in this pass rather than in a second one over the posts.
  std::vector<std::uint32_t> echoed;
  for (std::size_t i = 0; i < np; ++i) {
    const auto& q = c.posts[i];
    if (!q.in_window) continue;
    if (q.parent != lib::no_index && q.parent_author != q.author && on_topic(q.parent)) {
      const std::uint64_t slot = q.type == lib::PostType::repost ? 0 : q.type == lib::PostType::quote ? 1 : 2;
      reacted.push_back(static_cast<std::uint64_t>(q.parent) << 2 | slot);
    }
    if (!v.topic[i]) continue;
    if (q.type != lib::PostType::repost) echoed.push_back(static_cast<std::uint32_t>(i));
    // An interaction (and an edge u -> a of the graph below) for each repost,
    // quote, reply or mention by u on the topic.
    if (q.parent_author != lib::no_index && q.parent_author != q.author) {
      const double w = q.type == lib::PostType::repost ? o.echo.repost
                       : q.type == lib::PostType::quote ? o.echo.quote
                                                        : o.echo.reply;
      interactions.push_back({q.parent_author, q.author, static_cast<std::uint32_t>(interactions.size()), w});
    }
    if (q.type == lib::PostType::repost) continue;  // a repost's mentions are the original's
    for (auto m : c.mentions.row(i)) {
      if (m == q.parent_author) continue;  // a reply naming its parent's author is one reaction
      ++mentions[m];
      interactions.push_back({m, q.author, static_cast<std::uint32_t>(interactions.size()), o.echo.mention});
    }
  }
  // The graph needs only who reacted to whom: its PageRank runs on the other
  // core (a future, so that an exception reaches the caller) while this one
  // counts each post's reactions and picks the top echoers, which reorder
  // the interactions (the task has its own copy, in corpus order; the
  // interactions themselves when no echoers are asked for).
  auto ranked = std::async(std::launch::async, [&v, &candidate, &o,
                                                 links = o.top_echoers > 0 ? interactions : std::move(interactions)] {
    return interaction_pagerank(v, candidate, links, o);
  });
  r.counts.assign(na, {});
  // A million empty lists are tens of megabytes to make and free: none at
  // all when none are asked for (combine() then moves none).
  if (o.top_posts > 0) r.top_posts.assign(na, {});
  if (o.top_echoers > 0) r.top_echoers.assign(na, {});
  std::sort(reacted.begin(), reacted.end());

  // Per topic post: the larger of declared and observed, per kind of reaction.
  // The posts listed first, in order: then each one's author can be fetched
  // from memory a few posts ahead (the per-account tables are far larger
  // than the cache, and reading them is most of this loop's time).
  // Two steps: the post's row far ahead, then its author's counts, from the
  // row fetched by then.
  constexpr std::size_t ahead = 8;
  std::size_t next = 0;  // into reacted, which is in post order as this loop is
  for (std::size_t k = 0; k < echoed.size(); ++k) {
    if (k + 2 * ahead < echoed.size()) __builtin_prefetch(&c.posts[echoed[k + 2 * ahead]]);
    if (k + ahead < echoed.size()) {
      const auto a = c.posts[echoed[k + ahead]].author;
      __builtin_prefetch(&r.counts[a]);
      if (o.top_posts > 0) __builtin_prefetch(&r.top_posts[a]);
    }
    const std::size_t i = echoed[k];
    const auto& p = c.posts[i];
    std::int64_t observed[3] = {0, 0, 0};  // reposts, quotes, replies
    while (next < reacted.size() && (reacted[next] >> 2) < i) ++next;
    for (; next < reacted.size() && (reacted[next] >> 2) == i; ++next) ++observed[reacted[next] & 3];
    PostEcho pe;
    pe.post = static_cast<std::uint32_t>(i);
    pe.reposts = std::max(p.reposts.value_or(0), observed[0]);
    pe.quotes = std::max(p.quotes.value_or(0), observed[1]);
    pe.replies = std::max(p.replies.value_or(0), observed[2]);
    pe.likes = p.likes.value_or(0);
    pe.echo = o.echo.repost * static_cast<double>(pe.reposts) + o.echo.quote * static_cast<double>(pe.quotes) +
              o.echo.reply * static_cast<double>(pe.replies) + o.echo.like * static_cast<double>(pe.likes);
    auto& e = r.counts[p.author];
    e.reposts += pe.reposts;
    e.quotes += pe.quotes;
    e.replies += pe.replies;
    e.likes += pe.likes;
    e.observed_reposts += observed[0];
    e.observed_quotes += observed[1];
    e.observed_replies += observed[2];
    e.declared_reposts += p.reposts.value_or(0);
    e.declared_quotes += p.quotes.value_or(0);
    e.declared_replies += p.replies.value_or(0);
    if (o.top_posts > 0 && candidate[p.author]) keep_top_post(c, r.top_posts[p.author], pe, o.top_posts);
  }

  // The top echoers before the wait for the PageRank, which they do not need
  // (and not at all when none are asked for: the task has the interactions).
  if (o.top_echoers > 0) top_echoers(c, candidate, interactions, o.top_echoers, r.top_echoers);

  const auto pr = ranked.get();
  r.graph_nodes = pr.nodes;
  r.graph_edges = pr.edges;
  r.iterations = pr.iterations;
  const double nodes = static_cast<double>(pr.nodes);
  for (std::uint32_t a = 0; a < na; ++a) {
    auto& e = r.counts[a];
    e.mentions = mentions[a];
    e.reactions = o.echo.repost * static_cast<double>(e.reposts) + o.echo.quote * static_cast<double>(e.quotes) +
                  o.echo.reply * static_cast<double>(e.replies) + o.echo.mention * static_cast<double>(e.mentions) +
                  o.echo.like * static_cast<double>(e.likes);
    e.pagerank = pr.rank[a];
    e.network_factor = (1.0 + nodes * e.pagerank) / 2.0;
    e.value = e.reactions * e.network_factor;
  }
  return r;
}

}  // namespace influence::scoring
