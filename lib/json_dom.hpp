#pragma once
// Reading platform responses (Mastodon, Bluesky, Twitter/X) with RapidJSON's
// DOM: typed lookups that tolerate missing optional fields and name the path
// of a bad required one. Internal to lib/.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>
#include <string_view>

#include "lib/error.hpp"
#include "lib/identity.hpp"
#include "lib/model.hpp"

namespace influence::lib::json {

using Value = rapidjson::Value;

// Parses iteratively, so that deeply nested input cannot exhaust the stack.
// `source` and `line` are what errors name.
Result<void> parse(rapidjson::Document& doc, std::string_view text, const std::string& source,
                   std::size_t line);

// nullptr when `v` is not an object, or the member is absent or null.
const Value* member(const Value& v, const char* key);
const Value* object(const Value& v, const char* key);  // only if it is an object
const Value* array(const Value& v, const char* key);   // only if it is an array

// "" when absent or not a string.
std::string str(const Value& v, const char* key);
// A string, or a number written as text (ids such as Twitter's).
std::string id_text(const Value& v, const char* key);
// Non-negative whole numbers; anything else is absent.
Count count(const Value& v, const char* key);
std::optional<bool> boolean(const Value& v, const char* key);

// Where a value is, for messages: "statuses[3].account.acct".
std::string path(std::string_view parent, const char* key);
std::string path(std::string_view parent, std::size_t index);

// The errors of a mapper: the source and line of the response, the field path.
struct Where {
  const std::string& source;
  std::size_t line;
  std::unexpected<Error> bad(const std::string& field, std::string message) const {
    return fail_at(source, line, field, std::move(message));
  }
};

// A required, platform-qualified id built from `prefix` + the text at
// v[key]; an error naming the path when it is missing or not a valid id.
Result<std::string> required_id(const Value& v, const char* key, std::string_view prefix,
                                const std::string& at, const Where& where);
Result<Timestamp> required_time(const Value& v, const char* key, const std::string& at,
                                const Where& where);
std::optional<Timestamp> optional_time(const Value& v, const char* key);

}  // namespace influence::lib::json
