#pragma once
// The whole store as a corpus, read from SQLite: what the column cache holds
// and what a reading command builds when the cache is missing or stale.
#include <sqlite3.h>

#include <string>

#include "lib/corpus.hpp"
#include "lib/error.hpp"

namespace influence::lib {

// Reads every account, counter snapshot, post and follow of `db` (a store
// at `path`, whose size sizes the text blob) into a corpus with its posts in
// (created_at, id) order. Call inside a read transaction: the posts are read
// on a second thread (SQLite and tokenising on one, the corpus on the
// other), and both must see the same content.
Result<Corpus> read_store_corpus(sqlite3* db, const std::string& path);

}  // namespace influence::lib
