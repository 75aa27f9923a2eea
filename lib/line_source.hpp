#pragma once
// Buffered line reading from a file or stdin, with line numbers, so that large
// imports stream instead of loading whole files.
#include <cstdio>
#include <memory>
#include <string>

#include "lib/error.hpp"

namespace influence::lib {

class LineSource {
 public:
  // "-" means standard input. `display_name` is what errors call the input.
  static Result<std::unique_ptr<LineSource>> open(const std::string& path);
  static std::unique_ptr<LineSource> from_string(std::string text, std::string display_name);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // Next line without its LF (a CR before it is dropped too); false at end of
  // input. A UTF-8 byte-order mark at the start of the input is skipped.
  bool next(std::string& line);
  // 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_no_; }
  const std::string& name() const { return name_; }
  // Bytes consumed so far and total size when known (0 for pipes): for progress.
  std::uint64_t bytes_read() const { return consumed_; }
  std::uint64_t size_hint() const { return size_; }
  // The first non-blank bytes of the input, without consuming them (format sniffing).
  std::string_view peek(std::size_t at_most);
  bool read_error() const { return error_; }

 private:
  LineSource() = default;
  bool fill();

  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  bool eof_ = false;
  bool error_ = false;
  bool started_ = false;
  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t line_no_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t size_ = 0;
  std::string name_;
};

}  // namespace influence::lib
