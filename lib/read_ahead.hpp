#pragma once
// A reader that reads ahead on a thread of its own: splitting CSV lines or
// parsing JSON is a sixth of a posts import and a seventh of a follows
// import, and runs there beside the thread that writes to the store. The
// records, errors included, come out in input order as the wrapped reader
// gives them; a few batches of records are ever held, so memory stays bounded
// whichever side is faster.
//
// Each record is also read into the model there (to_account(), to_post(),
// to_follow()), as the record's own kind or else the one given: checking
// fields and parsing dates was a tenth of the writing thread's time in an
// accounts import and an eighth in a posts import, and the reading thread
// had room for it. (A million accounts import 15 % faster; posts and follows
// no faster: the writing thread then runs slower by as much, as if the two
// cores shared more than memory.)
#include <memory>
#include <optional>

#include "lib/model.hpp"
#include "lib/record_reader.hpp"

namespace influence::lib {

// A record read into the model. Only the member of `kind` is filled; its
// strings keep their buffers from one record to the next.
struct ModelRecord {
  std::optional<RecordKind> kind;  // nullopt: the record has no kind to read it as
  Result<void> read;               // an error names the file, line and field
  Account account;
  Post post;
  Follow follow;
};

class ReadAhead : public RecordReader {
 public:
  // The record the last next() gave, read into the model; the caller may
  // take (swap out) its values. Valid until the next call to next().
  virtual ModelRecord& model() = 0;
};

// `reader` read on another thread from now on, each record read into the
// model as its own kind or else `as`. Its first_field_names() and
// rejects_header() are read first, on this one.
std::unique_ptr<ReadAhead> read_ahead(std::unique_ptr<RecordReader> reader, std::optional<RecordKind> as = {});

}  // namespace influence::lib
