#pragma once
// Folding for matching: case, accents and width are ignored, so that
// "Télémark", "telemark" and "ＴＥＬＥＭＡＲＫ" compare equal. Done by utf8proc
// (NFKD, case fold, strip marks) rather than hand-written tables.
#include <string>
#include <string_view>

namespace influence::lib {

std::string fold(std::string_view utf8);

}  // namespace influence::lib
