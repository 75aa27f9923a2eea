#include "lib/sqlite_db.hpp"

#include <mutex>
#include <unordered_map>

namespace influence::lib::sqlite {

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK)
    stmt_ = nullptr;
}

Statement& Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_static(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Statement& Statement::bind(int i, const std::optional<std::int64_t>& v) {
  if (v) sqlite3_bind_int64(stmt_, i, *v);
  else sqlite3_bind_null(stmt_, i);
  return *this;
}

Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(db_error(db_, "query failed"));
}

Result<void> Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return std::unexpected(r.error());
    if (!*r) return {};
  }
}

namespace {
std::mutex names_mutex;
std::unordered_map<sqlite3*, std::string>& names() {
  static std::unordered_map<sqlite3*, std::string> n;
  return n;
}
}  // namespace

void set_display_name(sqlite3* db, const std::string& name) {
  std::lock_guard lock(names_mutex);
  names()[db] = name;
}

void forget_display_name(sqlite3* db) {
  std::lock_guard lock(names_mutex);
  names().erase(db);
}

Error db_error(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db);
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      msg = "store is busy: another influence process is writing to it; try again when it ends";
      break;
    case SQLITE_FULL: msg = std::string(what) + ": disk full"; break;
    case SQLITE_READONLY: msg = std::string(what) + ": the store is read-only (check the file's permissions)"; break;
    case SQLITE_NOTADB: msg = "not an influence store (the file is not an SQLite database)"; break;
    case SQLITE_CORRUPT: msg = "the store is damaged (" + std::string(sqlite3_errmsg(db)) + ")"; break;
    case SQLITE_IOERR:
      if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_TRUNCATE)
        msg = std::string(what) + ": cannot write the store (disk full, or a file size limit?)";
      break;
    default: break;
  }
  std::string name;
  {
    std::lock_guard lock(names_mutex);
    if (auto it = names().find(db); it != names().end()) name = it->second;
  }
  return Error{ErrorKind::store, msg, name, 0, {}};
}

Result<void> exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return std::unexpected(db_error(db, "store"));
  }
  return {};
}

int open(const std::string& path, int flags, sqlite3** db) {
  // SQLite counts each allocation it makes and frees, under a mutex of the
  // whole process, for statistics nothing here reads (sqlite3_memory_used(),
  // a soft heap limit): two mutex calls per allocation, 4 % of a posts
  // import's writing thread. Only possible before SQLite starts; should something in
  // the process have started it already, the counting stays, harmlessly.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  return sqlite3_open_v2(path.c_str(), db, flags, nullptr);
}

}  // namespace influence::lib::sqlite
