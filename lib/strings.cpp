#include "lib/strings.hpp"

namespace influence::lib {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  join_into(out, items, separator);
  return out;
}

void join_into(std::string& out, const std::vector<std::string>& items, std::string_view separator) {
  out.clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
}

std::vector<std::string> split_spaces(std::string_view s) {
  std::vector<std::string> out;
  for_each_word(s, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_hashtag(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f) return false;
  return true;
}

std::string_view bare_hashtag(std::string_view s) {
  const auto at = s.find_first_not_of('#');
  return at == std::string_view::npos ? std::string_view() : s.substr(at);
}

}  // namespace influence::lib
