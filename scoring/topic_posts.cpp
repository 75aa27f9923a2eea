#include <algorithm>
#include <future>
#include <optional>

#include "scoring/dimensions.hpp"

namespace influence::scoring {

TopicView classify(const lib::Corpus& c, lib::TopicMatcher& matcher, unsigned threads) {
  const std::size_t n = c.posts.size();
  std::vector<char> own(n, 0);
  auto match = [&](lib::TopicMatcher& m, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i)
      if (lib::has_own_words(c.posts[i].type))
        own[i] = m.matches(c, i) ? 1 : 0;
  };
  // Matching splits cleanly: the second half of the posts goes to a clone
  // of the matcher (it reads the same prepared table; its scratch is its
  // own), each half writing its own bytes of `own`.
  if (threads == 0) threads = n >= 100'000 ? 2 : 1;
  // The atoms of the vocabulary's terms once, on as many threads, shared by
  // the clone below.
  matcher.prepare(*c.vocabulary, threads);
  std::optional<lib::TopicMatcher> second = threads > 1 ? matcher.clone() : std::nullopt;
  if (second) {
    const std::size_t half = n / 2;
    auto other = std::async(std::launch::async, [&] { match(*second, half, n); });
    match(matcher, 0, half);
    other.get();
  } else {
    match(matcher, 0, n);
  }
  TopicView v;
  v.topic.assign(n, 0);
  v.topic_posts_by_author.assign(c.accounts.size(), 0);
  v.window_posts_by_author.assign(c.accounts.size(), 0);
  v.reacted_to.assign(c.accounts.size(), 0);
  // A post's parent can lie anywhere, so this waits for every match; then it
  // splits the same way, the second half counting per author in tables of
  // its own that are added in after.
  const auto mark = [&](std::size_t from, std::size_t to, TopicView& into) {
    for (std::size_t i = from; i < to; ++i) {
      const auto& p = c.posts[i];
      if (!p.in_window) continue;
      ++into.window_posts;
      ++into.window_posts_by_author[p.author];
      const bool parent_on_topic = p.parent != lib::no_index && own[p.parent];
      const bool on = p.type == lib::PostType::repost ? parent_on_topic : (own[i] || parent_on_topic);
      if (!on) continue;
      v.topic[i] = 1;
      ++into.topic_posts;
      ++into.topic_posts_by_author[p.author];
      if (p.parent_author != lib::no_index && p.parent_author != p.author) into.reacted_to[p.parent_author] = 1;
      if (p.type != lib::PostType::repost)  // a repost's mentions are the original's
        for (auto m : c.mentions.row(i)) into.reacted_to[m] = 1;
    }
  };
  if (second) {
    const std::size_t half = n / 2;
    TopicView back;
    auto other = std::async(std::launch::async, [&] {
      back.topic_posts_by_author.assign(c.accounts.size(), 0);
      back.window_posts_by_author.assign(c.accounts.size(), 0);
      back.reacted_to.assign(c.accounts.size(), 0);
      mark(half, n, back);
    });
    mark(0, half, v);
    other.get();
    v.topic_posts += back.topic_posts;
    v.window_posts += back.window_posts;
    for (std::size_t a = 0; a < c.accounts.size(); ++a) {
      v.topic_posts_by_author[a] += back.topic_posts_by_author[a];
      v.window_posts_by_author[a] += back.window_posts_by_author[a];
      v.reacted_to[a] |= back.reacted_to[a];
    }
  } else {
    mark(0, n, v);
  }
  return v;
}

std::vector<char> candidates(const lib::Corpus& c, const TopicView& v, int min_posts) {
  std::vector<char> cand(c.accounts.size(), 0);
  const auto least = static_cast<std::uint32_t>(std::max(1, min_posts));
  for (std::size_t a = 0; a < c.accounts.size(); ++a)
    cand[a] = v.topic_posts_by_author[a] >= least || v.reacted_to[a] ? 1 : 0;
  return cand;
}

}  // namespace influence::scoring
