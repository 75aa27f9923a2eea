// JSON Lines (one object a line) and JSON documents (an array of objects, or
// an object {"accounts": [...], "posts": [...], "follows": [...]}), read with
// RapidJSON's SAX reader so that each record keeps its line and source text.
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <deque>

#include "lib/record_reader.hpp"
#include "lib/utf8.hpp"

namespace influence::lib {
namespace {

// A RapidJSON input stream over a string_view that counts lines as it goes.
struct CountingStream {
  using Ch = char;
  std::string_view s;
  std::size_t pos = 0;
  std::size_t line = 1;
  Ch Peek() const { return pos < s.size() ? s[pos] : '\0'; }
  Ch Take() {
    if (pos >= s.size()) return '\0';
    const char c = s[pos++];
    if (c == '\n') ++line;
    return c;
  }
  std::size_t Tell() const { return pos; }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }
};

struct Parsed {
  RawRecord record;
  std::optional<Error> problem;
};

// Builds flat records from SAX events. `record_depth` is the nesting depth at
// which objects are records: 0 for a JSON Lines line, 1 in an array, 2 in the
// object-of-arrays form.
class RecordBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, RecordBuilder> {
 public:
  RecordBuilder(CountingStream& in, std::string file, std::size_t line_offset, bool document)
      : in_(in), file_(std::move(file)), line_offset_(line_offset), document_(document) {}

  std::deque<Parsed> out;
  std::optional<Error> structure_error;

  bool StartObject() {
    if (depth_ == expected_record_depth() && !in_record_) {
      in_record_ = true;
      // The iterative parser calls the handler before taking the '{'.
      record_start_ = in_.Peek() == '{' ? in_.Tell() : in_.Tell() - 1;
      current_ = Parsed{};
      current_.record.line = in_.line + line_offset_;
      current_.record.kind = container_kind_;
      field_depth_ = depth_ + 1;
    } else if (in_record_) {
      nested_value();
    } else if (depth_ == 0 && document_) {
      object_of_arrays_ = true;
    } else {
      return structure("expected an object for each record");
    }
    ++depth_;
    return true;
  }
  bool Key(const char* str, rapidjson::SizeType len, bool) {
    if (in_record_ && depth_ == field_depth_) {
      key_.assign(str, len);
      if (current_.record.get(key_) && !current_.problem)
        current_.problem = at(key_, "field appears twice in the record");
    } else if (object_of_arrays_ && depth_ == 1) {
      const auto kind = parse_record_kind(std::string_view(str, len));
      if (!kind) return structure("unknown key '" + std::string(str, len) +
                                  "' (expected \"accounts\", \"posts\" or \"follows\")");
      container_kind_ = kind;
    }
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    --depth_;
    if (in_record_ && depth_ == expected_record_depth()) {
      in_record_ = false;
      const std::size_t end = in_.Peek() == '}' ? in_.Tell() + 1 : in_.Tell();
      current_.record.verbatim = std::string(in_.s.substr(record_start_, end - record_start_));
      out.push_back(std::move(current_));
    }
    return true;
  }
  bool StartArray() {
    if (in_record_) {
      if (depth_ == field_depth_ && !in_list_) {
        in_list_ = true;
        list_ = RawField{key_, RawField::Type::list, {}, {}};
      } else {
        nested_value();
      }
    } else if (!(depth_ == 0 && document_) && !(object_of_arrays_ && depth_ == 1)) {
      return structure("expected an object for each record");
    }
    ++depth_;
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth_;
    if (in_record_ && in_list_ && depth_ == field_depth_) {
      in_list_ = false;
      current_.record.fields.push_back(std::move(list_));
    }
    return true;
  }
  bool Null() { return scalar(RawField::Type::null, {}); }
  bool Bool(bool b) { return scalar(RawField::Type::boolean, b ? "true" : "false"); }
  bool RawNumber(const char* str, rapidjson::SizeType len, bool) {
    return scalar(RawField::Type::number, std::string(str, len));
  }
  bool String(const char* str, rapidjson::SizeType len, bool) {
    return scalar(RawField::Type::string, std::string(str, len));
  }

 private:
  std::size_t expected_record_depth() const {
    if (!document_) return 0;
    return object_of_arrays_ ? 2 : 1;
  }
  bool scalar(RawField::Type type, std::string text) {
    if (!in_record_) {
      if (depth_ == 0 && document_) return structure("expected an array of objects");
      return structure("expected an object for each record");
    }
    if (type == RawField::Type::string) {
      if (const auto bad = find_invalid_utf8(text); bad != std::string::npos && !current_.problem)
        current_.problem = at(key_, "invalid UTF-8 at byte " + std::to_string(bad + 1));
    }
    if (in_list_ && depth_ == field_depth_ + 1) {
      if (type == RawField::Type::string || type == RawField::Type::number)
        list_.items.push_back(std::move(text));
      else if (!current_.problem)
        current_.problem = at(key_, "lists hold strings only");
    } else if (depth_ == field_depth_) {
      current_.record.fields.push_back(RawField{key_, type, std::move(text), {}});
    }
    return true;
  }
  void nested_value() {
    if (!current_.problem) current_.problem = at(key_, "nested objects and arrays are not part of the format");
  }
  Error at(const std::string& field, std::string message) const {
    return Error{ErrorKind::input, std::move(message), file_, in_.line + line_offset_, field};
  }
  bool structure(std::string message) {
    structure_error = Error{ErrorKind::input, std::move(message), file_, in_.line + line_offset_, {}};
    return false;
  }

  CountingStream& in_;
  std::string file_;
  std::size_t line_offset_;
  bool document_;
  bool object_of_arrays_ = false;
  std::optional<RecordKind> container_kind_;
  std::size_t depth_ = 0;
  std::size_t field_depth_ = 0;
  bool in_record_ = false;
  bool in_list_ = false;
  std::size_t record_start_ = 0;
  std::string key_;
  Parsed current_;
  RawField list_;
};

constexpr unsigned kParseFlags = rapidjson::kParseNumbersAsStringsFlag |
                                 rapidjson::kParseStopWhenDoneFlag |
                                 rapidjson::kParseIterativeFlag;  // no recursion on deep nesting

Error syntax_error(const rapidjson::Reader& reader, const std::string& file, std::string_view text,
                   std::size_t line_offset) {
  const std::size_t off = std::min(reader.GetErrorOffset(), text.size());
  const auto line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(off), '\n'));
  return Error{ErrorKind::input,
               std::string("JSON syntax error: ") + rapidjson::GetParseError_En(reader.GetParseErrorCode()),
               file, line + 1 + line_offset, {}};
}

bool only_space_after(const CountingStream& in) {
  return std::all_of(in.s.begin() + static_cast<std::ptrdiff_t>(in.pos), in.s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

class JsonLinesReader final : public RecordReader {
 public:
  explicit JsonLinesReader(std::unique_ptr<LineSource> src) : src_(std::move(src)) {}

  Result<bool> next(RawRecord& out) override {
    std::string line;
    do {
      if (!src_->next(line)) return false;
    } while (line.find_first_not_of(" \t") == std::string::npos);
    const std::size_t lineno = src_->line_number();
    out = RawRecord{};
    out.line = lineno;
    out.verbatim = line;
    CountingStream in{line};
    RecordBuilder builder(in, src_->name(), lineno - 1, false);
    rapidjson::Reader reader;
    if (!reader.Parse<kParseFlags>(in, builder)) {
      if (builder.structure_error) return std::unexpected(*builder.structure_error);
      return std::unexpected(syntax_error(reader, src_->name(), line, lineno - 1));
    }
    if (!only_space_after(in))
      return fail_at(src_->name(), lineno, {}, "more than one JSON value on the line");
    if (builder.out.empty()) return fail_at(src_->name(), lineno, {}, "expected a JSON object");
    auto& parsed = builder.out.front();
    parsed.record.verbatim = line;
    out = std::move(parsed.record);
    if (parsed.problem) return std::unexpected(*parsed.problem);
    return true;
  }

  std::vector<std::string> first_field_names() override {
    // The whole first line, however long it is.
    std::size_t window = 1 << 16;
    auto head = src_->peek(window);
    while (head.find('\n') == std::string_view::npos && head.size() == window) head = src_->peek(window *= 4);
    const auto nl = head.find('\n');
    std::string first(head.substr(0, nl));
    CountingStream in{first};
    RecordBuilder builder(in, src_->name(), 0, false);
    rapidjson::Reader reader;
    std::vector<std::string> names;
    if (reader.Parse<kParseFlags>(in, builder) && !builder.out.empty())
      for (auto& f : builder.out.front().record.fields) names.push_back(f.name);
    return names;
  }
  const LineSource& source() const override { return *src_; }

 private:
  std::unique_ptr<LineSource> src_;
};

// A whole JSON document is parsed up front: it has to be complete to be valid.
class JsonDocumentReader final : public RecordReader {
 public:
  explicit JsonDocumentReader(std::unique_ptr<LineSource> src) : src_(std::move(src)) {}

  Result<void> load() {
    std::string text, line;
    while (src_->next(line)) {
      text += line;
      text += '\n';
    }
    CountingStream in{text};
    RecordBuilder builder(in, src_->name(), 0, true);
    rapidjson::Reader reader;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return {};
    if (!reader.Parse<kParseFlags>(in, builder)) {
      if (builder.structure_error) return std::unexpected(*builder.structure_error);
      return std::unexpected(syntax_error(reader, src_->name(), text, 0));
    }
    if (!only_space_after(in))
      return fail_at(src_->name(), in.line, {}, "text after the end of the JSON document");
    parsed_ = std::move(builder.out);
    return {};
  }

  Result<bool> next(RawRecord& out) override {
    if (parsed_.empty()) return false;
    Parsed p = std::move(parsed_.front());
    parsed_.pop_front();
    out = std::move(p.record);
    if (p.problem) return std::unexpected(*p.problem);
    return true;
  }
  std::vector<std::string> first_field_names() override {
    std::vector<std::string> names;
    if (!parsed_.empty())
      for (auto& f : parsed_.front().record.fields) names.push_back(f.name);
    return names;
  }
  const LineSource& source() const override { return *src_; }

 private:
  std::unique_ptr<LineSource> src_;
  std::deque<Parsed> parsed_;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> make_csv_reader(std::unique_ptr<LineSource> src);

Result<std::unique_ptr<RecordReader>> make_reader(InputFormat format, std::unique_ptr<LineSource> src) {
  switch (format) {
    case InputFormat::csv: return make_csv_reader(std::move(src));
    case InputFormat::jsonl: return std::make_unique<JsonLinesReader>(std::move(src));
    case InputFormat::json: {
      auto reader = std::make_unique<JsonDocumentReader>(std::move(src));
      if (auto ok = reader->load(); !ok) return std::unexpected(ok.error());
      return reader;
    }
  }
  return fail(ErrorKind::usage, "unknown format");
}

const char* to_string(InputFormat f) {
  switch (f) {
    case InputFormat::csv: return "csv";
    case InputFormat::jsonl: return "jsonl";
    case InputFormat::json: return "json";
  }
  return "?";
}

std::optional<InputFormat> parse_input_format(std::string_view text) {
  if (text == "csv") return InputFormat::csv;
  if (text == "jsonl" || text == "ndjson") return InputFormat::jsonl;
  if (text == "json") return InputFormat::json;
  return std::nullopt;
}

InputFormat detect_format(const std::string& path, LineSource& src) {
  auto ends_with = [&](std::string_view ext) {
    return path.size() > ext.size() && path.ends_with(ext);
  };
  if (ends_with(".csv")) return InputFormat::csv;
  if (ends_with(".jsonl") || ends_with(".ndjson")) return InputFormat::jsonl;
  if (ends_with(".json")) return InputFormat::json;
  const auto head = src.peek(1 << 16);
  if (head.starts_with("[")) return InputFormat::json;
  if (head.starts_with("{")) {
    // One complete object on the first line means JSON Lines.
    const auto nl = head.find('\n');
    std::string first(head.substr(0, nl));
    CountingStream in{first};
    rapidjson::BaseReaderHandler<> ignore;
    rapidjson::Reader reader;
    if (reader.Parse<kParseFlags>(in, ignore) && only_space_after(in)) return InputFormat::jsonl;
    return InputFormat::json;
  }
  return InputFormat::csv;
}

}  // namespace influence::lib
