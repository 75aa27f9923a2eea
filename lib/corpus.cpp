#include "lib/corpus.hpp"

namespace influence::lib {

std::vector<std::uint32_t> find_accounts(const Corpus& c, std::string_view name) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t a = 0; a < c.accounts.size(); ++a)
    if (c.accounts[a].id == name) return {a};
  auto bare = [](std::string_view h) { return h.starts_with('@') ? h.substr(1) : h; };
  for (std::uint32_t a = 0; a < c.accounts.size(); ++a)
    if (bare(c.accounts[a].handle) == bare(name)) out.push_back(a);
  return out;
}

}  // namespace influence::lib
