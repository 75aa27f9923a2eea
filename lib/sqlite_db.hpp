#pragma once
// Thin RAII wrappers over the SQLite C API, used only by the SQLite store.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lib/error.hpp"

namespace influence::lib::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(Statement&& o) noexcept : stmt_(o.stmt_), db_(o.db_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept {
    std::swap(stmt_, o.stmt_);
    db_ = o.db_;
    return *this;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Statement& reset();
  Statement& bind(int i, std::string_view v);
  // Binds `v` without copying it: it must stay as it is until the statement
  // has been stepped, and the statement must be bound again before the next
  // step (as reset() then binding every parameter does).
  Statement& bind_static(int i, std::string_view v);
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, const std::optional<std::int64_t>& v);
  Statement& bind_null(int i);
  // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
  Result<bool> step();
  Result<void> run();  // step until done

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<std::int64_t> opt_int64(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(stmt_, col);
  }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::string_view text_view(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string_view(reinterpret_cast<const char*>(p),
                                static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

// The name errors give a database: the path as the user wrote it, not
// SQLite's absolute one.
void set_display_name(sqlite3* db, const std::string& name);
void forget_display_name(sqlite3* db);

// An error for the last failure on `db`, with a hint for the common cases.
Error db_error(sqlite3* db, std::string_view what);

Result<void> exec(sqlite3* db, const char* sql);

// sqlite3_open_v2() with no VFS, after configuring SQLite for this process
// (once, before its first connection).
int open(const std::string& path, int flags, sqlite3** db);

}  // namespace influence::lib::sqlite
