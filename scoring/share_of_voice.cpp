// Share of voice: the account's part of the topic conversation (its topic
// posts, reposts at half weight, plus others' topic posts naming it) over
// everyone's; and focus, its topic posts over all its posts in the window.
#include "scoring/dimensions.hpp"

namespace influence::scoring {

std::vector<VoiceCounts> compute_voice(const lib::Corpus& c, const TopicView& v, double& total_voice) {
  std::vector<VoiceCounts> out(c.accounts.size());
  for (std::size_t i = 0; i < c.posts.size(); ++i) {
    if (!v.topic[i]) continue;
    const auto& p = c.posts[i];
    auto& vc = out[p.author];
    switch (p.type) {
      case lib::PostType::original: ++vc.originals; break;
      case lib::PostType::reply: ++vc.replies; break;
      case lib::PostType::quote: ++vc.quotes; break;
      case lib::PostType::repost: ++vc.reposts; break;
    }
    if (p.type != lib::PostType::repost)
      for (auto m : c.mentions.row(i)) ++out[m].mentions;
  }
  total_voice = 0;
  for (std::size_t a = 0; a < out.size(); ++a) {
    auto& vc = out[a];
    vc.topic_posts = v.topic_posts_by_author[a];
    vc.all_posts = v.window_posts_by_author[a];
    vc.voice = static_cast<double>(vc.originals + vc.replies + vc.quotes + vc.mentions) +
               0.5 * static_cast<double>(vc.reposts);
    vc.focus = vc.all_posts > 0 ? static_cast<double>(vc.topic_posts) / static_cast<double>(vc.all_posts) : 0.0;
    total_voice += vc.voice;
  }
  for (auto& vc : out) vc.value = total_voice > 0 ? vc.voice / total_voice : 0.0;
  return out;
}

}  // namespace influence::scoring
