#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "lib/corpus.hpp"
#include "lib/text_arena.hpp"

using namespace influence::lib;

TEST_CASE("the text arena's copies keep their bytes while more are added") {
  TextArena arena;
  std::vector<std::string> originals;
  std::vector<std::string_view> copies;
  // Past several chunks of 1 MiB, with one string longer than a chunk.
  for (int i = 0; i < 60'000; ++i) {
    originals.push_back("mastodon:@user" + std::to_string(i) + "@instance" + std::to_string(i % 97) + ".example");
    if (i == 30'000) originals.back() += std::string(3u << 20, 'x');
    copies.push_back(arena.add(originals.back()));
  }
  for (std::size_t i = 0; i < originals.size(); ++i) {
    REQUIRE(copies[i] == originals[i]);
    CHECK(copies[i].data() != originals[i].data());
  }
  CHECK(arena.add("").empty());
}

TEST_CASE("the text arena keeps what it is given alive") {
  auto owner = std::make_shared<const std::string>("held by the arena");
  const std::weak_ptr<const std::string> watch = owner;
  {
    TextArena arena;
    arena.keep(std::move(owner));
    CHECK(!watch.expired());
  }
  CHECK(watch.expired());
}

TEST_CASE("a window selected from a corpus shares the bytes of its accounts") {
  std::string_view id;
  std::weak_ptr<TextArena> bytes;
  Corpus window;
  {
    Corpus whole;
    whole.since = INT64_MIN;
    whole.until = INT64_MAX;
    CorpusAccount a;
    a.id = whole.account_text->add(std::string("test:") + "alice");
    a.platform = whole.account_text->add(std::string("test"));
    a.handle = whole.account_text->add(std::string("alice"));
    whole.accounts.push_back(a);
    id = a.id;
    bytes = whole.account_text;
    // A narrower window, and only the test platform: the copying form of select().
    window = select(whole, CorpusQuery{0, 100, {"test"}});
  }
  CHECK(!bytes.expired());  // the whole corpus is gone, its accounts' bytes are not
  REQUIRE(window.accounts.size() == 1);
  CHECK(window.accounts[0].id.data() == id.data());
  CHECK(window.accounts[0].id == "test:alice");
  CHECK(window.accounts[0].handle == "alice");
}
