#pragma once
// Writes accounts, posts and follows in the native formats of
// influence-formats(5), so that what filter and export write imports back.
#include <string>

#include "cli/output.hpp"
#include "lib/model.hpp"
#include "lib/record_reader.hpp"
#include "lib/records.hpp"

namespace influence::cli {

class NativeWriter {
 public:
  NativeWriter(Sink& sink, lib::InputFormat format, lib::RecordKind kind, bool header);
  void write(const lib::Account& a) { line(lib::to_cells(a), lib::to_json(a)); }
  void write(const lib::Post& p) { line(lib::to_cells(p), lib::to_json(p)); }
  void write(const lib::Follow& f) { line(lib::to_cells(f), lib::to_json(f)); }
  void end();

 private:
  void line(const std::vector<std::string>& cells, const std::string& json);
  Sink& sink_;
  lib::InputFormat format_;
  bool first_ = true;
};

// --format for native data: csv, jsonl or json; default from -o's extension, else csv.
lib::Result<lib::InputFormat> native_format(const std::string& format, const std::string& output);

}  // namespace influence::cli
