#pragma once
// Errors that cross the library boundary: they carry where the problem is
// (file, line, field) so that the CLI can print one precise line.
#include <cstddef>
#include <expected>
#include <string>
#include <utility>

namespace influence::lib {

enum class ErrorKind {
  input,    // bad data in a file or stream the user gave us
  usage,    // a bad value in an option (duration, weights, topic...)
  store,    // the database could not be opened, read or written
  io,       // a file could not be read or written
  not_found, // an account, topic... that the user named does not exist
  network   // a remote source failed after retries (timeouts, HTTP errors, bad bodies)
};

struct Error {
  ErrorKind kind = ErrorKind::input;
  std::string message;
  std::string file;  // empty when not tied to a file
  std::size_t line = 0;  // 1-based; 0 when unknown
  std::string field; // empty when not tied to a field

  // "file:line: field 'x': message", leaving out the parts that are unknown.
  std::string describe() const;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected(Error{kind, std::move(message), {}, 0, {}});
}

inline std::unexpected<Error> fail_at(std::string file, std::size_t line, std::string field,
                                      std::string message) {
  return std::unexpected(
      Error{ErrorKind::input, std::move(message), std::move(file), line, std::move(field)});
}

}  // namespace influence::lib
