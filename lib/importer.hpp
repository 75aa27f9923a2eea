#pragma once
// Import: reads native CSV / JSON Lines / JSON files into the store in one
// transaction. Bad records are counted and handed to the caller; past
// max_errors of them the whole import is undone.
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lib/batch.hpp"
#include "lib/record_reader.hpp"
#include "lib/store.hpp"

namespace influence::lib {

struct Tally {
  std::int64_t inserted = 0, updated = 0, unchanged = 0, rejected = 0;
  std::int64_t total() const { return inserted + updated + unchanged + rejected; }
};

struct ImportSummary {
  std::array<Tally, 3> by_kind{};  // indexed by RecordKind
  std::int64_t stubs = 0;          // accounts created because posts or follows named them
  std::vector<Error> errors;       // the rejected records' errors, in input order
};

struct Rejected {
  std::string source;        // the input it came from
  InputFormat format;
  std::string header;        // what a file of such rejects starts with (CSV header)
  std::string verbatim;      // the record as it was in the input
};

struct ImportOptions {
  std::optional<RecordKind> kind;      // detected per input when absent
  std::optional<InputFormat> format;   // detected per input when absent
  bool twitter = false;                // inputs are Twitter/X v1.1 or v2 JSON (--format twitter)
  std::size_t max_errors = 0;          // bad records tolerated before giving up
  std::function<void(const Rejected&)> on_reject;
  // Called now and then: input name, bytes read, input size (0 when unknown).
  std::function<void(const std::string&, std::uint64_t, std::uint64_t)> on_progress;
};

// Imports every input ("-" is standard input) in one transaction: on error the
// store is left exactly as it was.
Result<ImportSummary> import_inputs(Store& store, const std::vector<std::string>& inputs,
                                    const ImportOptions& options);

// The same for an input already opened (used by tests and by URL imports).
Result<ImportSummary> import_sources(Store& store, std::vector<std::unique_ptr<LineSource>> sources,
                                     const ImportOptions& options);

// Puts a batch's records (accounts, then posts, then follows) inside the
// caller's transaction, counting the outcomes into `summary`.
Result<void> put_batch(Store& store, const Batch& batch, ImportSummary& summary);

}  // namespace influence::lib
