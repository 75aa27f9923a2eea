#include "cli/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "lib/json_write.hpp"
#include "lib/utf8.hpp"

namespace influence::cli {

std::optional<Format> parse_format(std::string_view t) {
  if (t == "table") return Format::table;
  if (t == "csv") return Format::csv;
  if (t == "tsv") return Format::tsv;
  if (t == "json") return Format::json;
  if (t == "jsonl" || t == "ndjson") return Format::jsonl;
  if (t == "markdown" || t == "md") return Format::markdown;
  return std::nullopt;
}

Format default_format(const std::string& path, bool tty) {
  if (path.empty() || path == "-") return tty ? Format::table : Format::csv;
  if (path.ends_with(".jsonl") || path.ends_with(".ndjson")) return Format::jsonl;
  if (path.ends_with(".json")) return Format::json;
  if (path.ends_with(".tsv")) return Format::tsv;
  if (path.ends_with(".md")) return Format::markdown;
  return Format::csv;
}

lib::Result<std::unique_ptr<Sink>> Sink::open(const std::string& path) {
  auto sink = std::unique_ptr<Sink>(new Sink());
  if (path.empty() || path == "-") {
    sink->file_ = stdout;
    return sink;
  }
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string temp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0)
    return std::unexpected(lib::Error{lib::ErrorKind::io, std::strerror(errno), path, 0, {}});
  ::fchmod(fd, 0644);
  sink->file_ = ::fdopen(fd, "wb");
  sink->target_ = path;
  sink->temp_ = temp;
  return sink;
}

Sink::~Sink() {
  if (!temp_.empty() && !committed_) {
    if (file_) std::fclose(file_);
    ::unlink(temp_.c_str());
  }
}

bool Sink::is_terminal() const { return is_stdout() && ::isatty(STDOUT_FILENO); }

lib::Result<void> Sink::commit() {
  auto failed = [&](const std::string& where) {
    return std::unexpected(lib::Error{lib::ErrorKind::io, std::strerror(errno), where, 0, {}});
  };
  if (temp_.empty()) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) return failed("<stdout>");
    return {};
  }
  if (std::fflush(file_) != 0 || std::ferror(file_) || ::fsync(::fileno(file_)) != 0) return failed(target_);
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) return failed(target_);
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) return failed(target_);
  committed_ = true;
  return {};
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string tsv_field(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default: out += c;
    }
  }
  return out;
}

std::string neutralise_formula(std::string_view s) {
  if (s.empty()) return {};
  const char c = s.front();
  const bool risky = c == '=' || c == '+' || c == '-' || c == '\t' || c == '\r' ||
                     (c == '@' && s.find('(') != std::string_view::npos);
  return risky ? "'" + std::string(s) : std::string(s);
}

std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += "\xEF\xBF\xBD";  // C1 controls, CSI among them
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

class DelimitedWriter final : public RowWriter {
 public:
  DelimitedWriter(Sink& sink, bool header, bool tsv, bool neutralise)
      : sink_(sink), header_(header), tsv_(tsv), neutralise_(neutralise) {}
  void begin(const std::vector<Column>& cols) override {
    if (!header_) return;
    std::vector<Cell> names;
    for (const auto& c : cols) names.push_back(Cell::str(c.name));
    row(names);
  }
  void row(const std::vector<Cell>& cells) override {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) line += tsv_ ? '\t' : ',';
      const std::string text = neutralise_ && cells[i].kind == Cell::Kind::string ? neutralise_formula(cells[i].text)
                                                                                : cells[i].text;
      line += tsv_ ? tsv_field(text) : csv_field(text);
    }
    line += '\n';
    sink_.write(line);
  }
  void end() override {}

 private:
  Sink& sink_;
  bool header_, tsv_, neutralise_;
};

class JsonWriter final : public RowWriter {
 public:
  JsonWriter(Sink& sink, bool lines) : sink_(sink), lines_(lines) {}
  void begin(const std::vector<Column>& cols) override {
    cols_ = cols;
    if (!lines_) sink_.write("[");
  }
  void row(const std::vector<Cell>& cells) override {
    lib::JsonObjectWriter w;
    for (std::size_t i = 0; i < cells.size() && i < cols_.size(); ++i) {
      switch (cells[i].kind) {
        case Cell::Kind::null: w.null(cols_[i].name); break;
        case Cell::Kind::number: w.raw(cols_[i].name, cells[i].text.empty() ? "null" : cells[i].text); break;
        case Cell::Kind::string: w.string(cols_[i].name, cells[i].text); break;
      }
    }
    if (lines_) {
      sink_.write(w.finish());
      sink_.write("\n");
    } else {
      sink_.write(first_ ? "\n" : ",\n");
      sink_.write(w.finish());
    }
    first_ = false;
  }
  void end() override {
    if (!lines_) sink_.write(first_ ? "]\n" : "\n]\n");
  }

 private:
  Sink& sink_;
  bool lines_;
  bool first_ = true;
  std::vector<Column> cols_;
};

// Tables and Markdown need every row to size the columns.
class AlignedWriter final : public RowWriter {
 public:
  AlignedWriter(Sink& sink, const WriterOptions& o) : sink_(sink), opt_(o) {}
  void begin(const std::vector<Column>& cols) override { cols_ = cols; }
  void row(const std::vector<Cell>& cells) override {
    std::vector<std::string> texts;
    for (const auto& c : cells) {
      std::string t = printable(c.text);
      if (opt_.format == Format::markdown) {
        std::string esc;
        for (char ch : t) {
          if (ch == '|') esc += '\\';
          esc += ch;
        }
        t = esc;
      }
      texts.push_back(std::move(t));
    }
    rows_.push_back(std::move(texts));
  }
  void end() override {
    const bool md = opt_.format == Format::markdown;
    std::vector<std::size_t> width(cols_.size(), md ? 3 : 1);
    if (opt_.header)
      for (std::size_t i = 0; i < cols_.size(); ++i) width[i] = std::max(width[i], lib::display_width(cols_[i].name));
    for (const auto& r : rows_)
      for (std::size_t i = 0; i < r.size() && i < width.size(); ++i)
        width[i] = std::max(width[i], lib::display_width(r[i]));
    auto line = [&](const std::vector<std::string>& cells, bool is_header) {
      std::string out = md ? "| " : "";
      for (std::size_t i = 0; i < cols_.size(); ++i) {
        const std::string& t = i < cells.size() ? cells[i] : std::string();
        const std::size_t pad = width[i] - std::min(width[i], lib::display_width(t));
        const bool right = cols_[i].numeric && !is_header;
        std::string cell;
        if (right) cell.append(pad, ' ');
        if (is_header && opt_.color) cell += "\x1b[1m" + t + "\x1b[0m";
        else cell += t;
        if (!right && (md || i + 1 < cols_.size())) cell.append(pad, ' ');
        out += cell;
        if (i + 1 < cols_.size()) out += md ? " | " : "  ";
      }
      out += md ? " |\n" : "\n";
      sink_.write(out);
    };
    if (opt_.header) {
      std::vector<std::string> names;
      for (const auto& c : cols_) names.push_back(c.name);
      line(names, true);
      if (md) {
        std::string sep = "|";
        for (std::size_t i = 0; i < cols_.size(); ++i) {
          sep += cols_[i].numeric ? " " + std::string(width[i] - 1, '-') + ": |"
                                  : " " + std::string(width[i], '-') + " |";
        }
        sink_.write(sep + "\n");
      }
    }
    for (const auto& r : rows_) line(r, false);
  }

 private:
  Sink& sink_;
  WriterOptions opt_;
  std::vector<Column> cols_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace

std::unique_ptr<RowWriter> make_writer(Sink& sink, const WriterOptions& o) {
  switch (o.format) {
    case Format::csv: return std::make_unique<DelimitedWriter>(sink, o.header, false, o.neutralise_formulas);
    case Format::tsv: return std::make_unique<DelimitedWriter>(sink, o.header, true, o.neutralise_formulas);
    case Format::json: return std::make_unique<JsonWriter>(sink, false);
    case Format::jsonl: return std::make_unique<JsonWriter>(sink, true);
    case Format::table:
    case Format::markdown: return std::make_unique<AlignedWriter>(sink, o);
  }
  return nullptr;
}

}  // namespace influence::cli
