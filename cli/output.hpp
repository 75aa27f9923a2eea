#pragma once
// Output: tables in the formats users pipe (csv, tsv, json, jsonl, markdown)
// or read (an aligned table on a terminal), written to stdout or atomically
// to a file.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/error.hpp"

namespace influence::cli {

enum class Format { table, csv, tsv, json, jsonl, markdown };
std::optional<Format> parse_format(std::string_view text);
inline constexpr const char* format_names = "table|csv|tsv|json|jsonl|markdown";

struct Column {
  std::string name;
  bool numeric = false;  // right-aligned in tables, unquoted in JSON
};

struct Cell {
  enum class Kind { string, number, null };
  std::string text;
  Kind kind = Kind::string;
  static Cell str(std::string s) { return {std::move(s), Kind::string}; }
  static Cell str(std::string_view s) { return {std::string(s), Kind::string}; }
  static Cell str(const char* s) { return {s, Kind::string}; }
  static Cell num(std::string s) { return {std::move(s), Kind::number}; }
  static Cell null() { return {{}, Kind::null}; }
};

// Where output goes: stdout, or a temporary file beside the target that
// commit() fsyncs and renames over it. Without commit() the target is untouched.
class Sink {
 public:
  static lib::Result<std::unique_ptr<Sink>> open(const std::string& path);  // "" or "-": stdout
  ~Sink();
  std::FILE* file() const { return file_; }
  bool is_stdout() const { return temp_.empty(); }
  bool is_terminal() const;
  void write(std::string_view s) { std::fwrite(s.data(), 1, s.size(), file_); }
  lib::Result<void> commit();

 private:
  std::FILE* file_ = nullptr;
  std::string target_, temp_;
  bool committed_ = false;
};

struct WriterOptions {
  Format format = Format::csv;
  bool header = true;
  bool color = false;  // bold headers in terminal tables
  bool neutralise_formulas = true;  // CSV/TSV string cells that a spreadsheet would run
};

class RowWriter {
 public:
  virtual ~RowWriter() = default;
  virtual void begin(const std::vector<Column>& columns) = 0;
  virtual void row(const std::vector<Cell>& cells) = 0;
  virtual void end() = 0;
};

std::unique_ptr<RowWriter> make_writer(Sink& sink, const WriterOptions& options);

// RFC 4180: quoted only when holding a comma, quote, CR or LF.
std::string csv_field(std::string_view s);
// Miller's TSV: tab, newline, CR and backslash escaped.
std::string tsv_field(std::string_view s);
// A cell a spreadsheet would take for a formula (= + - at the start, tab or
// CR, or @ with a call such as @SUM(...)) gets a leading apostrophe. Plain
// handles like @alice@example.org are left alone.
std::string neutralise_formula(std::string_view s);
// Control characters (terminal escapes among them) replaced, for terminal output.
std::string printable(std::string_view s);

// The format to use when none was asked for: a table on a terminal, CSV
// otherwise; for -o FILE, from the file's extension.
Format default_format(const std::string& output_path, bool stdout_is_terminal);

}  // namespace influence::cli
