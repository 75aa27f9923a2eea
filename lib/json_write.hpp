#pragma once
// A small writer for flat JSON objects with a fixed key order, shared by the
// native-format export and the score output. Numbers are formatted without
// the locale; NaN and infinity are written as null.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/timeutil.hpp"

namespace influence::lib {

void append_json_string(std::string& out, std::string_view s);
// Shortest text that reads back to the same double ("0.1", "12", "1e+20").
std::string format_number(double v);

class JsonObjectWriter {
 public:
  JsonObjectWriter() : out_("{") {}
  JsonObjectWriter& string(std::string_view key, std::string_view v);
  JsonObjectWriter& string_if(std::string_view key, std::string_view v) {
    return v.empty() ? *this : string(key, v);
  }
  JsonObjectWriter& integer(std::string_view key, std::int64_t v);
  JsonObjectWriter& number(std::string_view key, double v);
  JsonObjectWriter& count(std::string_view key, const std::optional<std::int64_t>& v) {
    return v ? integer(key, *v) : *this;
  }
  JsonObjectWriter& boolean(std::string_view key, const std::optional<bool>& v);
  JsonObjectWriter& time(std::string_view key, const std::optional<Timestamp>& t) {
    return t ? string(key, format_rfc3339(*t)) : *this;
  }
  JsonObjectWriter& list_if(std::string_view key, const std::vector<std::string>& items);
  JsonObjectWriter& null(std::string_view key);
  // Inserts already-formatted JSON (a nested object or array).
  JsonObjectWriter& raw(std::string_view key, std::string_view json);
  std::string finish() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void key(std::string_view k);
  std::string out_;
  bool first_ = true;
};

}  // namespace influence::lib
