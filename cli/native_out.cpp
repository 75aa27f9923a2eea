#include "cli/native_out.hpp"

#include "lib/records.hpp"

namespace influence::cli {

NativeWriter::NativeWriter(Sink& sink, lib::InputFormat format, lib::RecordKind kind, bool header)
    : sink_(sink), format_(format) {
  if (format_ == lib::InputFormat::csv && header) {
    std::string h;
    for (auto name : lib::field_names(kind)) {
      if (!h.empty()) h += ',';
      h += name;
    }
    sink_.write(h + "\n");
  }
  if (format_ == lib::InputFormat::json) sink_.write("[");
}

void NativeWriter::line(const std::vector<std::string>& cells, const std::string& json) {
  switch (format_) {
    case lib::InputFormat::csv: {
      std::string row;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) row += ',';
        row += csv_field(cells[i]);
      }
      sink_.write(row + "\n");
      break;
    }
    case lib::InputFormat::jsonl: sink_.write(json + "\n"); break;
    case lib::InputFormat::json: sink_.write((first_ ? "\n" : ",\n") + json); break;
  }
  first_ = false;
}

void NativeWriter::end() {
  if (format_ == lib::InputFormat::json) sink_.write(first_ ? "]\n" : "\n]\n");
}

lib::Result<lib::InputFormat> native_format(const std::string& format, const std::string& output) {
  if (format.empty()) {
    if (output.ends_with(".jsonl") || output.ends_with(".ndjson")) return lib::InputFormat::jsonl;
    if (output.ends_with(".json")) return lib::InputFormat::json;
    return lib::InputFormat::csv;
  }
  if (auto f = lib::parse_input_format(format)) return *f;
  return lib::fail(lib::ErrorKind::usage, "--format: '" + format + "' is not csv, jsonl or json");
}

}  // namespace influence::cli
