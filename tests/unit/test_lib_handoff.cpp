#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "lib/handoff.hpp"

using namespace influence::lib;

namespace {

struct Numbers {
  std::vector<int> values;
};

// `batches` batches of three numbers through a handoff of `depth`, the
// producer or the consumer pausing after each batch. What the consumer saw,
// in order, and the buffers it saw them in.
struct Seen {
  std::vector<int> values;
  std::set<const int*> buffers;
};
Seen pass(std::size_t depth, int batches, bool slow_producer) {
  Handoff<Numbers> h(depth);
  const auto pause = [] { std::this_thread::sleep_for(std::chrono::microseconds(50)); };
  std::thread producer([&] {
    for (int b = 0; b < batches; ++b) {
      auto batch = h.take_empty();
      REQUIRE(batch);
      batch->values.assign({3 * b, 3 * b + 1, 3 * b + 2});
      h.put_full(std::move(*batch));
      if (slow_producer) pause();
    }
    h.close();
  });
  Seen seen;
  while (auto batch = h.take_full()) {
    seen.values.insert(seen.values.end(), batch->values.begin(), batch->values.end());
    seen.buffers.insert(batch->values.data());
    h.give_back(std::move(*batch));
    if (!slow_producer) pause();
  }
  producer.join();
  return seen;
}

}  // namespace

TEST_CASE("every batch arrives once and in order, whichever side waits, and no more buffers than the depth exist") {
  for (const std::size_t depth : {1, 2, 3, 4, 5, 8}) {
    for (const bool slow_producer : {false, true}) {
      CAPTURE(depth);
      CAPTURE(slow_producer);
      const auto seen = pass(depth, 60, slow_producer);
      REQUIRE(seen.values.size() == 180);
      for (int i = 0; i < 180; ++i) CHECK(seen.values[static_cast<std::size_t>(i)] == i);
      CHECK(seen.buffers.size() <= depth);
    }
  }
}

TEST_CASE("a consumer waiting for half of the batches gets the last ones when the producer closes") {
  Handoff<Numbers> h(8);
  std::thread producer([&] {
    auto batch = h.take_empty();
    batch->values = {7};
    h.put_full(std::move(*batch));
    h.close();
  });
  auto first = h.take_full();
  REQUIRE(first);
  CHECK(first->values == std::vector<int>{7});
  h.give_back(std::move(*first));
  CHECK_FALSE(h.take_full());
  producer.join();
}

TEST_CASE("a consumer that stops releases a producer waiting for an empty batch") {
  Handoff<Numbers> h(4);
  int filled = 0;
  std::thread producer([&] {
    // Fills every batch, then waits for one back until the consumer stops.
    while (auto batch = h.take_empty()) {
      batch->values = {filled++};
      h.put_full(std::move(*batch));
    }
  });
  // Every batch taken and none given back: the producer is left waiting.
  std::vector<Numbers> held;
  for (int i = 0; i < 4; ++i) {
    auto batch = h.take_full();
    REQUIRE(batch);
    CHECK(batch->values == std::vector<int>{i});
    held.push_back(std::move(*batch));
  }
  h.stop();
  producer.join();
  CHECK(filled == 4);
}
