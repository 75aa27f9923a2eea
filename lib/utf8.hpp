#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace influence::lib {

// Offset of the first byte that makes `text` invalid UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or npos.
std::size_t find_invalid_utf8(std::string_view text);

// `text` made valid: NUL bytes dropped, every invalid sequence (a byte that
// cannot start one, with the continuation bytes after it) replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// Display width in terminal columns: wide East Asian characters count 2,
// combining marks 0. Used to align tables.
std::size_t display_width(std::string_view utf8);

}  // namespace influence::lib
