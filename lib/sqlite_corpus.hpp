#pragma once
// The whole store as a corpus, read from SQLite: what the column cache holds
// and what a reading command builds when the cache is missing or stale.
#include <sqlite3.h>

#include <string>

#include "lib/column_cache.hpp"
#include "lib/corpus.hpp"
#include "lib/error.hpp"

namespace influence::lib {

// What the store at `path` holds: its id and the generation that every
// write transaction bumps (what the column cache is checked against).
Result<ContentVersion> content_version(sqlite3* db, const std::string& path);

// Reads every account, counter snapshot, post and follow of `db` (a store
// at `path`, whose size sizes the text blob) into a corpus with its posts in
// (created_at, id) order. Call inside a read transaction that has read
// `version`: the follows are read on a second connection when it sees that
// same version.
Result<Corpus> read_store_corpus(sqlite3* db, const std::string& path, ContentVersion version);

}  // namespace influence::lib
