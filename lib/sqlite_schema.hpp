#pragma once
// The SQLite store's schema, as a list of migrations: migration i brings a
// store from user_version i to i+1. Never edit a migration that has shipped;
// add one.
#include <array>

namespace influence::lib::sqlite {

inline constexpr std::array migrations{
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE accounts (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,          -- platform-qualified
  platform TEXT NOT NULL,
  handle TEXT NOT NULL DEFAULT '',
  display_name TEXT NOT NULL DEFAULT '',
  bio TEXT NOT NULL DEFAULT '',
  followers INTEGER, following INTEGER, posts INTEGER,
  verified INTEGER,
  language TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT '',
  created_at INTEGER,
  person TEXT NOT NULL DEFAULT '',
  observed_at INTEGER,
  stub INTEGER NOT NULL DEFAULT 0   -- known only because a post or follow names it
);
-- Every counter snapshot, so that a window ending in the past sees the
-- counters of its time.
CREATE TABLE account_counts (
  account INTEGER NOT NULL REFERENCES accounts(rid),
  observed_at INTEGER NOT NULL,
  followers INTEGER, following INTEGER, posts INTEGER,
  PRIMARY KEY (account, observed_at)
) WITHOUT ROWID;
CREATE TABLE posts (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,          -- platform-qualified
  author INTEGER NOT NULL REFERENCES accounts(rid),
  created_at INTEGER NOT NULL,      -- Unix seconds, UTC
  text TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  hashtags TEXT NOT NULL DEFAULT '', -- space-separated, as written
  mentions TEXT NOT NULL DEFAULT '', -- space-separated account ids
  reply_to TEXT NOT NULL DEFAULT '',
  reply_to_author TEXT NOT NULL DEFAULT '',
  repost_of TEXT NOT NULL DEFAULT '',
  quote_of TEXT NOT NULL DEFAULT '',
  likes INTEGER, reposts INTEGER, replies INTEGER, quotes INTEGER, views INTEGER,
  observed_at INTEGER
);
CREATE INDEX posts_by_time ON posts(created_at);
CREATE INDEX posts_by_author ON posts(author, created_at);
CREATE TABLE follows (
  followee INTEGER NOT NULL REFERENCES accounts(rid),
  follower INTEGER NOT NULL REFERENCES accounts(rid),
  observed_at INTEGER,
  PRIMARY KEY (followee, follower)
) WITHOUT ROWID;
CREATE INDEX follows_by_follower ON follows(follower);
)sql",
    // 1 -> 2: nothing reads follows by follower, and the index made every
    // follow insert touch a second B-tree in random order.
    R"sql(
DROP INDEX follows_by_follower;
)sql",
    // 2 -> 3: where each paginated fetch stands, for --resume.
    R"sql(
CREATE TABLE fetch_state (
  key TEXT PRIMARY KEY,             -- platform, endpoint and subject of the fetch
  next TEXT NOT NULL,               -- the next page's URL, '' after the last page
  pages INTEGER NOT NULL,
  items INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 3 -> 4: what the column cache beside the store is checked against: a
    // random id for this store, and a generation every write transaction bumps.
    R"sql(
CREATE TABLE store_generation (
  store_id INTEGER NOT NULL,
  generation INTEGER NOT NULL
);
INSERT INTO store_generation VALUES (random(), 0);
)sql",
    // 4 -> 5: nothing reads posts by author (scoring reads the column cache,
    // or the whole table in row order), and the index cost every post insert
    // a descent into a second B-tree in random order: a quarter of an import.
    R"sql(
DROP INDEX posts_by_author;
)sql",
    // 5 -> 6: scoring never reads posts by time (windows are cut from the
    // column cache, or from the whole table read in row order and sorted;
    // stats finds the span in its pass over the posts), and the index cost
    // every post insert a descent into a third B-tree: a tenth of an import
    // of a million posts, 6 % at ten million. Its one reader was export's
    // --since/--until, which now scans the table for a narrow window and
    // walks the id index for a wide one (SqliteStore::each_post): a day of
    // ten million posts in 2.0 s, where the time index took 4.1 s.
    R"sql(
DROP INDEX posts_by_time;
)sql",
};

}  // namespace influence::lib::sqlite
