#include "lib/cache_follower.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <thread>

#include "lib/handoff.hpp"
#include "lib/id_index.hpp"
#include "lib/identity.hpp"
#include "lib/sqlite_corpus.hpp"
#include "lib/strings.hpp"
#include "lib/topic.hpp"

namespace influence::lib {
namespace {

// Inserted posts as the store hands them over: what the corpus row says
// itself, its accounts as row ids (0: none; row ids stand where the corpus
// keeps account indices until finish() knows the accounts), and its strings
// one after the other in one buffer. The importing thread only copies bytes
// into buffers a batch keeps from one use to the next: a copy of each Post,
// with its vectors of strings, cost it a tenth of an import.
struct Items {
  enum Piece { id, text, url, language, parent, hashtags, pieces };
  struct Head {
    CorpusPost row;
    std::array<std::uint32_t, pieces> size{};
    std::uint32_t mentions = 0;
  };
  std::vector<Head> heads;
  std::string bytes;
  std::vector<std::uint32_t> mentions;
  std::size_t size() const { return heads.size(); }
  void clear() {
    heads.clear();
    bytes.clear();
    mentions.clear();
  }
};
constexpr std::size_t batch_items = 1024;
constexpr std::size_t batches_in_flight = 4;

// The store's posts, then the import's, as one corpus: each column of the
// base copied out of the cache it maps, whose pages are given back after
// each (else all of that file would stay resident beside the copy).
Corpus appended(const Corpus& base, Corpus& d) {
  const std::size_t nb = base.posts.size();
  Corpus out;
  {
    std::vector<CorpusPost> posts;
    posts.reserve(nb + d.posts.size());
    posts.insert(posts.end(), base.posts.begin(), base.posts.end());
    release_mapped_pages(base);
    posts.insert(posts.end(), d.posts.begin(), d.posts.end());
    out.posts = std::move(posts);
    d.posts = Column<CorpusPost>();
  }
  {
    std::vector<Corpus::Strings> strings;
    strings.reserve(nb + d.post_strings.size());
    strings.insert(strings.end(), base.post_strings.begin(), base.post_strings.end());
    release_mapped_pages(base);
    for (auto x : d.post_strings) {
      x.offset += base.text_blob.size();
      strings.push_back(x);
    }
    out.post_strings = std::move(strings);
    d.post_strings = Column<Corpus::Strings>();
  }
  {
    auto blob = std::make_shared<std::string>();
    blob->reserve(base.text_blob.size() + d.text_blob.size());
    blob->append(base.text_blob);
    release_mapped_pages(base);
    blob->append(d.text_blob);
    d.text_blob = {};
    d.text_owner.reset();
    out.text_blob = *blob;
    out.text_owner = std::move(blob);
  }
  const auto join = [&](const Lists& b, Lists& n, Lists& to) {
    std::vector<std::uint64_t> start(b.start.begin(), b.start.end());
    start.reserve(start.size() + n.rows());
    for (std::size_t k = 1; k < n.start.size(); ++k) start.push_back(n.start[k] + b.ids.size());
    std::vector<std::uint32_t> ids;
    ids.reserve(b.ids.size() + n.ids.size());
    ids.insert(ids.end(), b.ids.begin(), b.ids.end());
    release_mapped_pages(base);
    ids.insert(ids.end(), n.ids.begin(), n.ids.end());
    to.start = std::move(start);
    to.ids = std::move(ids);
    n = Lists();
  };
  join(base.mentions, d.mentions, out.mentions);
  join(base.words, d.words, out.words);
  join(base.hashtags, d.hashtags, out.hashtags);
  out.vocabulary = d.vocabulary;  // the base's, which the import's terms extended
  out.languages = d.languages;
  out.dangling_parents = base.dangling_parents;
  for (auto& [post, id] : d.dangling_parents) out.dangling_parents.emplace_back(post + nb, std::move(id));
  return out;
}

std::optional<std::uint32_t> small_rid(std::int64_t rid) {
  if (rid < 0 || rid >= static_cast<std::int64_t>(no_index)) return std::nullopt;
  return static_cast<std::uint32_t>(rid);
}

}  // namespace

// Tokenises and interns the inserted posts on a thread of its own, in the
// order they were inserted: the order of their row ids, which is the order
// read_store_corpus() interns terms and languages in.
struct CacheFollower::Worker {
  Corpus delta;
  // The id of the post each post reacts to, resolved in finish().
  struct Parent {
    std::uint32_t post, size;
    std::uint64_t offset;
  };
  std::vector<Parent> parents;
  std::string parent_ids;
  Tokens tokens;  // every post's, in the same vectors
  Handoff<Items> handoff{batches_in_flight};
  std::optional<Items> filling;  // the producer's batch
  bool closed = false;           // the producer has handed over its last batch
  std::atomic<bool> abandoned = false;
  std::exception_ptr failure;
  // The posts of the store that wait for a parent (the base's), and whether
  // one of them is among the inserted posts.
  const std::vector<std::pair<std::uint32_t, std::string>>& base_dangling;
  bool base_waits = false;
  std::jthread thread;

  Worker(std::shared_ptr<Vocabulary> vocabulary, std::vector<std::string> languages, std::uint64_t input_bytes,
         const std::vector<std::pair<std::uint32_t, std::string>>& base_dangling_parents)
      : base_dangling(base_dangling_parents) {
    delta.since = INT64_MIN;
    delta.until = INT64_MAX;
    delta.vocabulary = std::move(vocabulary);
    delta.languages = std::move(languages);
    thread = std::jthread([this, input_bytes] { run(input_bytes); });
  }
  ~Worker() {
    abandoned = true;  // not to put in order what nobody will read
    handoff.close();
    if (thread.joinable()) thread.join();
  }

  // Producer: hands over what is filled; the worker ends once it has
  // tokenised it and put the posts in order.
  void close() {
    if (closed) return;
    if (filling && filling->size()) handoff.put_full(std::move(*filling));
    filling.reset();
    handoff.close();
    closed = true;
  }
  // Producer: waits for the worker to end.
  void drain() {
    close();
    if (thread.joinable()) thread.join();
  }

  void run(std::uint64_t input_bytes) {
    try {
      CorpusBuilder builder(delta);
      // Columns that double as they grow hold up to twice their rows, and
      // both copies while they move: 1.7 GB more at ten million posts. No
      // post takes fewer than 32 bytes of input, no word fewer than two, no
      // text more than its input: reserving that much is address space, of
      // which only what is written becomes memory.
      if (input_bytes) {
        const std::size_t rows = input_bytes / 32 + 1;
        delta.posts.reserve(rows);
        delta.post_strings.reserve(rows);
        for (Lists* l : {&delta.mentions, &delta.words, &delta.hashtags}) l->start.reserve(rows + 1);
        delta.words.ids.reserve(input_bytes / 2);
        builder.reserve_strings(input_bytes);
      }
      std::vector<std::uint32_t> words, hashtags;
      while (auto batch = handoff.take_full()) {
        const char* at = batch->bytes.data();
        const std::uint32_t* mentions = batch->mentions.data();
        for (const auto& head : batch->heads) {
          std::array<std::string_view, Items::pieces> piece;
          for (std::size_t k = 0; k < piece.size(); ++k) {
            piece[k] = std::string_view(at, head.size[k]);
            at += head.size[k];
          }
          add(builder, head.row, piece, {mentions, head.mentions}, words, hashtags);
          mentions += head.mentions;
        }
        batch->clear();
        handoff.give_back(std::move(*batch));
      }
      builder.finish();
      if (!abandoned) put_in_order();
    } catch (...) {
      failure = std::current_exception();
      handoff.stop();
    }
  }

  // What of finish()'s work on the inserted posts needs none of the
  // accounts, done here, where it runs while the store commits (an import
  // says when its last record is in: Store::end_of_input()) instead of after:
  // at ten million posts, 2-3 s of finding parents by id and sorting.
  // Authors and mentions are still row ids, which finish() maps to indices.
  void put_in_order() {
    auto& d = delta;
    if (d.posts.empty()) return;
    // The mentions as the loader keeps them: in order, once each, never the
    // author. Indices follow row ids in order, so the order holds once mapped.
    Lists mentions;
    std::vector<std::uint32_t> row;
    for (std::size_t i = 0; i < d.posts.size(); ++i) {
      const auto author = d.posts[i].author;
      row.clear();
      for (const auto m : d.mentions.row(i))
        if (m != author) row.push_back(m);
      std::sort(row.begin(), row.end());
      row.erase(std::unique(row.begin(), row.end()), row.end());
      mentions.ids.append(row.begin(), row.end());
      mentions.push_row();
    }
    d.mentions = std::move(mentions);
    // Parents among the inserted posts; the others wait, as dangling parents.
    const auto post_id = [&](std::uint32_t i) { return d.post_id(i); };
    IdIndex post_index(d.posts.size());
    for (std::uint32_t i = 0; i < d.posts.size(); ++i) post_index.insert(d.post_id(i), i, post_id);
    for (const auto& pa : parents) {
      const std::string_view parent(parent_ids.data() + pa.offset, pa.size);
      if (const auto at = post_index.find(parent, post_id); at != IdIndex::absent)
        d.posts.mut(pa.post).parent = at;
      else
        d.dangling_parents.emplace_back(pa.post, std::string(parent));
    }
    parents = {};
    parent_ids = {};
    // A post of the store waiting for one of these as its parent would
    // change: appending cannot do that.
    for (const auto& [post, id] : base_dangling)
      if (post_index.find(id, post_id) != IdIndex::absent) base_waits = true;
    post_index = IdIndex();
    std::sort(d.dangling_parents.begin(), d.dangling_parents.end());
    if (const auto order = time_order(d); !order.empty()) reorder_posts(d, order);
  }

  void add(CorpusBuilder& builder, const CorpusPost& row, const std::array<std::string_view, Items::pieces>& piece,
           std::span<const std::uint32_t> mentions, std::vector<std::uint32_t>& words,
           std::vector<std::uint32_t>& hashtags) {
    words.clear();
    hashtags.clear();
    if (has_own_words(row.type)) {
      // The hashtags as the store gives them back: joined, then split on spaces.
      tokenize(piece[Items::text], split_spaces(piece[Items::hashtags]), tokens);
      delta.vocabulary->intern_all(tokens.words, words);
      delta.vocabulary->intern_all(tokens.hashtags, hashtags);
    }
    const auto i = builder.add_post(
        row, {piece[Items::id], piece[Items::text], piece[Items::url], piece[Items::language], nullptr}, mentions,
        words, hashtags);
    if (const auto parent = piece[Items::parent]; !parent.empty()) {
      parents.push_back({i, static_cast<std::uint32_t>(parent.size()), parent_ids.size()});
      parent_ids.append(parent);
    }
  }
};

CacheFollower::CacheFollower(Corpus base, ContentVersion version, std::uint64_t input_bytes)
    : base_(std::move(base)), expected_(version), input_bytes_(input_bytes) {}

CacheFollower::~CacheFollower() = default;

void CacheFollower::give_up() {
  following_ = false;
  worker_.reset();
  follows_ = {};
  recounts_ = {};
  new_accounts_ = {};
  new_history_ = {};
}

void CacheFollower::inserted(const Post& p, std::int64_t author, std::span<const std::int64_t> mentions,
                             std::int64_t reply_to_author) {
  if (!following_) return;
  const auto a = small_rid(author), r = small_rid(reply_to_author);
  if (!a || !r) return give_up();
  if (!worker_)
    worker_ = std::make_unique<Worker>(base_.vocabulary, base_.languages, input_bytes_, base_.dangling_parents);
  auto& w = *worker_;
  if (w.closed) return give_up();  // a post after end_of_input(): the worker has put its posts in order
  if (!w.filling) {
    w.filling = w.handoff.take_empty();
    if (!w.filling) return give_up();  // the worker failed
  }
  auto& batch = *w.filling;
  Items::Head head;
  auto& row = head.row;
  row.author = *a;
  row.reply_to_author = *r ? *r : no_index;
  row.created_at = p.created_at;
  row.likes = p.likes;
  row.reposts = p.reposts;
  row.replies = p.replies;
  row.quotes = p.quotes;
  const auto [type, parent] = post_link(p.reply_to, p.repost_of, p.quote_of);
  row.type = type;
  const auto put = [&](Items::Piece k, std::string_view v) {
    head.size[k] = static_cast<std::uint32_t>(v.size());
    batch.bytes.append(v);
  };
  put(Items::id, p.id);
  put(Items::text, p.text);
  put(Items::url, p.url);
  put(Items::language, p.language);
  put(Items::parent, parent);
  // As the store keeps them: joined with spaces.
  const auto tags_from = batch.bytes.size();
  for (std::size_t k = 0; k < p.hashtags.size(); ++k) {
    if (k) batch.bytes.push_back(' ');
    batch.bytes.append(p.hashtags[k]);
  }
  head.size[Items::hashtags] = static_cast<std::uint32_t>(batch.bytes.size() - tags_from);
  for (const auto m : mentions) {
    const auto rid = small_rid(m);
    if (!rid) return give_up();
    batch.mentions.push_back(*rid);
  }
  head.mentions = static_cast<std::uint32_t>(mentions.size());
  batch.heads.push_back(head);
  if (batch.size() == batch_items) {
    w.handoff.put_full(std::move(batch));
    w.filling.reset();
  }
}

void CacheFollower::inserted(std::int64_t followee, std::int64_t follower) {
  if (!following_) return;
  const auto a = small_rid(followee), b = small_rid(follower);
  if (!a || !b) return give_up();
  follows_.emplace_back(*a, *b);
}

void CacheFollower::expect_follows(std::size_t n) {
  // Still by doubling when many small batches come.
  if (following_ && follows_.size() + n > follows_.capacity())
    follows_.reserve(std::max(follows_.size() + n, 2 * follows_.capacity()));
}

void CacheFollower::inserted(const Account& a, std::int64_t rid) {
  if (!following_ || accounts_changed_) return;
  if (new_accounts_.empty()) first_new_rid_ = rid;
  if (rid != first_new_rid_ + static_cast<std::int64_t>(new_accounts_.size())) return account_changed();
  auto& text = *new_text_;
  CorpusAccount c;
  c.id = text.add(a.id);
  c.platform = split_identity(c.id)->platform;
  c.handle = a.handle.empty() ? default_handle(c.id) : text.add(a.handle);
  c.display_name = text.add(a.display_name);
  c.kind = text.add(a.kind);
  c.person = text.add(a.person);
  c.followers = a.followers;
  c.following = a.following;
  c.posts = a.posts;
  const auto at = static_cast<std::uint32_t>(new_accounts_.size());
  new_accounts_.push_back(c);
  // The snapshot the store keeps of a new account.
  if (has_counts(a))
    new_history_.push_back({at, *a.observed_at, a.followers, a.following, a.posts});
}

void CacheFollower::inserted_stub(std::string_view id, std::int64_t rid) {
  if (!following_ || accounts_changed_) return;
  if (new_accounts_.empty()) first_new_rid_ = rid;
  if (rid != first_new_rid_ + static_cast<std::int64_t>(new_accounts_.size())) return account_changed();
  CorpusAccount c;
  c.id = new_text_->add(id);
  c.platform = split_identity(c.id)->platform;
  c.handle = default_handle(c.id);
  c.stub = true;
  new_accounts_.push_back(c);
}

Result<bool> CacheFollower::followed_accounts(sqlite3* db, Corpus& out, std::vector<std::uint32_t>& index_of_rid) {
  if (accounts_changed_) return false;
  // The base's accounts are rows 1 .. n, and the inserted ones follow them,
  // when the largest row id says so: n distinct positive row ids up to n.
  const std::size_t known = base_.accounts.size();
  const std::size_t all = known + new_accounts_.size();
  if (!new_accounts_.empty() && first_new_rid_ != static_cast<std::int64_t>(known) + 1) return false;
  auto last = last_account_rid(db);
  if (!last) return std::unexpected(last.error());
  if (*last != static_cast<std::int64_t>(all)) return false;
  if (known == 0) {
    out.accounts = std::move(new_accounts_);  // a first import: no copy
  } else {
    out.accounts = std::move(base_.accounts);
    out.accounts.insert(out.accounts.end(), new_accounts_.begin(), new_accounts_.end());
  }
  out.counter_history = std::move(base_.counter_history);
  for (auto h : new_history_) {
    h.account += static_cast<std::uint32_t>(known);
    out.counter_history.push_back(h);
  }
  // One arena for the corpus: the new accounts' strings, keeping the base's.
  out.account_text = std::move(new_text_);
  out.account_text->keep(std::move(base_.account_text));
  new_accounts_ = {};
  new_history_ = {};
  index_of_rid.resize(all + 1);
  index_of_rid[0] = no_index;
  for (std::size_t rid = 1; rid <= all; ++rid) index_of_rid[rid] = static_cast<std::uint32_t>(rid - 1);
  return true;
}

void CacheFollower::end_of_input() {
  if (following_ && worker_) worker_->close();
}

void CacheFollower::recounted(const Post& p) {
  if (following_) recounts_.push_back({p.id, p.likes, p.reposts, p.replies, p.quotes});
}

Result<std::optional<Corpus>> CacheFollower::finish(sqlite3* db) {
  const std::optional<Corpus> none;
  if (!following_) return none;
  Corpus* delta = nullptr;
  if (worker_) {
    worker_->drain();
    if (worker_->failure) std::rethrow_exception(worker_->failure);
    if (!worker_->delta.posts.empty()) delta = &worker_->delta;
  }

  // The accounts: the base's and those inserted when that is all the store
  // has, else read again (about a second at a million, and exact whatever
  // the import did to them).
  Corpus accounts;
  std::vector<std::uint32_t> index_of_rid;
  const std::size_t known = base_.accounts.size();
  auto followed = followed_accounts(db, accounts, index_of_rid);
  if (!followed) return std::unexpected(followed.error());
  if (!*followed) {
    if (auto r = read_store_accounts(db, accounts, index_of_rid); !r) return std::unexpected(r.error());
    // Row ids only grow: the accounts the base knows come first, in its
    // order, so that the indices its posts and graph hold still name them.
    if (accounts.accounts.size() < known) return none;
    for (std::size_t i = 0; i < known; ++i)
      if (accounts.accounts[i].id != base_.accounts[i].id) return none;
  }
  const auto index = [&](std::uint32_t rid) { return rid < index_of_rid.size() ? index_of_rid[rid] : no_index; };

  // The follow graph: the base's followers of each account, then the
  // inserted ones, each list in index order (what ORDER BY followee,
  // follower gives, indices following row ids).
  const std::size_t n = accounts.accounts.size();
  Column<std::uint64_t> start;
  Column<std::uint32_t> ids;
  if (!follows_.empty() || base_.has_follow_graph()) {
    std::vector<std::uint64_t> s(n + 1, 0);
    for (std::uint32_t a = 0; a < known; ++a) s[a + 1] = base_.graph_followers(a);
    for (auto& [followee, follower] : follows_) {
      followee = index(followee);
      follower = index(follower);
      if (followee == no_index || follower == no_index) return none;
      ++s[followee + 1];
    }
    for (std::size_t a = 1; a <= n; ++a) s[a] += s[a - 1];
    std::vector<std::uint32_t> f(s[n]);
    std::vector<std::uint64_t> fill(s.begin(), s.end() - 1);
    for (std::uint32_t a = 0; a < known && base_.has_follow_graph(); ++a)
      for (auto k = base_.follower_start[a]; k < base_.follower_start[a + 1]; ++k) f[fill[a]++] = base_.follower_ids[k];
    for (const auto& [followee, follower] : follows_) f[fill[followee]++] = follower;
    follows_ = {};
    for (std::size_t a = 0; a < n; ++a) {
      const auto first = f.begin() + static_cast<std::ptrdiff_t>(s[a]);
      const auto last = f.begin() + static_cast<std::ptrdiff_t>(s[a + 1]);
      if (!std::is_sorted(first, last)) std::sort(first, last);
    }
    if (!f.empty()) {
      start = std::move(s);
      ids = std::move(f);
    }
  }

  Corpus out;
  if (delta) {
    auto& d = *delta;
    const std::size_t known_posts = base_.posts.size();
    // The worker has put the posts in order and found their parents (see
    // Worker::put_in_order); their accounts are still row ids.
    if (worker_->base_waits) return none;
    Lists mentions;
    for (std::size_t i = 0; i < d.posts.size(); ++i) {
      auto& p = d.posts.mut(i);
      p.author = index(p.author);
      if (p.author == no_index) return none;
      if (p.reply_to_author != no_index) p.reply_to_author = index(p.reply_to_author);
      for (const auto m : d.mentions.row(i))
        if (const auto a = index(m); a != no_index) mentions.ids.push_back(a);
      mentions.push_row();
    }
    d.mentions = std::move(mentions);
    if (known_posts) {
      // Appended, the new posts must come after the store's in (created_at, id) order.
      const auto& last = base_.posts[known_posts - 1];
      const auto& first = d.posts[0];
      if (first.created_at < last.created_at ||
          (first.created_at == last.created_at && d.post_id(0) <= base_.post_id(known_posts - 1)))
        return none;
      // Parents within the import move past the store's posts; those the
      // store holds are found by id.
      const auto shift = static_cast<std::uint32_t>(known_posts);
      for (std::size_t i = 0; i < d.posts.size(); ++i)
        if (d.posts[i].parent != no_index) d.posts.mut(i).parent += shift;
      if (!d.dangling_parents.empty()) {
        const auto base_id = [&](std::uint32_t i) { return base_.post_id(i); };
        IdIndex base_index(known_posts);
        for (std::uint32_t i = 0; i < known_posts; ++i) base_index.insert(base_.post_id(i), i, base_id);
        std::erase_if(d.dangling_parents, [&](const std::pair<std::uint32_t, std::string>& x) {
          const auto at = base_index.find(x.second, base_id);
          if (at == IdIndex::absent) return false;
          d.posts.mut(x.first).parent = at;
          return true;
        });
      }
    }
    const auto author_of = [&](std::uint32_t post) {
      return post < known_posts ? base_.posts[post].author : d.posts[post - known_posts].author;
    };
    for (std::size_t i = 0; i < d.posts.size(); ++i) {
      auto& p = d.posts.mut(i);
      p.parent_author = reacted_author(p, p.parent != no_index ? author_of(p.parent) : no_index);
    }
    out = known_posts ? appended(base_, d) : std::move(d);
  } else {
    out = std::move(base_);  // its posts, as views of the cache it was read from
  }
  worker_.reset();
  out.since = INT64_MIN;
  out.until = INT64_MAX;
  out.accounts = std::move(accounts.accounts);
  out.account_text = std::move(accounts.account_text);
  out.counter_history = std::move(accounts.counter_history);
  out.follower_start = std::move(start);
  out.follower_ids = std::move(ids);
  if (!recounts_.empty()) {
    // Found by id among all the posts, the store's and the import's alike
    // (a post may be inserted, then recounted, in one import).
    const auto post_id = [&](std::uint32_t i) { return out.post_id(i); };
    IdIndex index_of(out.posts.size());
    for (std::uint32_t i = 0; i < out.posts.size(); ++i) index_of.insert(out.post_id(i), i, post_id);
    for (const auto& r : recounts_) {
      const auto i = index_of.find(r.id, post_id);
      if (i == IdIndex::absent) return none;
      auto& p = out.posts.mut(i);
      p.likes = r.likes;
      p.reposts = r.reposts;
      p.replies = r.replies;
      p.quotes = r.quotes;
    }
    recounts_ = {};
  }
  if (!check_indices(out).empty()) return none;
  release_mapped_pages(out);  // what the check touched of a cache still mapped
  following_ = false;
  return std::optional<Corpus>(std::move(out));
}

}  // namespace influence::lib
