#include "lib/utf8.hpp"

#include <utf8proc.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace influence::lib {

std::size_t find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Eight bytes at a time while none is NUL or past ASCII: a post's text
    // is mostly ASCII, and this check runs on every field of every record.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (((w | (w - 0x0101010101010101u)) & 0x8080808080808080u) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c == 0) return i;  // NUL bytes are never legitimate text here
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const auto used = utf8proc_iterate(p, left, &cp);
    if (used <= 0) {  // invalid byte: count it as one column and move on
      ++width;
      ++p;
      --left;
      continue;
    }
    width += static_cast<std::size_t>(utf8proc_charwidth(cp));
    p += used;
    left -= used;
  }
  return width;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  for (;;) {
    const auto bad = find_invalid_utf8(text);
    if (bad == std::string_view::npos) {
      out.append(text);
      return out;
    }
    out.append(text.substr(0, bad));
    std::size_t skip = 1;
    if (text[bad] != '\0') {
      out += "\xEF\xBF\xBD";  // U+FFFD
      while (bad + skip < text.size() && (static_cast<unsigned char>(text[bad + skip]) & 0xC0) == 0x80) ++skip;
    }
    text.remove_prefix(bad + skip);
  }
}

}  // namespace influence::lib
