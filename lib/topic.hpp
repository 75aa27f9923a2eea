#pragma once
// Topics: a name and terms (words, #hashtags, "quoted phrases", prefix*,
// -exclusions), optional languages and included topics, read from a
// human-editable topics file (influence-topics(5)) or given ad hoc.
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/corpus.hpp"
#include "lib/error.hpp"

struct sb_stemmer;

namespace influence::lib {

struct Term {
  enum class Kind { word, hashtag, phrase, prefix };
  Kind kind = Kind::word;
  std::vector<std::string> words;  // folded; one for word/hashtag/prefix
  bool exclude = false;
  std::string source;  // as written, for explanations
};

struct Topic {
  std::string name;
  std::vector<Term> terms;
  std::vector<std::string> languages;  // empty: any language, stemmed in French and English
  std::vector<std::string> includes;
  std::string file;
  std::size_t line = 0;
};

class TopicFile {
 public:
  static Result<TopicFile> parse(std::string_view text, const std::string& file);
  static Result<TopicFile> load(const std::string& path);
  const Topic* find(std::string_view name) const;
  const std::vector<Topic>& topics() const { return topics_; }

 private:
  std::vector<Topic> topics_;
};

// The topic as a topics-file section, terms as written.
std::string describe(const Topic& t);

// One term as a user writes it: ski, #freeride, "ski de rando", télémark*, -"jet ski".
Result<Term> parse_term(std::string_view text);

// The topic a --topic value names: the definition from the file when it has
// one, else an ad hoc topic of that single term.
Result<Topic> resolve_topic(std::string_view spec, const TopicFile* file);

// Words of a text as matching sees them: folded words in order, hashtags
// split at camel case (#SkiAlpin -> ski alpin), URLs and @mentions skipped.
struct Tokens {
  std::vector<std::string> words;
  std::vector<std::string> hashtags;  // folded, whole
};
Tokens tokenize(std::string_view text, const std::vector<std::string>& extra_hashtags);
// The same into `out`, emptied first: a caller that tokenizes post after post
// passes the same Tokens, whose vectors keep their room instead of growing
// again (and moving their words) for every post.
void tokenize(std::string_view text, const std::vector<std::string>& extra_hashtags, Tokens& out);

// Matches posts against one or several topics (any of them). Keeps the atoms
// of the words it has seen (text) or of a corpus vocabulary's terms, so it is
// cheap on large corpora; not thread-safe: use one matcher per thread.
class TopicMatcher {
 public:
  static Result<TopicMatcher> build(const std::vector<Topic>& topics, const TopicFile* file);
  TopicMatcher(TopicMatcher&&) noexcept;
  TopicMatcher& operator=(TopicMatcher&&) noexcept;
  ~TopicMatcher();

  bool matches(std::string_view text, const std::vector<std::string>& hashtags,
               std::string_view language);
  // The same for a post of a corpus, from the words it was tokenised into
  // when the corpus was built: no text is read again.
  bool matches(const Corpus& c, std::size_t post);
  // A matcher of the same topics with caches of its own, for another thread;
  // nullopt when a stemmer cannot be made (out of memory). It shares the
  // table prepare() made, which is only read.
  std::optional<TopicMatcher> clone() const;
  // Finds the atoms of every term of a corpus vocabulary, on two threads
  // when `threads` > 1, for matches(corpus, post) and this matcher's clones
  // made after; matches() does it on one thread when it meets a vocabulary
  // that was not prepared.
  void prepare(const Vocabulary& vocabulary, unsigned threads = 1);

 private:
  TopicMatcher();
  struct Compiled;
  const std::vector<std::uint16_t>& atoms_of(const std::string& word);
  std::vector<std::uint16_t> find_atoms(const std::string& word);
  template <typename HasHashtag>
  bool any_topic(std::string_view language, HasHashtag&& has_hashtag);
  void bound_cache();
  bool is_topic_hashtag(std::string_view term) const;

  std::vector<Compiled> topics_;
  // Single-word matchers shared by all terms: (kind, folded word).
  std::vector<std::pair<Term::Kind, std::string>> atom_defs_;
  std::vector<std::string> stem_languages_;
  std::vector<sb_stemmer*> stemmers_;
  std::vector<std::vector<std::string>> atom_stems_;  // per atom, per stem language
  std::unordered_map<std::string, std::vector<std::uint16_t>> cache_;
  // The atoms of each term of one corpus vocabulary (see prepare()).
  struct TermAtoms;
  std::shared_ptr<const TermAtoms> terms_;
  // Scratch for the post being matched: atoms of its words and whole hashtags.
  std::vector<std::span<const std::uint16_t>> word_atoms_, tag_atoms_;
};

}  // namespace influence::lib
