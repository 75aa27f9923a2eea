#include "lib/terms.hpp"

#include <algorithm>
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
  std::unordered_map<std::string, Acc> tags, words;
  for (const auto& p : c.posts) {
    if (!p.in_window || p.type == PostType::repost) continue;
    const Tokens t = tokenize(p.text, p.hashtags);
    std::unordered_set<std::string> seen_tags(t.hashtags.begin(), t.hashtags.end()), seen_words;
    for (const auto& w : t.words)
      if (keep_word(w)) seen_words.insert(w);
    for (const auto& h : seen_tags) {
      auto& a = tags[h];
      ++a.posts;
      a.authors.insert(p.author);
    }
    for (const auto& w : seen_words) {
      auto& a = words[w];
      ++a.posts;
      a.authors.insert(p.author);
    }
  }
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
