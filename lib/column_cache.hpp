#pragma once
// The column cache: a whole-store Corpus written beside the store
// (influence.db -> influence.db.columns) in a flat binary form, so that
// reading commands load fixed-size columns instead of stepping through every
// row of SQLite and tokenising every text again. It is only a cache: it names
// the store content it was made from (a random store id and a generation that
// every write transaction bumps), and anything that does not match, or does
// not read back whole and in range, is ignored and rebuilt.
#include <cstdint>
#include <optional>
#include <string>

#include "lib/corpus.hpp"
#include "lib/error.hpp"

namespace influence::lib {

struct ContentVersion {
  std::int64_t store_id = 0;
  std::int64_t generation = 0;
  bool operator==(const ContentVersion&) const = default;
};

// Where the cache of a store file lives; "" for a store that is not a file.
std::string column_cache_path(const std::string& store_path);

// The cached corpus when the file exists, matches `version` and this build's
// format, and passes check_indices(c, true) (in its two parts, the columns
// checked while the accounts are read); nullopt otherwise.
std::optional<Corpus> read_column_cache(const std::string& path, ContentVersion version);

// Gives back the resident pages of the cache file `c` was read from (they
// stay in the page cache and are read again when touched); nothing for a
// corpus that was not read from a cache. For a corpus held through a long
// import, which check_indices() touched whole.
void release_mapped_pages(const Corpus& c);

// Writes atomically (temporary file, fsync, rename) so that a reader never
// sees half a cache. The cache holds what the store holds: give it the
// store's permission bits, so it is never readable by more people.
Result<void> write_column_cache(const std::string& path, ContentVersion version, const Corpus& c,
                                unsigned permissions);

}  // namespace influence::lib
