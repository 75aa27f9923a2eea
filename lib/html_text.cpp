#include "lib/html_text.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace influence::lib {
namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the entity at html[i] == '&'; returns the length consumed, 0 if none.
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
  const auto semi = html.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  const auto name = html.substr(i + 1, semi - i - 1);
  if (name.size() >= 2 && name[0] == '#') {
    std::uint32_t cp = 0;
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const auto digits = name.substr(hex ? 2 : 1);
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (ec != std::errc{} || p != digits.data() + digits.size() || digits.empty()) return 0;
    append_utf8(out, cp);
    return semi - i + 1;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> named{{
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}}};
  for (const auto& [n, text] : named) {
    if (name == n) {
      out += text;
      return semi - i + 1;
    }
  }
  return 0;
}

std::string tag_name(std::string_view tag) {
  std::string name;
  std::size_t i = 0;
  if (i < tag.size() && tag[i] == '/') ++i;
  for (; i < tag.size(); ++i) {
    char c = tag[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) break;
    name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return name;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (std::size_t i = 0; i < html.size();) {
    const char c = html[i];
    if (c == '<') {
      const auto close = html.find('>', i);
      if (close == std::string_view::npos) {  // not a tag after all
        out += c;
        ++i;
        continue;
      }
      const auto tag = html.substr(i + 1, close - i - 1);
      const std::string name = tag_name(tag);
      const bool closing = !tag.empty() && tag[0] == '/';
      if (name == "br" || (closing && name == "p")) {
        if (!out.empty() && out.back() != '\n') out += '\n';
      }
      i = close + 1;
      continue;
    }
    if (c == '&') {
      if (const auto n = decode_entity(html, i, out); n > 0) {
        i += n;
        continue;
      }
    }
    out += c;
    ++i;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace influence::lib
