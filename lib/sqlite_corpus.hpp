#pragma once
// The whole store as a corpus, read from SQLite: what the column cache holds
// and what a reading command builds when the cache is missing or stale.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "lib/column_cache.hpp"
#include "lib/corpus.hpp"
#include "lib/error.hpp"

namespace influence::lib {

// What the store at `path` holds: its id and the generation that every
// write transaction bumps (what the column cache is checked against).
Result<ContentVersion> content_version(sqlite3* db, const std::string& path);

// The largest row id of the accounts table; 0 when it has none.
Result<std::int64_t> last_account_rid(sqlite3* db);

// Every account in row id order (stubs too) and every counter snapshot, by
// account then time, into `c`; index_of_rid[rid] is an account's index
// (no_index for row ids that hold none).
Result<void> read_store_accounts(sqlite3* db, Corpus& c, std::vector<std::uint32_t>& index_of_rid);

// The permutation that puts the posts of `c` in (created_at, id) order (byte
// order of the ids, as SQLite's BINARY collation compares them), for
// reorder_posts(); empty when they are in that order already.
std::vector<std::uint32_t> time_order(const Corpus& c);

// Reads every account, counter snapshot, post and follow of `db` (a store
// at `path`, whose size sizes the text blob) into a corpus with its posts in
// (created_at, id) order. Call inside a read transaction that has read
// `version`: the follows are read on a second connection when it sees that
// same version.
Result<Corpus> read_store_corpus(sqlite3* db, const std::string& path, ContentVersion version);

}  // namespace influence::lib
