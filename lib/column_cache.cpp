#include "lib/column_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <random>
#include <type_traits>

namespace influence::lib {
namespace {

// Bump when the layout below, a column's row type (CorpusPost,
// Corpus::Strings) or what tokenize() makes of a text changes: the cached
// words are tokenize()'s output. Version 2 stores the columns as their rows
// lie in memory, 8-byte aligned, so that reading maps them in place; 3 adds
// the dangling parents; 4 puts the accounts after the columns (their number
// first), so that the columns are checked while the accounts are read.
constexpr std::uint32_t format_version = 4;
constexpr char magic[8] = {'I', 'N', 'F', 'L', 'C', 'O', 'L', 'S'};
constexpr std::uint32_t byte_order = 0x01020304;
constexpr std::uint64_t column_alignment = 8;

// Writes the file through a buffer of whole blocks, with O_DIRECT where the
// file system takes it. At ten million posts a cache is 2.6 GB: through the
// page cache, writing it was copying it into page-cache memory the kernel
// had to find first, 6-8 s of a core beside the import's checkpoint, where
// the disk takes it straight from the buffer in 1.4 s. The price is paid
// once by the next command, which reads the file from the disk instead of
// the page cache (at ten million posts, the first rank of bench/run, right
// after the imports, took 3.5-4.1 s against 1.1-1.5 s warm, the disk reading
// the 2.6 GB cache at about 1 GB/s; for an import 6-10 s shorter). The
// buffer is also where small pieces (a string's length, a count) gather: a
// write each, twenty an account, was a fifteenth of an import of a million
// accounts.
class Writer {
 public:
  Writer(int fd, bool direct) : fd_(fd), direct_(direct) {
    void* p = nullptr;
    if (::posix_memalign(&p, block, buffer_size) != 0) {
      ok_ = false;
      errno = ENOMEM;
      return;
    }
    buffer_.reset(static_cast<char*>(p));
  }
  // Whether everything so far went to the file (what is buffered, once finished).
  bool ok() const { return ok_; }
  void bytes(const void* p, std::size_t n) {
    position_ += n;
    // Most pieces are a few bytes (twenty an account) and fit: copied here,
    // inline, and the loop out of line (with the call, the loop around each
    // 8-byte length was 18 % of an accounts import after its commit).
    if (n == 0) return;  // an empty column or string, whose data() may be null
    if (ok_ && n < buffer_size - used_) {
      std::memcpy(buffer_.get() + used_, p, n);
      used_ += n;
      return;
    }
    spill(p, n);
  }
  // Writes what is buffered (padded to whole blocks for O_DIRECT), then
  // cuts the file to the bytes given.
  bool finish() {
    if (ok_ && used_ > 0) {
      const std::size_t n = direct_ ? (used_ + block - 1) / block * block : used_;
      std::memset(buffer_.get() + used_, 0, n - used_);
      write_buffer(n);
    }
    if (ok_ && ::ftruncate(fd_, static_cast<off_t>(position_)) != 0) ok_ = false;
    return ok_;
  }
  // A column as its rows lie in memory, after its length and the padding
  // that aligns it, so that the reader can map it where it is.
  template <typename T>
  void column(const Column<T>& c) {
    static_assert(alignof(T) <= column_alignment);
    pod(static_cast<std::uint64_t>(c.size()));
    static constexpr char zeros[column_alignment] = {};
    bytes(zeros, (column_alignment - position_ % column_alignment) % column_alignment);
    bytes(c.data(), c.size() * sizeof(T));
    if (written_) written_(c.data(), c.size() * sizeof(T));
  }
  // Called with each column once written (to give back mapped pages).
  std::function<void(const void*, std::uint64_t)> written_;
  template <typename T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&v, sizeof v);
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
  [[gnu::noinline]] void spill(const void* p, std::size_t n) {
    const auto* from = static_cast<const char*>(p);
    while (ok_ && n > 0) {
      const std::size_t k = std::min(n, buffer_size - used_);
      std::memcpy(buffer_.get() + used_, from, k);
      used_ += k;
      from += k;
      n -= k;
      if (used_ == buffer_size) write_buffer(buffer_size);
    }
  }

  // O_DIRECT wants the buffer, the length and the file offset in multiples
  // of the device's logical block: 4096 is one for every common device.
  static constexpr std::size_t block = 4096;
  static constexpr std::size_t buffer_size = std::size_t{8} << 20;
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };

  void write_buffer(std::size_t n) {
    std::size_t done = 0;
    while (ok_ && done < n) {
      const auto w = ::write(fd_, buffer_.get() + done, n - done);
      if (w > 0) {
        done += static_cast<std::size_t>(w);
      } else if (w < 0 && errno == EINTR) {
        continue;
      } else if (w < 0 && errno == EINVAL && direct_) {
        // A file system that opens with O_DIRECT but will not write so (or
        // a short write that left the offset out of line): the page cache.
        const int flags = ::fcntl(fd_, F_GETFL);
        direct_ = false;
        if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT) != 0) ok_ = false;
      } else {
        if (w == 0) errno = EIO;
        ok_ = false;
      }
    }
    used_ = 0;
  }

  int fd_;
  bool direct_;
  std::unique_ptr<char, Free> buffer_;
  std::size_t used_ = 0;
  std::uint64_t position_ = 0;
  bool ok_ = true;
};

// Reads a mapped file; columns come out as views of the mapping.
class Reader {
 public:
  Reader(std::shared_ptr<const void> keep, const char* base, std::uint64_t size)
      : keep_(std::move(keep)), base_(base), size_(size) {}
  bool ok() const { return ok_; }
  bool bytes(void* p, std::uint64_t n) {
    if (!ok_ || n > size_ - at_) return ok_ = false;
    if (n) std::memcpy(p, base_ + at_, n);
    at_ += n;
    return true;
  }
  template <typename T>
  T pod() {
    T v{};
    bytes(&v, sizeof v);
    return v;
  }
  // A length that the rest of the file can hold, so a damaged one never
  // makes us allocate or map more than the file.
  std::uint64_t length(std::uint64_t element_size) {
    const auto n = pod<std::uint64_t>();
    if (!ok_ || (element_size && n > (size_ - at_) / element_size)) {
      ok_ = false;
      return 0;
    }
    return n;
  }
  template <typename T>
  Column<T> column() {
    const auto n = pod<std::uint64_t>();
    const auto pad = (column_alignment - at_ % column_alignment) % column_alignment;
    if (!ok_ || pad > size_ - at_ || n > (size_ - at_ - pad) / sizeof(T)) {
      ok_ = false;
      return {};
    }
    at_ += pad;
    const auto* rows = reinterpret_cast<const T*>(base_ + at_);
    at_ += n * sizeof(T);
    return Column<T>::view(keep_, rows, n);
  }
  std::string string() {
    std::string s(length(1), '\0');
    bytes(s.data(), s.size());
    return s;
  }
  // A string left where it lies in the mapping.
  std::string_view string_view() {
    const auto n = length(1);
    if (!ok_) return {};
    std::string_view v(base_ + at_, n);
    at_ += n;
    return v;
  }
  Count count() {
    const auto has = pod<std::uint8_t>();
    const auto v = pod<std::int64_t>();
    if (has > 1) ok_ = false;
    return has ? Count(v) : Count();
  }
  const std::shared_ptr<const void>& keep() const { return keep_; }

 private:
  std::shared_ptr<const void> keep_;
  const char* base_;
  std::uint64_t size_, at_ = 0;
  bool ok_ = true;
};

// The whole file, mapped read-only: its pages are read when touched, and
// are the page cache's own (no copy, no fresh memory to zero).
struct Unmap {
  std::uint64_t size;
  void operator()(const void* q) const { ::munmap(const_cast<void*>(q), size); }
};

std::shared_ptr<const void> map_whole(int fd, std::uint64_t size) {
  if (size == 0) return nullptr;
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) return nullptr;
  return std::shared_ptr<const void>(p, Unmap{size});
}

// Gives back the pages of [p, p + n) that lie in the cache file `c` was
// mapped from: they leave this process's resident memory and stay in the
// page cache, to be read again if touched. Memory of anything else is left
// alone (dropping the pages of an ordinary allocation would zero them).
void drop_pages(const Corpus& c, const void* p, std::uint64_t n) {
  const auto* unmap = std::get_deleter<Unmap>(c.text_owner);
  if (!unmap || n == 0) return;
  const auto base = reinterpret_cast<std::uintptr_t>(c.text_owner.get());
  auto from = reinterpret_cast<std::uintptr_t>(p), to = from + n;
  if (from < base || to > base + unmap->size) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  from = (from + page - 1) / page * page;
  to = to / page * page;
  if (from < to) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
}

void put_lists(Writer& w, const Lists& l) {
  w.column(l.start);
  w.column(l.ids);
}

void get_lists(Reader& r, Lists& l) {
  l.start = r.column<std::uint64_t>();
  l.ids = r.column<std::uint32_t>();
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
  struct Close {
    int fd;
    ~Close() {
      if (fd >= 0) ::close(fd);
    }
  } closing{fd};
  auto failed = [&](const char* what) {
    const int e = errno;
    if (named) std::remove(temp.c_str());
    return fail(ErrorKind::io, std::string("cannot ") + what + " the column cache " + path + ": " + std::strerror(e));
  };
  // Past the page cache where the file system allows it (see Writer).
  const int flags = ::fcntl(fd, F_GETFL);
  const bool direct = flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_DIRECT) == 0;
  Writer w(fd, direct);
  if (!w.ok()) return failed("write");
  w.bytes(magic, sizeof magic);
  w.pod(format_version);
  w.pod(byte_order);
  w.string(utf8proc_version());
  w.pod(version.store_id);
  w.pod(version.generation);

  w.pod(static_cast<std::uint64_t>(c.accounts.size()));
  // A corpus whose columns are views of an older cache (an import that
  // changed only accounts or follows) would otherwise end with all of that
  // file in this process's resident memory.
  w.written_ = [&c](const void* p, std::uint64_t n) { drop_pages(c, p, n); };
  w.column(c.posts);
  w.column(c.post_strings);
  w.string(c.text_blob);
  drop_pages(c, c.text_blob.data(), c.text_blob.size());
  put_lists(w, c.mentions);
  put_lists(w, c.words);
  put_lists(w, c.hashtags);
  w.pod(static_cast<std::uint64_t>(c.vocabulary->terms.size()));
  for (const auto& t : c.vocabulary->terms) w.string(t);
  w.pod(static_cast<std::uint64_t>(c.languages.size()));
  for (const auto& l : c.languages) w.string(l);
  w.column(c.follower_start);
  w.column(c.follower_ids);
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
  w.pod(static_cast<std::uint64_t>(c.dangling_parents.size()));
  for (const auto& [post, id] : c.dangling_parents) {
    w.pod(post);
    w.string(id);
  }
  w.bytes(magic, sizeof magic);  // a trailer: the file was written to its end
  if (!w.finish()) return failed("write");
  if (::fdatasync(fd) != 0) return failed("sync");
  if (unnamed) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) != 0) return failed("name");
    named = true;
  }
  closing.fd = -1;
  if (::close(fd) != 0) return failed("write");
  if (std::rename(temp.c_str(), path.c_str()) != 0) return failed("rename");
  return {};
}

void release_mapped_pages(const Corpus& c) {
  if (const auto* unmap = std::get_deleter<Unmap>(c.text_owner)) drop_pages(c, c.text_owner.get(), unmap->size);
}

std::optional<Corpus> read_column_cache(const std::string& path, ContentVersion version) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  const bool sized = ::fstat(fd, &st) == 0 && st.st_size > 0;
  // The mapping outlives the descriptor.
  auto mapping = sized ? map_whole(fd, static_cast<std::uint64_t>(st.st_size)) : nullptr;
  ::close(fd);
  if (!mapping) return std::nullopt;
  Reader r(mapping, static_cast<const char*>(mapping.get()), static_cast<std::uint64_t>(st.st_size));
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
  // An account takes at least 76 bytes (six lengths, three counts, a byte).
  const auto accounts = r.length(76);
  // The columns stay in the mapping: check_columns() reads every row that
  // scoring will trust.
  c.posts = r.column<CorpusPost>();
  c.post_strings = r.column<Corpus::Strings>();
  c.text_blob = r.string_view();
  c.text_owner = r.keep();
  c.account_text->keep(r.keep());  // the accounts' strings stay in the mapping too
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
  c.follower_start = r.column<std::uint64_t>();
  c.follower_ids = r.column<std::uint32_t>();
  if (!r.ok()) return std::nullopt;
  // Reading every row of the columns is bound by memory; parsing a million
  // accounts into strings by the processor: the columns are checked on
  // other threads (two: see check_columns()) while this one reads the
  // accounts. The check reads no member of `c` written below; an early
  // return waits for it (the future of std::async joins as it goes, before
  // `c`).
  auto columns = std::async(std::launch::async, [&c, accounts] { return check_columns(c, accounts, true); });
  c.accounts.resize(accounts);
  for (auto& a : c.accounts) {
    for (auto* s : {&a.id, &a.platform, &a.handle, &a.display_name, &a.kind, &a.person}) *s = r.string_view();
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
  c.dangling_parents.resize(r.length(12));
  for (auto& [post, id] : c.dangling_parents) {
    post = r.pod<std::uint32_t>();
    id = r.string();
  }
  char trailer[8] = {};
  r.bytes(trailer, sizeof trailer);
  if (!r.ok() || std::memcmp(trailer, magic, sizeof trailer) != 0) return std::nullopt;
  if (!columns.get().empty() || !check_rows(c).empty()) return std::nullopt;
  return c;
}

}  // namespace influence::lib
