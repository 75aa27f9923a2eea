// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks;
// CRLF and a leading BOM are accepted; rows must have as many fields as the header.
#include <atomic>
#include <cstring>
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
      bool unterminated = false;
      std::vector<std::string> cells(cells_.begin(), cells_.begin() + static_cast<std::ptrdiff_t>(split(line, unterminated)));
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

  // The record's bytes go straight into out.verbatim, and its cells and
  // fields reuse the strings of the records before: a reader's caller hands
  // the same few records back, so a row costs no allocation once they have
  // grown (the allocations were most of the reading).
  Result<bool> next(RawRecord& out) override {
    if (header_.empty()) return false;
    std::string& record = out.verbatim;
    do {
      if (!src_->next(record)) return false;
    } while (record.empty());
    const std::size_t start_line = src_->line_number();
    bool unterminated = false;
    std::size_t cells = split(record, unterminated);
    // A quoted field may run over several lines: keep reading until it closes.
    while (unterminated) {
      if (!src_->next(line_))
        return fail_at(src_->name(), start_line, {},
                       "unterminated quoted field (a '\"' opens a field that never closes)");
      record += '\n';
      record += line_;
      cells = split(record, unterminated);
    }
    out.line = start_line;
    out.kind.reset();
    if (stray_quote_) {
      out.fields.clear();
      const std::size_t col = stray_quote_col_;
      return fail_at(src_->name(), start_line, col < header_.size() ? header_[col] : "",
                     "stray '\"' inside an unquoted field (quote the whole field and double inner quotes)");
    }
    if (cells != header_.size()) {
      out.fields.clear();
      return fail_at(src_->name(), start_line, {},
                     "expected " + std::to_string(header_.size()) + " fields as in the header, found " +
                         std::to_string(cells));
    }
    // Named already when this reader filled the record last: comparing
    // each name to the header's was 6 % of the instructions of reading a
    // post.
    const bool named = out.named_by == id_ && out.fields.size() == cells;
    out.named_by = 0;
    out.fields.resize(cells);
    for (std::size_t i = 0; i < cells; ++i) {
      if (const auto bad = find_invalid_utf8(cells_[i]); bad != std::string::npos) {
        out.fields.clear();
        return fail_at(src_->name(), start_line, header_[i], "invalid UTF-8 at byte " + std::to_string(bad + 1));
      }
      RawField& f = out.fields[i];
      if (!named) f.name = header_[i];
      f.items.clear();
      f.type = cells_[i].empty() ? RawField::Type::null : RawField::Type::string;
      f.text.swap(cells_[i]);  // the field's old text is the next cell's buffer
    }
    out.named_by = id_;
    return true;
  }

  std::string rejects_header() const override { return header_line_ + "\n"; }
  std::vector<std::string> first_field_names() override { return header_; }
  const LineSource& source() const override { return *src_; }

 private:
  // Splits one (possibly multi-line) record into the first cells of cells_
  // and says how many; `unterminated` when a quoted field is still open at
  // the end of `text`. Runs of plain bytes are copied at once.
  std::size_t split(const std::string& text, bool& unterminated) {
    stray_quote_ = false;
    std::size_t n = 0;
    const auto cell = [&]() -> std::string& {
      if (n == cells_.size()) cells_.emplace_back();
      cells_[n].clear();
      return cells_[n];
    };
    std::string* c = &cell();
    bool quoted = false, in_quotes = false, after_quote = false;
    const char* p = text.data();
    const char* const end = p + text.size();
    // The first '"' at or after p (end: none), looked for with memchr once
    // for all the plain cells before it: most records have none, and a
    // loop testing each byte for both ',' and '"' was a tenth of a posts
    // import's reading thread.
    const char* next_quote = nullptr;
    const auto quote_from = [&](const char* from) {
      if (!next_quote || next_quote < from) {
        const void* q = std::memchr(from, '"', static_cast<std::size_t>(end - from));
        next_quote = q ? static_cast<const char*>(q) : end;
      }
      return next_quote;
    };
    while (p < end) {
      if (in_quotes) {
        const auto* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
        if (!q) {
          c->append(p, end);
          break;
        }
        c->append(p, q);
        if (q + 1 < end && q[1] == '"') {
          c->push_back('"');
          p = q + 2;
        } else {
          in_quotes = false;
          after_quote = true;
          p = q + 1;
        }
      } else if (*p == ',') {
        ++n;
        c = &cell();
        quoted = after_quote = false;
        ++p;
      } else if (*p == '"' && c->empty() && !quoted) {
        quoted = in_quotes = true;
        ++p;
      } else if (*p == '"' || after_quote) {
        if (!stray_quote_) stray_quote_col_ = n;
        stray_quote_ = true;
        c->push_back(*p++);
      } else {
        const char* stop = quote_from(p);
        const void* comma = std::memchr(p, ',', static_cast<std::size_t>(stop - p));
        const char* q = comma ? static_cast<const char*>(comma) : stop;
        c->append(p, q);
        p = q;
      }
    }
    unterminated = in_quotes;
    return n + 1;
  }

  // This reader's mark on the records it named (RawRecord::named_by): one
  // no other reader has, even at the same address.
  const std::uint64_t id_ = next_reader_id();
  static std::uint64_t next_reader_id() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
  }
  std::unique_ptr<LineSource> src_;
  std::vector<std::string> cells_;  // of the last record split, and spare ones
  std::string line_;
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
