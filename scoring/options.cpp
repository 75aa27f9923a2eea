#include "scoring/options.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <string>

namespace influence::scoring {
namespace {

lib::Result<void> parse_pairs(std::string_view text, const char* option,
                              const std::map<std::string, double*, std::less<>>& keys) {
  std::string known;
  for (const auto& [k, _] : keys) known += (known.empty() ? "" : ", ") + k;
  std::size_t pos = 0;
  if (text.empty()) return lib::fail(lib::ErrorKind::usage, std::string(option) + ": empty (expected " + known + ")");
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    const auto item = text.substr(pos, comma - pos);
    pos = comma + 1;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return lib::fail(lib::ErrorKind::usage, std::string(option) + ": '" + std::string(item) + "' is not key=value (keys: " + known + ")");
    const auto key = item.substr(0, eq);
    const auto val = item.substr(eq + 1);
    auto it = keys.find(key);
    if (it == keys.end())
      return lib::fail(lib::ErrorKind::usage, std::string(option) + ": unknown key '" + std::string(key) + "' (keys: " + known + ")");
    double v = 0;
    const auto [ptr, ec] = std::from_chars(val.data(), val.data() + val.size(), v);
    if (ec != std::errc{} || ptr != val.data() + val.size() || !std::isfinite(v) || v < 0)
      return lib::fail(lib::ErrorKind::usage, std::string(option) + ": '" + std::string(val) + "' for " + std::string(key) + " is not a number >= 0");
    *it->second = v;
    if (comma == text.size()) break;
  }
  return {};
}

}  // namespace

DimensionWeights normalised(DimensionWeights w) {
  const double sum = w.echo + w.exposure + w.sov;
  if (sum <= 0) return DimensionWeights{};
  return {w.echo / sum, w.exposure / sum, w.sov / sum};
}

lib::Result<DimensionWeights> parse_weights(std::string_view text) {
  DimensionWeights w;
  if (auto r = parse_pairs(text, "--weights", {{"echo", &w.echo}, {"exposure", &w.exposure}, {"sov", &w.sov}}); !r)
    return std::unexpected(r.error());
  if (w.echo + w.exposure + w.sov <= 0)
    return lib::fail(lib::ErrorKind::usage, "--weights: at least one weight must be above 0");
  return normalised(w);
}

lib::Result<EchoWeights> parse_echo_weights(std::string_view text) {
  EchoWeights w;
  if (auto r = parse_pairs(text, "--echo-weights",
                           {{"repost", &w.repost}, {"quote", &w.quote}, {"reply", &w.reply},
                            {"mention", &w.mention}, {"like", &w.like}});
      !r)
    return std::unexpected(r.error());
  return w;
}

}  // namespace influence::scoring
