#pragma once
// Readers that turn CSV, JSON Lines or JSON input into RawRecords, one at a
// time, reporting bad records with their line and letting the caller go on.
#include <memory>
#include <string>
#include <vector>

#include "lib/error.hpp"
#include "lib/line_source.hpp"
#include "lib/raw_record.hpp"

namespace influence::lib {

enum class InputFormat { csv, jsonl, json };
const char* to_string(InputFormat f);
std::optional<InputFormat> parse_input_format(std::string_view text);

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // true: `out` holds the next record; false: end of input; an Error: that
  // record is bad. After an error, call again for the next record unless
  // fatal() says the rest of the input cannot be read.
  virtual Result<bool> next(RawRecord& out) = 0;
  virtual bool fatal() const { return false; }
  // What a rejects file must start with to be re-importable (the CSV header).
  virtual std::string rejects_header() const { return {}; }
  // Field names from the header (CSV) or the first record (JSON), for kind detection.
  virtual std::vector<std::string> first_field_names() = 0;
  virtual const LineSource& source() const = 0;
  // The source's bytes read so far (for progress), and whether reading it
  // failed (asked at the end of the input).
  virtual std::uint64_t bytes_read() const { return source().bytes_read(); }
  virtual bool read_error() const { return source().read_error(); }
};

// Format from the file name's extension, else from the first bytes.
InputFormat detect_format(const std::string& path, LineSource& src);

Result<std::unique_ptr<RecordReader>> make_reader(InputFormat format, std::unique_ptr<LineSource> src);

}  // namespace influence::lib
