#include "lib/json_write.hpp"

#include <charconv>
#include <cmath>

namespace influence::lib {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string format_number(double v) {
  if (!std::isfinite(v)) return "null";
  if (v == 0) return "0";  // also folds -0
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc{} ? ptr : buf);
}

void JsonObjectWriter::key(std::string_view k) {
  if (!first_) out_ += ',';
  first_ = false;
  append_json_string(out_, k);
  out_ += ':';
}

JsonObjectWriter& JsonObjectWriter::string(std::string_view k, std::string_view v) {
  key(k);
  append_json_string(out_, v);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::integer(std::string_view k, std::int64_t v) {
  key(k);
  out_ += std::to_string(v);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::number(std::string_view k, double v) {
  key(k);
  out_ += format_number(v);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::boolean(std::string_view k, const std::optional<bool>& v) {
  if (!v) return *this;
  key(k);
  out_ += *v ? "true" : "false";
  return *this;
}

JsonObjectWriter& JsonObjectWriter::list_if(std::string_view k, const std::vector<std::string>& items) {
  if (items.empty()) return *this;
  key(k);
  out_ += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out_ += ',';
    append_json_string(out_, items[i]);
  }
  out_ += ']';
  return *this;
}

JsonObjectWriter& JsonObjectWriter::null(std::string_view k) {
  key(k);
  out_ += "null";
  return *this;
}

JsonObjectWriter& JsonObjectWriter::raw(std::string_view k, std::string_view json) {
  key(k);
  out_ += json;
  return *this;
}

}  // namespace influence::lib
