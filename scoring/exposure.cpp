// Exposure: the audience an account reaches — declared followers, or the
// follow edges in the store where those are more — summed over the accounts
// of one person; and the topical audience, its followers who posted on the topic.
#include <algorithm>
#include <map>

#include "scoring/dimensions.hpp"

namespace influence::scoring {

std::vector<ExposureCounts> compute_exposure(const lib::Corpus& c, const TopicView& v, ExposureMode mode,
                                             bool topical_audience) {
  const std::size_t na = c.accounts.size();
  const bool find_topical = c.has_follow_graph() && (topical_audience || mode == ExposureMode::topical);
  std::vector<ExposureCounts> out(na);
  // Who posted on the topic, one bit per account: the follower lists are
  // tens of millions of entries in random account order, and a bit set of a
  // million accounts (125 kB) stays in the cache where the counts would not.
  std::vector<std::uint64_t> on_topic(find_topical ? (na + 63) / 64 : 0, 0);
  for (std::uint32_t a = 0; find_topical && a < na; ++a)
    if (v.topic_posts_by_author[a] > 0) on_topic[a >> 6] |= std::uint64_t{1} << (a & 63);
  for (std::uint32_t a = 0; a < na; ++a) {
    auto& e = out[a];
    const auto& acc = c.accounts[a];
    e.declared_followers = acc.followers.value_or(-1);
    e.graph_followers = static_cast<std::int64_t>(c.graph_followers(a));
    e.audience = std::max<std::int64_t>(std::max<std::int64_t>(e.declared_followers, 0), e.graph_followers);
    if (find_topical)
      for (auto k = c.follower_start[a]; k < c.follower_start[a + 1]; ++k)
        e.topical_audience += static_cast<std::int64_t>(on_topic[c.follower_ids[k] >> 6] >> (c.follower_ids[k] & 63) & 1);
  }
  // One person's accounts share the sum of their audiences.
  std::map<std::string_view, std::vector<std::uint32_t>> persons;
  for (std::uint32_t a = 0; a < na; ++a)
    if (!c.accounts[a].person.empty()) persons[c.accounts[a].person].push_back(a);
  for (const auto& [person, members] : persons) {
    if (members.size() < 2) continue;
    std::int64_t audience = 0, topical = 0;
    for (auto m : members) {
      audience += out[m].audience;
      topical += out[m].topical_audience;
    }
    for (auto m : members) {
      out[m].audience = audience;
      out[m].topical_audience = topical;
      out[m].person_accounts = members.size();
    }
  }
  for (auto& e : out)
    e.value = static_cast<double>(mode == ExposureMode::topical ? e.topical_audience : e.audience);
  return out;
}

}  // namespace influence::scoring
