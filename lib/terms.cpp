#include "lib/terms.hpp"

#include <algorithm>
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

// Counted in arrays indexed by term id, the posts taken author by author:
// a term's authors go up when the author differs from the last one that
// used it, and its posts when the post does. With a hash set of authors
// per term, an insert for each term of each post, the ten million posts of
// bench/run L took 143 s and 4.6 GiB; so, 2.6 s and 2.1 GiB, mostly the
// corpus.
std::vector<TermCount> top_terms(const Corpus& c, std::size_t top_hashtags, std::size_t top_words) {
  const std::size_t terms = c.vocabulary->terms.size();
  // The window's posts (reposts say nothing new), grouped by author by a
  // counting sort, in post order within an author. (A loaded corpus has
  // been checked: every author is one of its accounts.)
  const auto counted = [&](const CorpusPost& p) {
    return p.in_window && p.type != PostType::repost && p.author < c.accounts.size();
  };
  std::vector<std::uint32_t> first(c.accounts.size() + 1, 0);
  for (const auto& p : c.posts)
    if (counted(p)) ++first[p.author + 1];
  for (std::size_t a = 0; a < c.accounts.size(); ++a) first[a + 1] += first[a];
  std::vector<std::uint32_t> by_author(first.back());
  for (std::uint32_t i = 0; i < c.posts.size(); ++i)
    if (counted(c.posts[i])) by_author[first[c.posts[i].author]++] = i;
  struct Tally {
    std::vector<std::int64_t> posts, authors;
    std::vector<std::uint32_t> last_post, last_author;
    explicit Tally(std::size_t n) : posts(n, 0), authors(n, 0), last_post(n, no_index), last_author(n, no_index) {}
    void add(std::uint32_t id, std::uint32_t post, std::uint32_t author) {
      if (last_post[id] == post) return;  // twice in one post
      last_post[id] = post;
      ++posts[id];
      if (last_author[id] != author) {
        last_author[id] = author;
        ++authors[id];
      }
    }
  };
  Tally tags(terms), words(terms);
  std::vector<char> kept(terms, -1);  // keep_word() per term, computed once
  // The posts' rows are read in no order: each is fetched a few posts
  // ahead, its start first, then its terms, and the author is the loop's,
  // not read from the post's row (at ten million posts, 5.1 to 5.6 s
  // without either, most of it waiting for memory).
  constexpr std::size_t ahead = 16;
  const auto prefetch_row = [](const Lists& l, std::uint32_t i) { __builtin_prefetch(l.ids.data() + l.start[i]); };
  for (std::uint32_t author = 0, k = 0; author < c.accounts.size(); ++author) {
    for (; k < first[author]; ++k) {  // first[author] is now where the next author's posts begin
      if (k + ahead < by_author.size()) {
        __builtin_prefetch(c.words.start.data() + by_author[k + ahead]);
        __builtin_prefetch(c.hashtags.start.data() + by_author[k + ahead]);
      }
      if (k + ahead / 4 < by_author.size()) {
        prefetch_row(c.words, by_author[k + ahead / 4]);
        prefetch_row(c.hashtags, by_author[k + ahead / 4]);
      }
      const auto i = by_author[k];
      for (const auto id : c.hashtags.row(i)) tags.add(id, i, author);
      for (const auto id : c.words.row(i)) {
        if (kept[id] < 0) kept[id] = keep_word(c.term(id)) ? 1 : 0;
        if (kept[id]) words.add(id, i, author);
      }
    }
  }
  auto ranked = [&](const Tally& t, bool hashtag, std::size_t top) {
    std::vector<std::uint32_t> ids;
    for (std::uint32_t id = 0; id < terms; ++id)
      if (t.posts[id] > 0) ids.push_back(id);
    const auto before = [&](std::uint32_t x, std::uint32_t y) {
      if (t.posts[x] != t.posts[y]) return t.posts[x] > t.posts[y];
      if (t.authors[x] != t.authors[y]) return t.authors[x] > t.authors[y];
      return c.term(x) < c.term(y);
    };
    const auto keep = std::min(top, ids.size());
    std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(keep), ids.end(), before);
    std::vector<TermCount> v;
    for (std::size_t k = 0; k < keep; ++k)
      v.push_back({hashtag, std::string(c.term(ids[k])), t.posts[ids[k]], t.authors[ids[k]]});
    return v;
  };
  auto out = ranked(tags, true, top_hashtags);
  auto w = ranked(words, false, top_words);
  out.insert(out.end(), w.begin(), w.end());
  return out;
}

}  // namespace influence::lib
