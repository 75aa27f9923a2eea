// The topics file parser, the matcher built from it, and the tokenizer.
#include <cstdint>
#include <string>

#include "lib/topic.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace influence::lib;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)tokenize(text, {text});
  auto file = TopicFile::parse(text, "fuzz");
  if (!file) {
    // The same bytes as a --topic value.
    if (auto t = resolve_topic(text, nullptr)) {
      if (auto m = TopicMatcher::build({*t}, nullptr)) (void)m->matches(text, {}, "");
    }
    return 0;
  }
  for (const auto& topic : file->topics()) {
    (void)describe(topic);
    auto m = TopicMatcher::build({topic}, &*file);
    if (!m) continue;
    (void)m->matches("Poudreuse fraîche ce matin #SkiAlpin https://x.example @a", {"SkiAlpin"}, "fr");
    (void)m->matches(text, {}, "");
  }
  return 0;
}
