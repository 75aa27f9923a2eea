#pragma once
// A reader that reads ahead on a thread of its own: splitting CSV lines or
// parsing JSON is a sixth of a posts import and a seventh of a follows
// import, and runs there beside the thread that writes to the store. The
// records, errors included, come out in input order as the wrapped reader
// gives them; a few batches of records are ever held, so memory stays bounded
// whichever side is faster.
#include <memory>

#include "lib/record_reader.hpp"

namespace influence::lib {

// `reader` read on another thread from now on. Its first_field_names() and
// rejects_header() are read first, on this one.
std::unique_ptr<RecordReader> read_ahead(std::unique_ptr<RecordReader> reader);

}  // namespace influence::lib
