// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks;
// CRLF and a leading BOM are accepted; rows must have as many fields as the header.
#include <set>

#include "lib/record_reader.hpp"
#include "lib/utf8.hpp"

namespace influence::lib {
namespace {

class CsvReader final : public RecordReader {
 public:
  explicit CsvReader(std::unique_ptr<LineSource> src) : src_(std::move(src)) {}

  Result<void> read_header() {
    std::string line;
    while (src_->next(line)) {
      if (line.empty()) continue;
      header_line_ = line;
      std::vector<std::string> cells;
      bool unterminated = false;
      split(line, cells, unterminated);
      if (unterminated)
        return fail_at(src_->name(), src_->line_number(), {}, "unterminated quote in the header");
      std::set<std::string> seen;
      for (auto& c : cells) {
        if (c.empty())
          return fail_at(src_->name(), src_->line_number(), {}, "empty column name in the header");
        if (!seen.insert(c).second)
          return fail_at(src_->name(), src_->line_number(), c, "column appears twice in the header");
      }
      header_ = std::move(cells);
      return {};
    }
    return {};  // empty input: no header, no records
  }

  Result<bool> next(RawRecord& out) override {
    if (header_.empty()) return false;
    std::string line;
    do {
      if (!src_->next(line)) return false;
    } while (line.empty());
    const std::size_t start_line = src_->line_number();
    std::string record = line;
    std::vector<std::string> cells;
    bool unterminated = false;
    split(record, cells, unterminated);
    // A quoted field may run over several lines: keep reading until it closes.
    while (unterminated) {
      if (!src_->next(line)) {
        out.verbatim = record;
        return fail_at(src_->name(), start_line, {},
                       "unterminated quoted field (a '\"' opens a field that never closes)");
      }
      record += '\n';
      record += line;
      cells.clear();
      split(record, cells, unterminated);
    }
    out.verbatim = record;
    out.line = start_line;
    out.kind.reset();
    out.fields.clear();
    if (stray_quote_) {
      const std::size_t col = stray_quote_col_;
      return fail_at(src_->name(), start_line, col < header_.size() ? header_[col] : "",
                     "stray '\"' inside an unquoted field (quote the whole field and double inner quotes)");
    }
    if (cells.size() != header_.size())
      return fail_at(src_->name(), start_line, {},
                     "expected " + std::to_string(header_.size()) + " fields as in the header, found " +
                         std::to_string(cells.size()));
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (const auto bad = find_invalid_utf8(cells[i]); bad != std::string::npos)
        return fail_at(src_->name(), start_line, header_[i],
                       "invalid UTF-8 at byte " + std::to_string(bad + 1));
      RawField f;
      f.name = header_[i];
      if (!cells[i].empty()) {
        f.type = RawField::Type::string;
        f.text = std::move(cells[i]);
      }
      out.fields.push_back(std::move(f));
    }
    return true;
  }

  std::string rejects_header() const override { return header_line_ + "\n"; }
  std::vector<std::string> first_field_names() override { return header_; }
  const LineSource& source() const override { return *src_; }

 private:
  // Splits one (possibly multi-line) record; `unterminated` when a quoted
  // field is still open at the end of `text`.
  void split(const std::string& text, std::vector<std::string>& cells, bool& unterminated) {
    stray_quote_ = false;
    std::string cell;
    bool quoted = false, in_quotes = false, after_quote = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            cell += '"';
            ++i;
          } else {
            in_quotes = false;
            after_quote = true;
          }
        } else {
          cell += c;
        }
      } else if (c == ',') {
        cells.push_back(std::move(cell));
        cell.clear();
        quoted = after_quote = false;
      } else if (c == '"' && cell.empty() && !quoted) {
        quoted = in_quotes = true;
      } else {
        if (c == '"' || after_quote) {
          if (!stray_quote_) stray_quote_col_ = cells.size();
          stray_quote_ = true;
        }
        cell += c;
      }
    }
    unterminated = in_quotes;
    cells.push_back(std::move(cell));
  }

  std::unique_ptr<LineSource> src_;
  std::vector<std::string> header_;
  std::string header_line_;
  bool stray_quote_ = false;
  std::size_t stray_quote_col_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> make_csv_reader(std::unique_ptr<LineSource> src) {
  auto reader = std::make_unique<CsvReader>(std::move(src));
  if (auto ok = reader->read_header(); !ok) return std::unexpected(ok.error());
  return reader;
}

}  // namespace influence::lib
