#include "lib/json_dom.hpp"

#include <cmath>

#include "lib/utf8.hpp"

namespace influence::lib::json {

Result<void> parse(rapidjson::Document& doc, std::string_view text, const std::string& source,
                   std::size_t line) {
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    // Count the lines up to the error so that it can be found in the body.
    const std::size_t offset = doc.GetErrorOffset();
    std::size_t l = line;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i)
      if (text[i] == '\n') ++l;
    return fail_at(source, l, {},
                   std::string("invalid JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()) +
                       " (byte " + std::to_string(offset) + ")");
  }
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos)
    return fail_at(source, line, {}, "invalid UTF-8 at byte " + std::to_string(bad));
  return {};
}

const Value* member(const Value& v, const char* key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

const Value* object(const Value& v, const char* key) {
  const Value* m = member(v, key);
  return m && m->IsObject() ? m : nullptr;
}

const Value* array(const Value& v, const char* key) {
  const Value* m = member(v, key);
  return m && m->IsArray() ? m : nullptr;
}

namespace {

// A string value as text. The body was checked to be UTF-8, but escapes can
// still make a string that is not text: "\u0000" unescapes to a NUL byte and
// a lone surrogate ("\udcbd") to bytes no UTF-8 allows (both found by
// fuzz_mastodon and fuzz_bluesky). NULs are dropped and invalid sequences
// become U+FFFD rather than failing a whole page of someone else's data.
std::string text_of(const Value& m) {
  const std::string_view s(m.GetString(), m.GetStringLength());
  return find_invalid_utf8(s) == std::string_view::npos ? std::string(s) : valid_utf8(s);
}

}  // namespace

std::string str(const Value& v, const char* key) {
  const Value* m = member(v, key);
  return m && m->IsString() ? text_of(*m) : std::string();
}

std::string id_text(const Value& v, const char* key) {
  const Value* m = member(v, key);
  if (!m) return {};
  if (m->IsString()) return text_of(*m);
  if (m->IsUint64()) return std::to_string(m->GetUint64());
  return {};
}

Count count(const Value& v, const char* key) {
  const Value* m = member(v, key);
  if (!m) return std::nullopt;
  if (m->IsInt64()) {
    const auto n = m->GetInt64();
    return n >= 0 ? Count(n) : std::nullopt;
  }
  if (m->IsDouble()) {
    const double d = m->GetDouble();
    if (std::isfinite(d) && d >= 0 && d < 9.2e18) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<bool> boolean(const Value& v, const char* key) {
  const Value* m = member(v, key);
  if (!m || !m->IsBool()) return std::nullopt;
  return m->GetBool();
}

std::string path(std::string_view parent, const char* key) {
  return parent.empty() ? std::string(key) : std::string(parent) + "." + key;
}

std::string path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

Result<std::string> required_id(const Value& v, const char* key, std::string_view prefix,
                                const std::string& at, const Where& where) {
  const std::string local = id_text(v, key);
  if (local.empty()) return where.bad(path(at, key), "missing");
  std::string id = std::string(prefix) + local;
  if (!split_identity(id)) return where.bad(path(at, key), "'" + local + "' cannot be part of an id");
  return id;
}

Result<Timestamp> required_time(const Value& v, const char* key, const std::string& at,
                                const Where& where) {
  const std::string text = str(v, key);
  if (text.empty()) return where.bad(path(at, key), "missing");
  auto t = parse_rfc3339(text);
  if (!t) return where.bad(path(at, key), "cannot parse '" + text + "' as a time");
  return *t;
}

std::optional<Timestamp> optional_time(const Value& v, const char* key) {
  const std::string text = str(v, key);
  return text.empty() ? std::nullopt : parse_rfc3339(text);
}

}  // namespace influence::lib::json
