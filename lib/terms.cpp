#include "lib/terms.hpp"

#include <algorithm>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "lib/topic.hpp"

namespace influence::lib {
namespace {

// Function words, folded (no accents). A short list is enough here: the
// question is which content words a conversation uses, not linguistics.
const std::unordered_set<std::string>& stopwords() {
  static const std::unordered_set<std::string> words{
      "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one",
      "our", "out", "has", "have", "him", "his", "how", "its", "who", "did", "get", "may", "now", "see",
      "way", "use", "she", "too", "this", "that", "with", "from", "they", "will", "what", "when", "your",
      "there", "their", "been", "were", "which", "would", "about", "into", "than", "then", "them", "these",
      "some", "just", "like", "over", "also", "very", "more", "most", "only", "here", "such", "what's",
      "les", "des", "une", "est", "pas", "par", "pour", "que", "qui", "dans", "sur", "avec", "son", "ses",
      "mais", "nous", "vous", "ils", "elle", "elles", "leur", "leurs", "tout", "tous", "toute", "toutes",
      "sont", "ont", "aux", "du", "ces", "cet", "cette", "mon", "mes", "ton", "tes", "notre", "nos",
      "votre", "vos", "plus", "tres", "bien", "fait", "etre", "avoir", "comme", "aussi", "ete", "encore",
      "quel", "quelle", "quels", "quelles", "donc", "car", "chez", "sans", "sous", "entre", "vers", "apres",
      "avant", "depuis", "pendant", "lui", "moi", "toi", "soi", "eux", "ceci", "cela", "meme", "peu",
      "fois", "qu", "jusqu", "lors", "deja", "ici", "ours", "yours"};
  return words;
}

bool keep_word(const std::string& w) {
  if (w.size() < 3) return false;
  if (std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  return !stopwords().contains(w);
}

}  // namespace

std::vector<TermCount> top_terms(const Corpus& c, std::size_t top_hashtags, std::size_t top_words) {
  struct Acc {
    std::int64_t posts = 0;
    std::unordered_set<std::uint32_t> authors;
  };
  // Counted by term id, since the corpus is already tokenised; named at the end.
  std::unordered_map<std::uint32_t, Acc> tag_ids, word_ids;
  std::vector<char> kept(c.vocabulary->terms.size(), -1);  // keep_word() per term, computed once
  std::vector<std::uint32_t> seen;
  auto count = [&](std::span<const std::uint32_t> ids, std::unordered_map<std::uint32_t, Acc>& into, bool filter,
                   std::uint32_t author) {
    seen.clear();
    for (auto id : ids) {
      if (filter) {
        if (kept[id] < 0) kept[id] = keep_word(c.term(id)) ? 1 : 0;
        if (!kept[id]) continue;
      }
      seen.push_back(id);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (auto id : seen) {
      auto& a = into[id];
      ++a.posts;
      a.authors.insert(author);
    }
  };
  for (std::size_t i = 0; i < c.posts.size(); ++i) {
    const auto& p = c.posts[i];
    if (!p.in_window || p.type == PostType::repost) continue;
    count(c.hashtags.row(i), tag_ids, false, p.author);
    count(c.words.row(i), word_ids, true, p.author);
  }
  auto named = [&](std::unordered_map<std::uint32_t, Acc>& m) {
    std::unordered_map<std::string, Acc> out;
    for (auto& [id, a] : m) out.emplace(c.term(id), std::move(a));
    return out;
  };
  const auto tags = named(tag_ids), words = named(word_ids);
  auto ranked = [](const std::unordered_map<std::string, Acc>& m, bool hashtag, std::size_t top) {
    std::vector<TermCount> v;
    for (const auto& [term, a] : m)
      v.push_back({hashtag, term, a.posts, static_cast<std::int64_t>(a.authors.size())});
    std::sort(v.begin(), v.end(), [](const TermCount& x, const TermCount& y) {
      if (x.posts != y.posts) return x.posts > y.posts;
      if (x.authors != y.authors) return x.authors > y.authors;
      return x.term < y.term;
    });
    if (v.size() > top) v.resize(top);
    return v;
  };
  auto out = ranked(tags, true, top_hashtags);
  auto w = ranked(words, false, top_words);
  out.insert(out.end(), w.begin(), w.end());
  return out;
}

}  // namespace influence::lib
