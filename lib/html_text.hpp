#pragma once
// Mastodon sends post content and bios as HTML: the text a reader sees is
// what topics match against.
#include <string>
#include <string_view>

namespace influence::lib {

// Tags dropped, <br> and paragraph ends as line breaks, entities decoded
// (named ones that Mastodon emits, and numeric ones). Never fails: what
// cannot be decoded is kept as written.
std::string html_to_text(std::string_view html);

}  // namespace influence::lib
