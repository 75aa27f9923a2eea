#include "lib/text_fold.hpp"

#include <utf8proc.h>

#include <cstdlib>

namespace influence::lib {

std::string fold(std::string_view s) {
  bool ascii = true;
  for (unsigned char c : s)
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) {  // the common case, without utf8proc's allocation
    std::string out(s);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  utf8proc_uint8_t* result = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                      UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                                      UTF8PROC_IGNORE);
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                              static_cast<utf8proc_ssize_t>(s.size()), &result, options);
  if (n < 0) return std::string(s);  // invalid UTF-8 never reaches here; keep it as is
  std::string out(reinterpret_cast<char*>(result), static_cast<std::size_t>(n));
  std::free(result);
  return out;
}

}  // namespace influence::lib
