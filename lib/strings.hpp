#pragma once
// Small string helpers shared across the code base.
#include <string>
#include <string_view>
#include <vector>

namespace influence::lib {

std::string join(const std::vector<std::string>& items, std::string_view separator);
// join() into `out`, whose buffer is kept for the next.
void join_into(std::string& out, const std::vector<std::string>& items, std::string_view separator);
// Words separated by one or more spaces (the lists of the CSV format).
std::vector<std::string> split_spaces(std::string_view s);
// Calls f(word) for each run of characters other than ' ' in s, in order.
template <class F>
void for_each_word(std::string_view s, F&& f) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) f(s.substr(i, j - i));
    i = j;
  }
}
// Without leading and trailing blanks (space, tab, CR).
std::string trim(std::string_view s);
// ASCII letters in lower case, other bytes as they are (hosts, header names).
std::string ascii_lower(std::string_view s);
// A hashtag as the platforms allow them: not empty, no blanks or control
// characters (a list of hashtags is space-separated in CSV).
bool is_hashtag(std::string_view s);
// A hashtag without its leading '#'s: every one, so that "##ski" is "ski"
// the first time it is read and a round trip through a file changes nothing.
std::string_view bare_hashtag(std::string_view s);

}  // namespace influence::lib
