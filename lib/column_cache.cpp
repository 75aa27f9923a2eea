#include "lib/column_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <type_traits>

namespace influence::lib {
namespace {

// Bump when the layout below or what tokenize() makes of a text changes:
// the cached words are tokenize()'s output.
constexpr std::uint32_t format_version = 1;
constexpr char magic[8] = {'I', 'N', 'F', 'L', 'C', 'O', 'L', 'S'};
constexpr std::uint32_t byte_order = 0x01020304;

// A post as stored: fixed width, no padding left undefined, flags for the
// optional counters (a raw CorpusPost would carry its padding and bool bytes).
struct PackedPost {
  std::uint32_t author, parent, parent_author, reply_to_author;
  std::int64_t created_at;
  std::int64_t counts[4];  // likes, reposts, replies, quotes
  std::uint8_t type, flags, pad[2];
  std::uint16_t language, pad2;
  std::uint32_t pad3;
};
static_assert(sizeof(PackedPost) == 72 && std::is_trivially_copyable_v<PackedPost>);

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f) {}
  bool ok() const { return ok_; }
  void bytes(const void* p, std::size_t n) {
    if (ok_ && n && std::fwrite(p, 1, n, f_) != n) ok_ = false;
  }
  template <typename T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&v, sizeof v);
  }
  template <typename T>
  void array(const std::vector<T>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    bytes(v.data(), v.size() * sizeof(T));
  }
  void string(std::string_view s) {
    pod(static_cast<std::uint64_t>(s.size()));
    bytes(s.data(), s.size());
  }
  void count(const Count& c) {
    pod(static_cast<std::uint8_t>(c.has_value()));
    pod(c.value_or(0));
  }

 private:
  std::FILE* f_;
  bool ok_ = true;
};

class Reader {
 public:
  Reader(std::FILE* f, std::uint64_t size) : f_(f), size_(size), left_(size) {}
  bool ok() const { return ok_; }
  std::uint64_t position() const { return size_ - left_; }
  bool skip(std::uint64_t n) {
    if (!ok_ || n > left_ || std::fseek(f_, static_cast<long>(position() + n), SEEK_SET) != 0) return ok_ = false;
    left_ -= n;
    return true;
  }
  bool bytes(void* p, std::uint64_t n) {
    if (!ok_ || n > left_ || (n && std::fread(p, 1, n, f_) != n)) return ok_ = false;
    left_ -= n;
    return true;
  }
  template <typename T>
  T pod() {
    T v{};
    bytes(&v, sizeof v);
    return v;
  }
  // A length that the rest of the file can hold, so a damaged one never
  // makes us allocate more than the file.
  std::uint64_t length(std::uint64_t element_size) {
    const auto n = pod<std::uint64_t>();
    if (!ok_ || (element_size && n > left_ / element_size)) {
      ok_ = false;
      return 0;
    }
    return n;
  }
  template <typename T>
  void array(std::vector<T>& v) {
    v.resize(length(sizeof(T)));
    bytes(v.data(), v.size() * sizeof(T));
  }
  std::string string() {
    std::string s(length(1), '\0');
    bytes(s.data(), s.size());
    return s;
  }
  Count count() {
    const auto has = pod<std::uint8_t>();
    const auto v = pod<std::int64_t>();
    if (has > 1) ok_ = false;
    return has ? Count(v) : Count();
  }

 private:
  std::FILE* f_;
  std::uint64_t size_, left_;
  bool ok_ = true;
};

// A read-only mapping of part of a file; the pages are read when touched.
std::shared_ptr<const void> map_file(int fd, std::uint64_t offset, std::uint64_t size, std::string_view& view) {
  static const std::uint64_t page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  const std::uint64_t start = offset / page * page, length = size + (offset - start);
  if (size == 0) {
    view = {};
    return nullptr;
  }
  void* p = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(start));
  if (p == MAP_FAILED) return nullptr;
  view = std::string_view(static_cast<const char*>(p) + (offset - start), size);
  return std::shared_ptr<const void>(p, [length](const void* q) { ::munmap(const_cast<void*>(q), length); });
}

void put_lists(Writer& w, const Lists& l) {
  w.array(l.start);
  w.array(l.ids);
}

void get_lists(Reader& r, Lists& l) {
  r.array(l.start);
  r.array(l.ids);
}

}  // namespace

std::string column_cache_path(const std::string& store_path) {
  if (store_path.empty() || store_path == ":memory:") return {};
  return store_path + ".columns";
}

Result<void> write_column_cache(const std::string& path, ContentVersion version, const Corpus& c,
                                 unsigned permissions) {
  // The file is written unnamed (O_TMPFILE) and named only once whole, so a
  // crash or a kill while writing leaves nothing behind; a file system
  // without O_TMPFILE gets a named temporary file instead.
  std::random_device rd;
  const std::string temp = path + ".tmp" + std::to_string(rd());
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const auto mode = static_cast<mode_t>(permissions & 0666u);
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  const bool unnamed = fd >= 0;
  if (!unnamed) fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return fail(ErrorKind::io, "cannot create the column cache " + temp + ": " + std::strerror(errno));
  bool named = !unnamed;
  auto failed = [&](const char* what) {
    const int e = errno;
    if (named) std::remove(temp.c_str());
    return fail(ErrorKind::io, std::string("cannot ") + what + " the column cache " + path + ": " + std::strerror(e));
  };
  File f(::fdopen(fd, "wb"));
  if (!f) {
    ::close(fd);
    return failed("write");
  }
  std::setvbuf(f.get(), nullptr, _IOFBF, 1 << 20);
  Writer w(f.get());
  w.bytes(magic, sizeof magic);
  w.pod(format_version);
  w.pod(byte_order);
  w.string(utf8proc_version());
  w.pod(version.store_id);
  w.pod(version.generation);

  w.pod(static_cast<std::uint64_t>(c.accounts.size()));
  for (const auto& a : c.accounts) {
    for (const auto* s : {&a.id, &a.platform, &a.handle, &a.display_name, &a.kind, &a.person}) w.string(*s);
    w.count(a.followers);
    w.count(a.following);
    w.count(a.posts);
    w.pod(static_cast<std::uint8_t>(a.stub));
  }
  w.pod(static_cast<std::uint64_t>(c.counter_history.size()));
  for (const auto& s : c.counter_history) {
    w.pod(s.account);
    w.pod(s.observed_at);
    w.count(s.followers);
    w.count(s.following);
    w.count(s.posts);
  }
  w.pod(static_cast<std::uint64_t>(c.posts.size()));
  std::vector<PackedPost> chunk;
  chunk.reserve(1 << 16);
  for (std::size_t i = 0; i < c.posts.size(); ++i) {
    const auto& p = c.posts[i];
    PackedPost q{};
    q.author = p.author;
    q.parent = p.parent;
    q.parent_author = p.parent_author;
    q.reply_to_author = p.reply_to_author;
    q.created_at = p.created_at;
    const SmallCount* counts[4] = {&p.likes, &p.reposts, &p.replies, &p.quotes};
    for (int k = 0; k < 4; ++k) {
      q.counts[k] = counts[k]->value_or(0);
      if (counts[k]->has_value()) q.flags = static_cast<std::uint8_t>(q.flags | (1u << k));
    }
    if (p.in_window) q.flags = static_cast<std::uint8_t>(q.flags | 0x10u);
    q.type = static_cast<std::uint8_t>(p.type);
    q.language = p.language;
    chunk.push_back(q);
    if (chunk.size() == chunk.capacity() || i + 1 == c.posts.size()) {
      w.bytes(chunk.data(), chunk.size() * sizeof(PackedPost));
      chunk.clear();
    }
  }
  std::vector<std::uint64_t> strings;  // offset, then the three sizes packed
  strings.reserve(2 * c.post_strings.size());
  for (const auto& s : c.post_strings) {
    strings.push_back(s.offset);
    strings.push_back(std::uint64_t{s.id_size} | (std::uint64_t{s.text_size} << 32));
    strings.push_back(s.url_size);
  }
  w.array(strings);
  w.string(c.text_blob);
  put_lists(w, c.mentions);
  put_lists(w, c.words);
  put_lists(w, c.hashtags);
  w.pod(static_cast<std::uint64_t>(c.vocabulary->terms.size()));
  for (const auto& t : c.vocabulary->terms) w.string(t);
  w.pod(static_cast<std::uint64_t>(c.languages.size()));
  for (const auto& l : c.languages) w.string(l);
  w.array(c.follower_start);
  w.array(c.follower_ids);
  w.bytes(magic, sizeof magic);  // a trailer: the file was written to its end
  if (!w.ok() || std::fflush(f.get()) != 0) return failed("write");
  if (::fdatasync(::fileno(f.get())) != 0) return failed("sync");
  if (unnamed) {
    const std::string self = "/proc/self/fd/" + std::to_string(::fileno(f.get()));
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) != 0) return failed("name");
    named = true;
  }
  if (std::fclose(f.release()) != 0) return failed("write");
  if (std::rename(temp.c_str(), path.c_str()) != 0) return failed("rename");
  return {};
}

std::optional<Corpus> read_column_cache(const std::string& path, ContentVersion version) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return std::nullopt;
  struct stat st {};
  if (::fstat(::fileno(f.get()), &st) != 0) return std::nullopt;
  std::setvbuf(f.get(), nullptr, _IOFBF, 1 << 20);
  Reader r(f.get(), static_cast<std::uint64_t>(st.st_size));
  char m[8] = {};
  r.bytes(m, sizeof m);
  if (!r.ok() || std::memcmp(m, magic, sizeof m) != 0) return std::nullopt;
  if (r.pod<std::uint32_t>() != format_version || r.pod<std::uint32_t>() != byte_order) return std::nullopt;
  if (r.string() != utf8proc_version()) return std::nullopt;
  ContentVersion v;
  v.store_id = r.pod<std::int64_t>();
  v.generation = r.pod<std::int64_t>();
  if (!r.ok() || !(v == version)) return std::nullopt;

  Corpus c;
  c.since = INT64_MIN;
  c.until = INT64_MAX;
  c.accounts.resize(r.length(40));
  for (auto& a : c.accounts) {
    for (auto* s : {&a.id, &a.platform, &a.handle, &a.display_name, &a.kind, &a.person}) *s = r.string();
    a.followers = r.count();
    a.following = r.count();
    a.posts = r.count();
    const auto stub = r.pod<std::uint8_t>();
    if (stub > 1) return std::nullopt;
    a.stub = stub != 0;
    if (!r.ok()) return std::nullopt;
  }
  c.counter_history.resize(r.length(39));
  for (auto& s : c.counter_history) {
    s.account = r.pod<std::uint32_t>();
    s.observed_at = r.pod<std::int64_t>();
    s.followers = r.count();
    s.following = r.count();
    s.posts = r.count();
  }
  c.posts.resize(r.length(sizeof(PackedPost)));
  std::vector<PackedPost> chunk(1 << 16);
  for (std::size_t i = 0; i < c.posts.size() && r.ok();) {
    const std::size_t n = std::min(chunk.size(), c.posts.size() - i);
    if (!r.bytes(chunk.data(), n * sizeof(PackedPost))) break;
    for (std::size_t k = 0; k < n; ++k, ++i) {
      const auto& q = chunk[k];
      auto& p = c.posts[i];
      p.author = q.author;
      p.parent = q.parent;
      p.parent_author = q.parent_author;
      p.reply_to_author = q.reply_to_author;
      p.created_at = q.created_at;
      SmallCount* counts[4] = {&p.likes, &p.reposts, &p.replies, &p.quotes};
      for (int j = 0; j < 4; ++j)
        if (q.flags & (1u << j)) *counts[j] = q.counts[j];
      p.in_window = (q.flags & 0x10u) != 0;
      if (q.type > static_cast<std::uint8_t>(PostType::repost)) return std::nullopt;
      p.type = static_cast<PostType>(q.type);
      p.language = q.language;
    }
  }
  std::vector<std::uint64_t> strings;
  r.array(strings);
  if (!r.ok() || strings.size() != 3 * c.posts.size()) return std::nullopt;
  c.post_strings.resize(c.posts.size());
  for (std::size_t i = 0; i < c.posts.size(); ++i) {
    auto& s = c.post_strings[i];
    s.offset = strings[3 * i];
    s.id_size = static_cast<std::uint32_t>(strings[3 * i + 1]);
    s.text_size = static_cast<std::uint32_t>(strings[3 * i + 1] >> 32);
    if (strings[3 * i + 2] > UINT32_MAX) return std::nullopt;
    s.url_size = static_cast<std::uint32_t>(strings[3 * i + 2]);
  }
  {
    // The texts are mapped, not read: only explanations look at them.
    const auto size = r.length(1);
    const auto at = r.position();
    if (!r.skip(size)) return std::nullopt;
    c.text_owner = map_file(::fileno(f.get()), at, size, c.text_blob);
    if (size && !c.text_owner) return std::nullopt;
  }
  get_lists(r, c.mentions);
  get_lists(r, c.words);
  get_lists(r, c.hashtags);
  {
    auto vocabulary = std::make_shared<Vocabulary>();
    vocabulary->terms.resize(r.length(8));
    for (auto& t : vocabulary->terms) t = r.string();
    c.vocabulary = std::move(vocabulary);
  }
  c.languages.resize(r.length(8));
  for (auto& l : c.languages) l = r.string();
  r.array(c.follower_start);
  r.array(c.follower_ids);
  char trailer[8] = {};
  r.bytes(trailer, sizeof trailer);
  if (!r.ok() || std::memcmp(trailer, magic, sizeof trailer) != 0) return std::nullopt;
  if (!check_indices(c).empty()) return std::nullopt;
  // select() finds a window by binary search in the whole store's time order.
  for (std::size_t i = 1; i < c.posts.size(); ++i)
    if (c.posts[i - 1].created_at > c.posts[i].created_at) return std::nullopt;
  return c;
}

}  // namespace influence::lib
