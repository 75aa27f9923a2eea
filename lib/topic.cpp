#include "lib/topic.hpp"

#include <libstemmer.h>
#include <utf8proc.h>

#include <algorithm>
#include <future>
#include <fstream>
#include <set>
#include <sstream>

#include "lib/strings.hpp"
#include "lib/text_fold.hpp"
#include "lib/utf8.hpp"

namespace influence::lib {
namespace {

const std::vector<std::string> default_languages{"en", "fr"};

bool is_word_cp(utf8proc_int32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: return true;
    default: return false;
  }
}

enum class Case { upper, lower, digit, other };
Case case_of(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') return Case::upper;
    if (cp >= 'a' && cp <= 'z') return Case::lower;
    if (cp >= '0' && cp <= '9') return Case::digit;
    return Case::other;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return Case::upper;
    case UTF8PROC_CATEGORY_LL: return Case::lower;
    case UTF8PROC_CATEGORY_ND: return Case::digit;
    default: return Case::other;
  }
}

struct Cp {
  utf8proc_int32_t cp;
  std::size_t pos, len;
};

std::vector<Cp> codepoints(std::string_view s) {
  std::vector<Cp> out;
  std::size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp = 0;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      cp = -1;
      n = 1;
    }
    out.push_back({cp, i, static_cast<std::size_t>(n)});
    i += static_cast<std::size_t>(n);
  }
  return out;
}

// #SkiAlpin -> Ski, Alpin; #XGames2026 -> X, Games, 2026; #ski_alpin -> ski, alpin.
void split_hashtag(std::string_view tag, std::vector<std::string>& words) {
  const auto cps = codepoints(tag);
  std::size_t start = 0;
  auto emit = [&](std::size_t from, std::size_t to) {
    if (to <= from) return;
    const std::size_t b = cps[from].pos, e = cps[to - 1].pos + cps[to - 1].len;
    words.push_back(fold(tag.substr(b, e - b)));
  };
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (cps[i].cp == '_') {
      emit(start, i);
      start = i + 1;
      continue;
    }
    if (i == start) continue;
    const Case prev = case_of(cps[i - 1].cp), cur = case_of(cps[i].cp);
    const Case next = i + 1 < cps.size() ? case_of(cps[i + 1].cp) : Case::other;
    const bool boundary = (prev == Case::lower && cur == Case::upper) ||
                          (prev == Case::upper && cur == Case::upper && next == Case::lower) ||
                          ((prev == Case::digit) != (cur == Case::digit) && prev != Case::other &&
                           cur != Case::other);
    if (boundary) {
      emit(start, i);
      start = i;
    }
  }
  emit(start, cps.size());
}

void add_hashtag(std::string_view tag, Tokens& t) {
  if (tag.empty()) return;
  split_hashtag(tag, t.words);
  std::string whole;
  for (char c : tag)
    if (c != '_') whole += c;
  t.hashtags.push_back(fold(whole));
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string w;
  while (in >> w) {
    if (w.ends_with(',')) w.pop_back();
    if (!w.empty()) out.push_back(w);
  }
  return out;
}

bool valid_topic_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

}  // namespace

Tokens tokenize(std::string_view text, const std::vector<std::string>& extra_hashtags) {
  Tokens t;
  tokenize(text, extra_hashtags, t);
  return t;
}

void tokenize(std::string_view text, const std::vector<std::string>& extra_hashtags, Tokens& t) {
  // Decodes in place (an ASCII byte is its own code point) rather than
  // building a code point vector per post: this runs on every post.
  t.words.clear();
  t.hashtags.clear();
  const std::size_t n = text.size();
  auto decode = [&](std::size_t pos, utf8proc_int32_t& cp) -> std::size_t {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      cp = c;
      return 1;
    }
    const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                                      static_cast<utf8proc_ssize_t>(n - pos), &cp);
    if (len <= 0) {
      cp = -1;
      return 1;
    }
    return static_cast<std::size_t>(len);
  };
  auto is_space = [](utf8proc_int32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
           (cp > 0x7f && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS);
  };
  utf8proc_int32_t prev = -1;  // the code point before position i; -1 at the start
  std::size_t i = 0;
  while (i < n) {
    utf8proc_int32_t cp = 0;
    const std::size_t len = decode(i, cp);
    const bool at_start = prev == -1 || !is_word_cp(prev);
    const std::string_view rest = text.substr(i);
    if (at_start && (cp == '@' || rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www."))) {
      // URLs and @mentions are not words.
      while (i < n) {
        utf8proc_int32_t c2 = 0;
        const std::size_t l2 = decode(i, c2);
        if (is_space(c2)) break;
        prev = c2;
        i += l2;
      }
      continue;
    }
    if (cp == '#' && i + 1 < n) {
      utf8proc_int32_t next = 0;
      decode(i + 1, next);
      if (is_word_cp(next) || next == '_') {
        std::size_t j = i + 1;
        while (j < n) {
          utf8proc_int32_t c2 = 0;
          const std::size_t l2 = decode(j, c2);
          if (!is_word_cp(c2) && c2 != '_') break;
          prev = c2;
          j += l2;
        }
        add_hashtag(text.substr(i + 1, j - i - 1), t);
        i = j;
        continue;
      }
    }
    if (is_word_cp(cp)) {
      std::size_t j = i;
      while (j < n) {
        utf8proc_int32_t c2 = 0;
        const std::size_t l2 = decode(j, c2);
        if (!is_word_cp(c2)) break;
        prev = c2;
        j += l2;
      }
      t.words.push_back(fold(text.substr(i, j - i)));
      i = j;
      continue;
    }
    prev = cp;
    i += len;
  }
  for (const auto& h : extra_hashtags) {
    t.words.emplace_back();  // a gap, so that phrases do not run across fields
    add_hashtag(h.starts_with('#') ? std::string_view(h).substr(1) : std::string_view(h), t);
  }
}

Result<Term> parse_term(std::string_view raw) {
  std::string text = trim(raw);
  Term t;
  t.source = text;
  std::string_view s = text;
  if (s.starts_with('-')) {
    t.exclude = true;
    s.remove_prefix(1);
  }
  if (s.empty()) return fail(ErrorKind::usage, "empty term");
  if (find_invalid_utf8(s) != std::string_view::npos) return fail(ErrorKind::usage, "term is not valid UTF-8");
  if (s.starts_with('"')) {
    if (s.size() < 2 || !s.ends_with('"'))
      return fail(ErrorKind::usage, "unterminated phrase " + std::string(s) + " (close it with \")");
    const auto toks = tokenize(s.substr(1, s.size() - 2), {});
    for (const auto& w : toks.words)
      if (!w.empty()) t.words.push_back(w);
    if (t.words.empty()) return fail(ErrorKind::usage, "phrase " + std::string(s) + " has no words");
    t.kind = t.words.size() == 1 ? Term::Kind::word : Term::Kind::phrase;
    return t;
  }
  if (s.starts_with('#')) {
    std::string tag = fold(s.substr(1));
    std::erase(tag, '_');
    if (tag.empty()) return fail(ErrorKind::usage, "empty hashtag '" + std::string(s) + "'");
    t.kind = Term::Kind::hashtag;
    t.words.push_back(tag);
    return t;
  }
  const bool prefix = s.ends_with('*');
  if (prefix) s.remove_suffix(1);
  const auto toks = tokenize(s, {});
  if (toks.words.size() != 1 || toks.words[0] != fold(s))
    return fail(ErrorKind::usage, "'" + std::string(raw) +
                                      "' is not a term: use a word, #hashtag, \"a phrase\" or prefix*");
  t.kind = prefix ? Term::Kind::prefix : Term::Kind::word;
  t.words.push_back(toks.words[0]);
  return t;
}

Result<TopicFile> TopicFile::parse(std::string_view text, const std::string& file) {
  TopicFile tf;
  std::size_t lineno = 0;
  std::size_t pos = 0;
  Topic* current = nullptr;
  auto err = [&](std::string msg) { return fail_at(file, lineno, {}, std::move(msg)); };
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++lineno;
    if (lineno == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (line.empty() || line.starts_with(";") || line == "#" || line.starts_with("# ") ||
        line.starts_with("#\t"))
      continue;
    if (find_invalid_utf8(line) != std::string::npos) return err("invalid UTF-8");
    if (line.starts_with('[')) {
      if (!line.ends_with(']')) return err("a topic header looks like [name]");
      const std::string name = trim(std::string_view(line).substr(1, line.size() - 2));
      if (!valid_topic_name(name))
        return err("topic name '" + name + "' may hold only letters, digits, '-', '_' and '.'");
      if (tf.find(name)) return err("topic [" + name + "] is defined twice");
      tf.topics_.push_back(Topic{name, {}, {}, {}, file, lineno});
      current = &tf.topics_.back();
      continue;
    }
    if (!current) return err("a term before any [topic] header");
    if (line.starts_with("lang:") || line.starts_with("languages:")) {
      for (auto& l : split_words(line.substr(line.find(':') + 1))) {
        sb_stemmer* st = sb_stemmer_new(l.c_str(), "UTF_8");
        if (!st) return err("no stemmer for language '" + l + "' (use codes such as fr, en, de, es, it)");
        sb_stemmer_delete(st);
        current->languages.push_back(l);
      }
      continue;
    }
    if (line.starts_with("include:")) {
      for (auto& n : split_words(line.substr(8))) current->includes.push_back(n);
      continue;
    }
    auto term = parse_term(line);
    if (!term) return err(term.error().message);
    current->terms.push_back(std::move(*term));
  }
  for (const auto& t : tf.topics_)
    for (const auto& inc : t.includes)
      if (!tf.find(inc))
        return fail_at(file, t.line, {}, "topic [" + t.name + "] includes unknown topic '" + inc + "'");
  return tf;
}

Result<TopicFile> TopicFile::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(Error{ErrorKind::io, "cannot read the topics file", path, 0, {}});
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

const Topic* TopicFile::find(std::string_view name) const {
  for (const auto& t : topics_)
    if (t.name == name) return &t;
  return nullptr;
}

std::string describe(const Topic& t) {
  std::string out = "[" + t.name + "]\n";
  if (!t.languages.empty()) {
    out += "lang:";
    for (const auto& l : t.languages) out += " " + l;
    out += "\n";
  }
  if (!t.includes.empty()) {
    out += "include:";
    for (const auto& i : t.includes) out += " " + i;
    out += "\n";
  }
  for (const auto& term : t.terms) out += term.source + "\n";
  return out;
}

Result<Topic> resolve_topic(std::string_view spec, const TopicFile* file) {
  if (file)
    if (const Topic* t = file->find(spec)) return *t;
  auto term = parse_term(spec);
  if (!term)
    return fail(ErrorKind::usage, "--topic '" + std::string(spec) + "': not a topic of the topics file, and " +
                                      term.error().message);
  if (term->exclude) return fail(ErrorKind::usage, "--topic '" + std::string(spec) + "': a topic cannot be only an exclusion");
  Topic t;
  t.name = std::string(spec);
  t.terms.push_back(std::move(*term));
  return t;
}

// A topic with its included topics' terms merged in.
struct TopicMatcher::Compiled {
  std::vector<std::string> languages;  // post languages accepted; empty: any
  std::vector<Term> terms;
  std::vector<std::vector<std::uint16_t>> term_atoms;  // per term
};

struct TopicMatcher::TermAtoms {
  std::uint64_t vocabulary = 0;  // Vocabulary::serial
  // Term t's atoms: atoms[start[t] .. start[t + 1]).
  std::vector<std::uint32_t> start{0};
  std::vector<std::uint16_t> atoms;
  // Whether term t can help a post match (`relevant`): it has atoms, or it
  // is a topic's hashtag. A post with no such word or hashtag matches no
  // term (exclusions only take posts away), and most posts have none.
  // Whether it makes any post that holds it match, whatever else the post
  // says (`sure_as_word`, or `sure_as_tag` when it is one of the post's
  // hashtags): it has the atom of a one-word term, or is the hashtag of a
  // hashtag term, of a topic with no exclusion and no language, which then
  // matches. Most posts that have a relevant term have such a one.
  static constexpr std::uint8_t relevant = 1, sure_as_word = 2, sure_as_tag = 4;
  std::vector<std::uint8_t> flags;
  std::size_t terms() const { return flags.size(); }
  std::span<const std::uint16_t> of(std::uint32_t t) const {
    return {atoms.data() + start[t], start[t + 1] - start[t]};
  }
};

TopicMatcher::TopicMatcher() = default;
TopicMatcher::TopicMatcher(TopicMatcher&&) noexcept = default;
TopicMatcher& TopicMatcher::operator=(TopicMatcher&&) noexcept = default;
TopicMatcher::~TopicMatcher() {
  for (auto* s : stemmers_) sb_stemmer_delete(s);
}

std::optional<TopicMatcher> TopicMatcher::clone() const {
  TopicMatcher m;
  m.topics_ = topics_;
  m.atom_defs_ = atom_defs_;
  m.stem_languages_ = stem_languages_;
  m.atom_stems_ = atom_stems_;
  m.terms_ = terms_;
  for (const auto& lang : stem_languages_) {
    sb_stemmer* st = sb_stemmer_new(lang.c_str(), "UTF_8");
    if (!st) return std::nullopt;  // m deletes the ones made so far
    m.stemmers_.push_back(st);
  }
  return m;
}

Result<TopicMatcher> TopicMatcher::build(const std::vector<Topic>& topics, const TopicFile* file) {
  TopicMatcher m;
  for (const auto& top : topics) {
    Compiled c;
    c.languages = top.languages;
    // Merge included topics, depth first, refusing cycles.
    std::vector<const Topic*> stack{&top};
    std::set<std::string> seen{top.name};
    std::vector<const Topic*> all;
    while (!stack.empty()) {
      const Topic* t = stack.back();
      stack.pop_back();
      all.push_back(t);
      for (const auto& inc : t->includes) {
        const Topic* it = file ? file->find(inc) : nullptr;
        if (!it) return fail(ErrorKind::not_found, "topic '" + t->name + "' includes unknown topic '" + inc + "'");
        if (!seen.insert(inc).second)
          return fail(ErrorKind::usage, "topic '" + top.name + "' includes '" + inc + "' twice or in a cycle");
        stack.push_back(it);
      }
    }
    const auto& stem_langs = top.languages.empty() ? default_languages : top.languages;
    for (const Topic* t : all) {
      for (const auto& term : t->terms) {
        std::vector<std::uint16_t> atoms;
        if (term.kind != Term::Kind::hashtag) {
          for (const auto& w : term.words) {
            const auto kind = term.kind == Term::Kind::prefix ? Term::Kind::prefix : Term::Kind::word;
            // Atoms are keyed by kind, word and stemming languages.
            std::string key = w;
            for (const auto& l : stem_langs) key += "\x1f" + l;
            auto it = std::find_if(m.atom_defs_.begin(), m.atom_defs_.end(),
                                   [&](const auto& d) { return d.first == kind && d.second == key; });
            if (it == m.atom_defs_.end()) {
              if (m.atom_defs_.size() >= 65535) return fail(ErrorKind::usage, "too many terms");
              m.atom_defs_.emplace_back(kind, key);
              it = m.atom_defs_.end() - 1;
            }
            atoms.push_back(static_cast<std::uint16_t>(it - m.atom_defs_.begin()));
          }
        }
        c.terms.push_back(term);
        c.term_atoms.push_back(std::move(atoms));
      }
    }
    m.topics_.push_back(std::move(c));
  }
  // Stemmers for every language in use, and each word atom's stem in each.
  for (const auto& [kind, key] : m.atom_defs_) {
    std::size_t p = key.find('\x1f');
    while (p != std::string::npos) {
      const auto q = key.find('\x1f', p + 1);
      const std::string lang = key.substr(p + 1, q == std::string::npos ? std::string::npos : q - p - 1);
      if (std::find(m.stem_languages_.begin(), m.stem_languages_.end(), lang) == m.stem_languages_.end()) {
        sb_stemmer* st = sb_stemmer_new(lang.c_str(), "UTF_8");
        if (!st) return fail(ErrorKind::usage, "no stemmer for language '" + lang + "'");
        m.stem_languages_.push_back(lang);
        m.stemmers_.push_back(st);
      }
      p = q;
    }
  }
  for (const auto& [kind, key] : m.atom_defs_) {
    const std::string word = key.substr(0, key.find('\x1f'));
    std::vector<std::string> stems(m.stemmers_.size());
    for (std::size_t l = 0; l < m.stemmers_.size(); ++l) {
      if (key.find("\x1f" + m.stem_languages_[l]) == std::string::npos) continue;
      const auto* s = sb_stemmer_stem(m.stemmers_[l], reinterpret_cast<const sb_symbol*>(word.data()),
                                      static_cast<int>(word.size()));
      stems[l] = std::string(reinterpret_cast<const char*>(s), static_cast<std::size_t>(sb_stemmer_length(m.stemmers_[l])));
    }
    m.atom_stems_.push_back(std::move(stems));
  }
  return m;
}

const std::vector<std::uint16_t>& TopicMatcher::atoms_of(const std::string& word) {
  if (auto it = cache_.find(word); it != cache_.end()) return it->second;
  return cache_.emplace(word, find_atoms(word)).first->second;
}

std::vector<std::uint16_t> TopicMatcher::find_atoms(const std::string& word) {
  std::vector<std::string> stems(stemmers_.size());
  for (std::size_t l = 0; l < stemmers_.size(); ++l) {
    const auto* s = sb_stemmer_stem(stemmers_[l], reinterpret_cast<const sb_symbol*>(word.data()),
                                    static_cast<int>(word.size()));
    if (s) stems[l] = std::string(reinterpret_cast<const char*>(s), static_cast<std::size_t>(sb_stemmer_length(stemmers_[l])));
  }
  std::vector<std::uint16_t> hits;
  for (std::size_t a = 0; a < atom_defs_.size(); ++a) {
    const auto& [kind, key] = atom_defs_[a];
    const std::string_view w = std::string_view(key).substr(0, key.find('\x1f'));
    bool hit = false;
    if (kind == Term::Kind::prefix) {
      hit = std::string_view(word).starts_with(w);
    } else {
      hit = word == w;
      for (std::size_t l = 0; !hit && l < stemmers_.size(); ++l)
        hit = !atom_stems_[a][l].empty() && atom_stems_[a][l] == stems[l];
    }
    if (hit) hits.push_back(static_cast<std::uint16_t>(a));
  }
  return hits;
}

void TopicMatcher::prepare(const Vocabulary& v, unsigned threads) {
  if (terms_ && terms_->vocabulary == v.serial && terms_->terms() >= v.terms.size()) return;
  // Each half of the terms on its own matcher (stemmers are not shared),
  // into lists of its own, joined after in term order.
  struct Part {
    std::vector<std::uint32_t> counts;
    std::vector<std::uint16_t> atoms;
    std::vector<std::uint8_t> flags;
  };
  // What makes a match alone (see TermAtoms): atoms and hashtags of the
  // one-word terms of topics that exclude nothing and take any language.
  std::vector<char> sure_atom(atom_defs_.size(), 0);
  std::vector<std::string_view> sure_tags;
  for (const auto& c : topics_) {
    if (!c.languages.empty() || std::any_of(c.terms.begin(), c.terms.end(), [](const Term& t) { return t.exclude; }))
      continue;
    for (std::size_t i = 0; i < c.terms.size(); ++i) {
      if (c.terms[i].kind == Term::Kind::hashtag) sure_tags.push_back(c.terms[i].words[0]);
      else if (c.term_atoms[i].size() == 1) sure_atom[c.term_atoms[i][0]] = 1;
    }
  }
  const auto resolve = [&](TopicMatcher& m, std::size_t from, std::size_t to, Part& out) {
    for (std::size_t t = from; t < to; ++t) {
      const auto hits = m.find_atoms(v.terms[t]);
      out.counts.push_back(static_cast<std::uint32_t>(hits.size()));
      out.atoms.insert(out.atoms.end(), hits.begin(), hits.end());
      std::uint8_t f = !hits.empty() || is_topic_hashtag(v.terms[t]) ? TermAtoms::relevant : 0;
      if (std::any_of(hits.begin(), hits.end(), [&](std::uint16_t a) { return sure_atom[a] != 0; }))
        f |= TermAtoms::sure_as_word | TermAtoms::sure_as_tag;
      if (std::find(sure_tags.begin(), sure_tags.end(), v.terms[t]) != sure_tags.end()) f |= TermAtoms::sure_as_tag;
      out.flags.push_back(f);
    }
  };
  const std::size_t n = v.terms.size(), half = threads > 1 ? n / 2 : n;
  Part first, second;
  std::optional<TopicMatcher> other = half < n ? clone() : std::nullopt;
  if (other) {
    auto done = std::async(std::launch::async, [&] { resolve(*other, half, n, second); });
    resolve(*this, 0, half, first);
    done.get();
  } else {
    resolve(*this, 0, n, first);
  }
  auto table = std::make_shared<TermAtoms>();
  table->vocabulary = v.serial;
  table->start.reserve(n + 1);
  for (const auto* part : {&first, &second}) {
    for (auto k : part->counts) table->start.push_back(table->start.back() + k);
    table->atoms.insert(table->atoms.end(), part->atoms.begin(), part->atoms.end());
    table->flags.insert(table->flags.end(), part->flags.begin(), part->flags.end());
  }
  terms_ = std::move(table);
}

namespace {

using AtomList = std::vector<std::uint16_t>;
using Atoms = std::span<const std::uint16_t>;

bool has_atom(Atoms v, std::uint16_t a) { return std::find(v.begin(), v.end(), a) != v.end(); }

// One term against a post: `words` are the atoms of its words in order,
// `tags` those of its whole hashtags, `has_hashtag` tells whether it carries a
// given folded hashtag.
template <typename HasHashtag>
bool term_matches(const Term& t, const AtomList& seq, const std::vector<Atoms>& words,
                  const std::vector<Atoms>& tags, HasHashtag&& has_hashtag) {
  if (t.kind == Term::Kind::hashtag) return has_hashtag(t.words[0]);
  if (seq.size() == 1) {
    for (const auto a : words)
      if (has_atom(a, seq[0])) return true;
    for (const auto a : tags)  // the whole of a split hashtag counts as a word too
      if (has_atom(a, seq[0])) return true;
    return false;
  }
  for (std::size_t i = 0; i + seq.size() <= words.size(); ++i) {
    std::size_t k = 0;
    while (k < seq.size() && has_atom(words[i + k], seq[k])) ++k;
    if (k == seq.size()) return true;
  }
  return false;
}

}  // namespace

template <typename HasHashtag>
bool TopicMatcher::any_topic(std::string_view language, HasHashtag&& has_hashtag) {
  for (const auto& c : topics_) {
    if (!c.languages.empty() && !language.empty() &&
        std::find(c.languages.begin(), c.languages.end(), language) == c.languages.end())
      continue;
    bool excluded = false, matched = false;
    for (std::size_t i = 0; i < c.terms.size() && !excluded; ++i)
      if (c.terms[i].exclude && term_matches(c.terms[i], c.term_atoms[i], word_atoms_, tag_atoms_, has_hashtag))
        excluded = true;
    if (excluded) continue;
    for (std::size_t i = 0; i < c.terms.size() && !matched; ++i)
      if (!c.terms[i].exclude && term_matches(c.terms[i], c.term_atoms[i], word_atoms_, tag_atoms_, has_hashtag))
        matched = true;
    if (matched) return true;
  }
  return false;
}

void TopicMatcher::bound_cache() {
  // Bound memory on huge vocabularies; only here, where no cached entry is held.
  if (cache_.size() > 2'000'000) {
    cache_.clear();
  }
}

bool TopicMatcher::is_topic_hashtag(std::string_view term) const {
  for (const auto& c : topics_)
    for (const auto& t : c.terms)
      if (t.kind == Term::Kind::hashtag && t.words[0] == term) return true;
  return false;
}

bool TopicMatcher::matches(std::string_view text, const std::vector<std::string>& hashtags,
                           std::string_view language) {
  bound_cache();
  const Tokens tokens = tokenize(text, hashtags);
  word_atoms_.clear();
  tag_atoms_.clear();
  for (const auto& w : tokens.words) word_atoms_.emplace_back(atoms_of(w));
  for (const auto& h : tokens.hashtags) tag_atoms_.emplace_back(atoms_of(h));
  return any_topic(language, [&](const std::string& tag) {
    return std::find(tokens.hashtags.begin(), tokens.hashtags.end(), tag) != tokens.hashtags.end();
  });
}

bool TopicMatcher::matches(const Corpus& c, std::size_t post) {
  const Vocabulary& v = *c.vocabulary;
  prepare(v);  // once per vocabulary
  const TermAtoms& table = *terms_;
  const auto words = c.words.row(post), tags = c.hashtags.row(post);
  std::uint8_t seen = 0;
  constexpr auto as_word = TermAtoms::relevant | TermAtoms::sure_as_word;
  constexpr auto as_tag = TermAtoms::relevant | TermAtoms::sure_as_tag;
  for (auto t : words) seen |= static_cast<std::uint8_t>(table.flags[t] & as_word);
  if (seen & TermAtoms::sure_as_word) return true;
  for (auto t : tags) seen |= static_cast<std::uint8_t>(table.flags[t] & as_tag);
  if (seen & TermAtoms::sure_as_tag) return true;
  if (!(seen & TermAtoms::relevant)) return false;
  word_atoms_.clear();
  tag_atoms_.clear();
  for (auto t : words) word_atoms_.push_back(table.of(t));
  for (auto t : tags) tag_atoms_.push_back(table.of(t));
  return any_topic(c.language_of(post), [&](const std::string& tag) {
    return std::any_of(tags.begin(), tags.end(), [&](std::uint32_t t) { return v.terms[t] == tag; });
  });
}

}  // namespace influence::lib
