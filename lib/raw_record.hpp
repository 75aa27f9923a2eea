#pragma once
// A record as read from CSV or JSON, before it is checked against the model:
// named fields with loosely typed values, plus where it came from.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/model.hpp"

namespace influence::lib {

struct RawField {
  enum class Type { null, boolean, number, string, list };
  std::string name;
  Type type = Type::null;
  std::string text;                // boolean: "true"/"false"; number: as written
  std::vector<std::string> items;  // list
};

struct RawRecord {
  std::size_t line = 0;
  std::string verbatim;  // the source text, for --rejects
  std::optional<RecordKind> kind;  // when the container says (JSON object of arrays)
  std::vector<RawField> fields;
  // Set by a reader that named `fields` as its records' (0: none did), to
  // skip naming them again when the same record comes back to be refilled.
  std::uint64_t named_by = 0;

  const RawField* get(std::string_view name) const {
    for (const auto& f : fields)
      if (f.name == name) return &f;
    return nullptr;
  }
};

}  // namespace influence::lib
