#include "lib/identity.hpp"

#include "lib/model.hpp"

namespace influence::lib {

std::optional<Identity> split_identity(std::string_view id) {
  const auto colon = id.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= id.size()) return std::nullopt;
  const auto platform = id.substr(0, colon);
  for (char c : platform) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  const auto local = id.substr(colon + 1);
  for (unsigned char c : local)
    if (c <= 0x20 || c == 0x7f) return std::nullopt;  // no spaces or controls in ids
  return Identity{platform, local};
}

std::string_view default_handle(std::string_view id) {
  const auto parts = split_identity(id);
  return parts ? parts->local : id;
}

const char* to_string(RecordKind kind) {
  switch (kind) {
    case RecordKind::accounts: return "accounts";
    case RecordKind::posts: return "posts";
    case RecordKind::follows: return "follows";
  }
  return "?";
}

std::optional<RecordKind> parse_record_kind(std::string_view text) {
  if (text == "accounts" || text == "account") return RecordKind::accounts;
  if (text == "posts" || text == "post") return RecordKind::posts;
  if (text == "follows" || text == "follow") return RecordKind::follows;
  return std::nullopt;
}

}  // namespace influence::lib
