#include "tests/fuzz/fuzz_records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::records(influence::lib::InputFormat::json, data, size);
  return 0;
}
