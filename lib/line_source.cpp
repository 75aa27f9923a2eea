#include "lib/line_source.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace influence::lib {

Result<std::unique_ptr<LineSource>> LineSource::open(const std::string& path) {
  std::unique_ptr<LineSource> src(new LineSource());
  if (path == "-") {
    src->file_ = stdin;
    src->name_ = "<stdin>";
  } else {
    src->file_ = std::fopen(path.c_str(), "rb");
    if (!src->file_)
      return std::unexpected(Error{ErrorKind::io, std::strerror(errno), path, 0, {}});
    src->owns_file_ = true;
    src->name_ = path;
    struct stat st {};
    if (::fstat(::fileno(src->file_), &st) == 0 && S_ISREG(st.st_mode))
      src->size_ = static_cast<std::uint64_t>(st.st_size);
    else if (::fstat(::fileno(src->file_), &st) == 0 && S_ISDIR(st.st_mode))
      return std::unexpected(Error{ErrorKind::io, "is a directory", path, 0, {}});
  }
  return src;
}

std::unique_ptr<LineSource> LineSource::from_string(std::string text, std::string display_name) {
  std::unique_ptr<LineSource> src(new LineSource());
  src->buf_ = std::move(text);
  src->eof_ = true;
  src->size_ = src->buf_.size();
  src->name_ = std::move(display_name);
  return src;
}

LineSource::~LineSource() {
  if (owns_file_ && file_) std::fclose(file_);
}

bool LineSource::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  constexpr std::size_t chunk = 1 << 16;
  const std::size_t old = buf_.size();
  buf_.resize(old + chunk);
  const std::size_t got = std::fread(buf_.data() + old, 1, chunk, file_);
  buf_.resize(old + got);
  if (got < chunk) {
    if (std::ferror(file_)) error_ = true;
    eof_ = true;
  }
  return got > 0;
}

std::string_view LineSource::peek(std::size_t at_most) {
  while (buf_.size() - pos_ < at_most && fill()) {
  }
  std::string_view view(buf_.data() + pos_, buf_.size() - pos_);
  if (!started_ && view.starts_with("\xEF\xBB\xBF")) view.remove_prefix(3);
  while (!view.empty() && (view.front() == ' ' || view.front() == '\n' || view.front() == '\r' ||
                           view.front() == '\t'))
    view.remove_prefix(1);
  return view.substr(0, at_most);
}

bool LineSource::next(std::string& line) {
  if (!started_) {
    started_ = true;
    while (buf_.size() - pos_ < 3 && fill()) {
    }
    if (std::string_view(buf_).substr(pos_).starts_with("\xEF\xBB\xBF")) {
      pos_ += 3;
      consumed_ += 3;
    }
  }
  std::size_t scan_from = pos_;
  for (;;) {
    const auto nl = buf_.find('\n', scan_from);
    if (nl != std::string::npos) {
      std::size_t end = nl;
      if (end > pos_ && buf_[end - 1] == '\r') --end;
      line.assign(buf_, pos_, end - pos_);
      consumed_ += nl + 1 - pos_;
      pos_ = nl + 1;
      ++line_no_;
      return true;
    }
    scan_from = buf_.size();
    const std::size_t offset = scan_from - pos_;
    if (!fill()) break;
    scan_from = pos_ + offset;
  }
  if (pos_ < buf_.size()) {  // last line without a final LF
    std::size_t end = buf_.size();
    if (buf_[end - 1] == '\r') --end;
    line.assign(buf_, pos_, end - pos_);
    consumed_ += buf_.size() - pos_;
    pos_ = buf_.size();
    ++line_no_;
    return true;
  }
  return false;
}

}  // namespace influence::lib
