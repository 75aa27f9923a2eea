#include "lib/corpus.hpp"

#include <algorithm>
#include <atomic>
#include <future>

#include "lib/topic.hpp"

namespace influence::lib {

std::vector<std::uint32_t> find_accounts(const Corpus& c, std::string_view name) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t a = 0; a < c.accounts.size(); ++a)
    if (c.accounts[a].id == name) return {a};
  auto bare = [](std::string_view h) { return h.starts_with('@') ? h.substr(1) : h; };
  for (std::uint32_t a = 0; a < c.accounts.size(); ++a)
    if (bare(c.accounts[a].handle) == bare(name)) out.push_back(a);
  return out;
}

Vocabulary::Vocabulary() {
  static std::atomic<std::uint64_t> next{1};
  serial = next++;
}

// The index holds positions in `terms`: a lookup hashes the term and reads a
// slot and the term it names, where an unordered_map<string, uint32_t> read a
// bucket, a node and the node's string (the most of interning, which is
// most of what the cache follower's thread does in an import).
namespace {
// What the index needs to compare: the term at a position.
auto terms_of(const Vocabulary& v) {
  return [&v](std::uint32_t i) -> std::string_view { return v.terms[i]; };
}
}  // namespace

std::uint32_t Vocabulary::intern(std::string_view term) {
  if (index.size() != terms.size()) rebuild_index();
  if (const auto at = index.find(term, terms_of(*this)); at != IdIndex::absent) return at;
  const auto id = static_cast<std::uint32_t>(terms.size());
  terms.emplace_back(term);
  index.insert(term, id, terms_of(*this));
  return id;
}

std::uint32_t Vocabulary::find(std::string_view term) const {
  if (index.size() == terms.size()) {
    const auto at = index.find(term, terms_of(*this));
    return at == IdIndex::absent ? no_index : at;
  }
  const auto it = std::find(terms.begin(), terms.end(), term);
  return it == terms.end() ? no_index : static_cast<std::uint32_t>(it - terms.begin());
}

void Vocabulary::rebuild_index() {
  index = IdIndex(terms.size());
  for (std::uint32_t i = 0; i < terms.size(); ++i) index.insert(terms[i], i, terms_of(*this));
}

CorpusBuilder::CorpusBuilder(Corpus& c) : c_(c) {
  blob_ = c.text_blob;
  for (std::size_t i = 0; i < c.languages.size(); ++i) language_ids_.emplace(c.languages[i], static_cast<std::uint16_t>(i));
}

std::uint32_t CorpusBuilder::add_post(const CorpusPost& p, const PostText& t, std::span<const std::uint32_t> mentions) {
  static const std::vector<std::string> none;
  std::vector<std::uint32_t> words, hashtags;
  if (has_own_words(p.type)) {
    const Tokens tokens = tokenize(t.text, t.hashtags ? *t.hashtags : none);
    c_.vocabulary->intern_all(tokens.words, words);
    c_.vocabulary->intern_all(tokens.hashtags, hashtags);
  }
  return add_post(p, t, mentions, words, hashtags);
}

std::uint32_t CorpusBuilder::add_post(const CorpusPost& p, const PostText& t, std::span<const std::uint32_t> mentions,
                                      std::span<const std::uint32_t> words, std::span<const std::uint32_t> hashtags) {
  CorpusPost post = p;
  auto lang = language_ids_.find(t.language);
  if (lang == language_ids_.end()) {
    // Language tags are few; past 65,535 distinct ones the rest read as unknown.
    if (c_.languages.size() < UINT16_MAX) {
      lang = language_ids_.emplace(std::string(t.language), static_cast<std::uint16_t>(c_.languages.size())).first;
      c_.languages.emplace_back(t.language);
    }
  }
  post.language = lang == language_ids_.end() ? 0 : lang->second;
  Corpus::Strings s;
  s.offset = blob_.size();
  s.id_size = static_cast<std::uint32_t>(t.id.size());
  s.text_size = static_cast<std::uint32_t>(t.text.size());
  s.url_size = static_cast<std::uint32_t>(t.url.size());
  blob_.append(t.id).append(t.text).append(t.url);
  c_.post_strings.push_back(s);
  c_.mentions.ids.append(mentions.begin(), mentions.end());
  c_.mentions.push_row();
  c_.words.ids.append(words.begin(), words.end());
  c_.words.push_row();
  c_.hashtags.ids.append(hashtags.begin(), hashtags.end());
  c_.hashtags.push_row();
  c_.posts.push_back(post);
  return static_cast<std::uint32_t>(c_.posts.size() - 1);
}

void CorpusBuilder::finish() {
  auto owned = std::make_shared<const std::string>(std::move(blob_));
  c_.text_blob = *owned;
  c_.text_owner = std::move(owned);
}

void share_columns(Corpus& c) {
  c.posts.share();
  c.post_strings.share();
  for (Lists* l : {&c.mentions, &c.words, &c.hashtags}) {
    l->start.share();
    l->ids.share();
  }
  c.follower_start.share();
  c.follower_ids.share();
}

namespace {

void copy_row(const Lists& from, std::size_t i, Lists& to);

// Puts the rows of `l` in `order`, block by block. A block is a run of
// positions [i, j) whose rows `order` takes among themselves: the moves of a
// time order stay within runs of equal times when the posts came in time
// order (ties not by id), and span everything at worst. A block's rows fill
// the same span of l.ids in any order, so only the rows of blocks are
// copied, where copying every list of every post into new columns was a
// third of putting an import's ten million posts in order. `ids` and
// `sizes` are scratch space.
void reorder_rows(Lists& l, std::span<const std::uint32_t> order, std::vector<std::uint32_t>& ids,
                  std::vector<std::uint64_t>& sizes) {
  const std::size_t n = order.size();
  for (std::size_t i = 0; i < n;) {
    // Positions before i hold rows from before i: order[i] >= i.
    if (order[i] == i) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    for (std::uint32_t last = order[i]; j <= last; ++j) last = std::max(last, order[j]);
    ids.clear();
    sizes.clear();
    for (std::size_t k = i; k < j; ++k) {
      const auto r = l.row(order[k]);
      ids.insert(ids.end(), r.begin(), r.end());
      sizes.push_back(r.size());
    }
    std::uint64_t at = l.start[i];
    if (!ids.empty()) std::copy(ids.begin(), ids.end(), &l.ids.mut(at));
    for (std::size_t k = i; k < j; ++k) {
      l.start.mut(k) = at;
      at += sizes[k - i];
    }
    i = j;
  }
}

}  // namespace

void reorder_posts(Corpus& c, std::span<const std::uint32_t> order) {
  std::vector<std::uint32_t> new_index(order.size());
  for (std::uint32_t k = 0; k < order.size(); ++k) new_index[order[k]] = k;
  // Fixed-size rows move in place, cycle by cycle: a reordered copy of the
  // posts would be 640 MB more at ten million posts, at the peak of a load.
  std::vector<bool> placed(order.size());
  const auto permute = [&](auto& column, auto&& fix) {
    std::fill(placed.begin(), placed.end(), false);
    for (std::uint32_t start = 0; start < order.size(); ++start) {
      if (placed[start]) continue;
      auto moving = column[start];
      std::uint32_t k = start;
      while (order[k] != start) {
        column.mut(k) = fix(column[order[k]]);
        placed[k] = true;
        k = order[k];
      }
      column.mut(k) = fix(moving);
      placed[k] = true;
    }
  };
  permute(c.posts, [&](CorpusPost p) {
    if (p.parent != no_index) p.parent = new_index[p.parent];
    return p;
  });
  // The strings stay where they are in the blob: only their offsets move.
  permute(c.post_strings, [](const Corpus::Strings& s) { return s; });
  for (auto& d : c.dangling_parents) d.first = new_index[d.first];
  std::sort(c.dangling_parents.begin(), c.dangling_parents.end());
  std::vector<std::uint32_t> ids;
  std::vector<std::uint64_t> sizes;
  for (Lists* l : {&c.mentions, &c.words, &c.hashtags}) reorder_rows(*l, order, ids, sizes);
}

namespace {

bool wanted_platform(const std::vector<std::string>& platforms, std::string_view p) {
  return platforms.empty() || std::find(platforms.begin(), platforms.end(), p) != platforms.end();
}

void copy_row(const Lists& from, std::size_t i, Lists& to) {
  const auto r = from.row(i);
  to.ids.append(r.begin(), r.end());
  to.push_row();
}

// Counters of the latest snapshot at or before `until`; where every snapshot
// is later, the earliest one (the closest we know). `acc` maps the history's
// account indices to `accounts` (no_index: not kept).
void apply_counters(const std::vector<CounterSnapshot>& history, const std::vector<std::uint32_t>& acc, Timestamp until,
                    std::vector<CorpusAccount>& accounts) {
  for (std::size_t k = 0; k < history.size();) {
    const auto a = history[k].account;
    std::size_t end = k;
    while (end < history.size() && history[end].account == a) ++end;
    if (acc[a] != no_index) {
      std::size_t pick = k;  // the earliest, unless one is at or before the end
      for (std::size_t j = k; j < end && history[j].observed_at <= until; ++j) pick = j;
      const auto& s = history[pick];
      auto& out = accounts[acc[a]];
      out.followers = s.followers;
      out.following = s.following;
      out.posts = s.posts;
    }
    k = end;
  }
}

}  // namespace

Corpus select(const Corpus& w, const CorpusQuery& q) {
  Corpus c;
  c.since = q.since;
  c.until = q.until;
  c.vocabulary = w.vocabulary;
  c.languages = w.languages;
  c.text_owner = w.text_owner;
  c.text_blob = w.text_blob;
  c.account_text = w.account_text;

  const bool all_accounts = q.platforms.empty();
  std::vector<std::uint32_t> acc(w.accounts.size(), no_index);
  c.accounts.reserve(w.accounts.size());
  for (std::uint32_t a = 0; a < w.accounts.size(); ++a) {
    if (!wanted_platform(q.platforms, w.accounts[a].platform)) continue;
    acc[a] = static_cast<std::uint32_t>(c.accounts.size());
    c.accounts.push_back(w.accounts[a]);
  }
  auto map_account = [&](std::uint32_t a) { return a == no_index ? no_index : acc[a]; };

  apply_counters(w.counter_history, acc, q.until, c.accounts);

  // The window's posts are a run of the time-ordered whole; then their parents.
  const auto by_time = [](const CorpusPost& p, Timestamp t) { return p.created_at < t; };
  const auto lo = static_cast<std::size_t>(std::lower_bound(w.posts.begin(), w.posts.end(), q.since, by_time) - w.posts.begin());
  const auto hi = std::max(lo, static_cast<std::size_t>(std::lower_bound(w.posts.begin(), w.posts.end(), q.until, by_time) - w.posts.begin()));
  std::vector<std::uint32_t> order;
  order.reserve(hi - lo);
  std::vector<std::uint32_t> index(w.posts.size(), no_index);
  for (std::size_t i = lo; i < hi; ++i) {
    if (acc[w.posts[i].author] == no_index) continue;
    index[i] = static_cast<std::uint32_t>(order.size());
    order.push_back(static_cast<std::uint32_t>(i));
  }
  const std::size_t in_window = order.size();
  for (std::size_t k = 0; k < in_window; ++k) {
    const auto parent = w.posts[order[k]].parent;
    if (parent == no_index || index[parent] != no_index || acc[w.posts[parent].author] == no_index) continue;
    index[parent] = static_cast<std::uint32_t>(order.size());
    order.push_back(parent);
  }

  c.posts.reserve(order.size());
  c.post_strings.reserve(order.size());
  c.words.start.reserve(order.size() + 1);
  c.hashtags.start.reserve(order.size() + 1);
  c.mentions.start.reserve(order.size() + 1);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto i = order[k];
    CorpusPost p = w.posts[i];
    p.in_window = k < in_window;
    p.author = acc[p.author];
    p.reply_to_author = map_account(p.reply_to_author);
    p.parent = p.parent == no_index ? no_index : index[p.parent];
    p.parent_author = reacted_author(p, p.parent != no_index ? acc[w.posts[order[p.parent]].author] : no_index);
    c.posts.push_back(p);
    c.post_strings.push_back(w.post_strings[i]);
    copy_row(w.words, i, c.words);
    copy_row(w.hashtags, i, c.hashtags);
    for (auto m : w.mentions.row(i))
      if (acc[m] != no_index) c.mentions.ids.push_back(acc[m]);
    c.mentions.push_row();
  }

  // The follow graph among the accounts kept.
  if (w.has_follow_graph()) {
    if (all_accounts) {
      c.follower_start = w.follower_start;
      c.follower_ids = w.follower_ids;
    } else {
      c.follower_start.assign(c.accounts.size() + 1, 0);
      for (std::uint32_t a = 0; a < w.accounts.size(); ++a) {
        if (acc[a] == no_index) continue;
        for (auto k = w.follower_start[a]; k < w.follower_start[a + 1]; ++k)
          if (acc[w.follower_ids[k]] != no_index) c.follower_ids.push_back(acc[w.follower_ids[k]]);
        c.follower_start.mut(acc[a] + 1) = c.follower_ids.size();
      }
      if (c.follower_ids.empty()) c.follower_start.clear();
    }
  }
  return c;
}

Corpus select(Corpus&& whole, const CorpusQuery& q) {
  // The usual case (every platform, a window from the first post on) keeps
  // every post: take the columns over instead of copying them. Every parent
  // is then in the corpus, so parents and their authors stand as they are.
  const bool every_post = whole.posts.empty() ||
                          (whole.posts.front().created_at >= q.since && whole.posts.back().created_at < q.until);
  if (!q.platforms.empty() || !every_post) return select(static_cast<const Corpus&>(whole), q);
  Corpus c = std::move(whole);
  const bool unbounded = c.since == INT64_MIN && c.until == INT64_MAX;
  c.since = q.since;
  c.until = q.until;
  std::vector<std::uint32_t> identity(c.accounts.size());
  for (std::uint32_t a = 0; a < identity.size(); ++a) identity[a] = a;
  apply_counters(c.counter_history, identity, q.until, c.accounts);
  // A whole-store corpus (no bounds: what the store and the column cache
  // give, the cache checked for it) has every post in its window already; a
  // narrower one is read for posts that say otherwise, and only those are
  // written to (a mapped column would be copied).
  if (!unbounded)
    for (std::size_t i = 0; i < c.posts.size(); ++i)
      if (!c.posts[i].in_window) c.posts.mut(i).in_window = 1;
  return c;
}

namespace {

std::string check_lists(const Lists& l, std::size_t rows, std::size_t bound, const char* name) {
  if (l.start.size() != rows + 1 || l.start.front() != 0 || l.start.back() != l.ids.size())
    return std::string(name) + " rows do not match the posts";
  for (std::size_t i = 0; i + 1 < l.start.size(); ++i)
    if (l.start[i] > l.start[i + 1]) return std::string(name) + " rows out of order";
  for (auto id : l.ids)
    if (id >= bound) return std::string(name) + " refer past their table";
  return {};
}

std::string check_posts(const Corpus& c, std::size_t na, bool whole_store) {
  const std::size_t np = c.posts.size();
  for (std::size_t i = 0; i < np; ++i) {
    const auto& p = c.posts[i];
    if (p.author >= na) return "a post's author is out of range";
    for (auto a : {p.parent_author, p.reply_to_author})
      if (a != no_index && a >= na) return "a post's parent author is out of range";
    if (p.parent != no_index && p.parent >= np) return "a post's parent is out of range";
    if (p.language >= c.languages.size()) return "a post's language is out of range";
    if (static_cast<std::uint8_t>(p.type) > static_cast<std::uint8_t>(PostType::repost)) return "a post's type is unknown";
    if (p.in_window > 1) return "a post's window flag is neither 0 nor 1";
    // Checked here, in the one pass over the posts, not in a second one
    // (640 MB more to read at ten million posts).
    if (whole_store) {
      if (!p.in_window) return "a post of the whole store is outside its window";
      if (i > 0 && c.posts[i - 1].created_at > p.created_at) return "posts are out of time order";
    }
  }
  if (c.post_strings.size() != np) return "post strings do not match the posts";
  for (const auto& s : c.post_strings)
    if (s.offset > c.text_blob.size() ||
        c.text_blob.size() - s.offset < std::uint64_t{s.id_size} + s.text_size + s.url_size)
      return "a post's text lies past the text blob";
  return {};
}

}  // namespace

std::string check_rows(const Corpus& c) {
  const std::size_t na = c.accounts.size(), np = c.posts.size();
  for (std::size_t k = 0; k < c.dangling_parents.size(); ++k)
    if (c.dangling_parents[k].first >= np || (k > 0 && c.dangling_parents[k - 1] > c.dangling_parents[k]))
      return "a dangling parent's post is out of range or out of order";
  for (std::size_t k = 0; k < c.counter_history.size(); ++k) {
    const auto& s = c.counter_history[k];
    if (s.account >= na) return "a counter snapshot's account is out of range";
    if (k > 0 && (c.counter_history[k - 1].account > s.account ||
                  (c.counter_history[k - 1].account == s.account && c.counter_history[k - 1].observed_at > s.observed_at)))
      return "counter snapshots are out of order";
  }
  return {};
}

std::string check_columns(const Corpus& c, std::size_t na, bool whole_store) {
  const std::size_t np = c.posts.size();
  if (c.languages.empty() || c.languages.size() > UINT16_MAX + 1u) return "no language table";
  // Every row is read, 1.7 GB at ten million posts, which the memory, not
  // the comparisons, makes slow: the lists and the follow graph, half of it,
  // are read on the other core while this one reads the posts and their
  // strings.
  auto lists = std::async(std::launch::async, [&c, na, np]() -> std::string {
    const std::size_t nt = c.vocabulary->terms.size();
    for (auto e : {check_lists(c.words, np, nt, "words"), check_lists(c.hashtags, np, nt, "hashtags"),
                   check_lists(c.mentions, np, na, "mentions")})
      if (!e.empty()) return e;
    if (!c.follower_start.empty()) {
      if (c.follower_start.size() != na + 1 || c.follower_start.front() != 0 ||
          c.follower_start.back() != c.follower_ids.size())
        return "the follow graph does not match the accounts";
      for (std::size_t i = 0; i + 1 < c.follower_start.size(); ++i)
        if (c.follower_start[i] > c.follower_start[i + 1]) return "the follow graph is out of order";
      for (auto f : c.follower_ids)
        if (f >= na) return "a follower is out of range";
    } else if (!c.follower_ids.empty()) {
      return "follows without their index";
    }
    return {};
  });
  auto posts = check_posts(c, na, whole_store);
  auto others = lists.get();
  return posts.empty() ? others : posts;
}

std::string check_indices(const Corpus& c, bool whole_store) {
  auto e = check_columns(c, c.accounts.size(), whole_store);
  return e.empty() ? check_rows(c) : e;
}

}  // namespace influence::lib
