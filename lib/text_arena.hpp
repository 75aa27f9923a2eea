#pragma once
// Bytes that the views of a corpus point into, owned in one place: copies
// appended to chunks that never move, and whole buffers kept alive (the
// column cache's mapping, whose bytes the views already point into). A
// million accounts then hold views, not six million strings allocated,
// copied and freed one by one.
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace influence::lib {

class TextArena {
 public:
  TextArena() = default;
  TextArena(const TextArena&) = delete;  // shared through a pointer, never copied
  TextArena& operator=(const TextArena&) = delete;

  // A copy of `s` that lives as long as the arena.
  std::string_view add(std::string_view s);
  // Keeps `owner` (and so the bytes it holds) alive as long as the arena.
  void keep(std::shared_ptr<const void> owner) { kept_.push_back(std::move(owner)); }

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* at_ = nullptr;
  std::size_t left_ = 0;
  std::vector<std::shared_ptr<const void>> kept_;
};

}  // namespace influence::lib
