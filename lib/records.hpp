#pragma once
// The native formats: which fields each kind has, how a RawRecord becomes a
// model value (with errors naming the field), and how values are written back.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lib/model.hpp"
#include "lib/raw_record.hpp"

namespace influence::lib {

// Field names in their documented order (the CSV header order on export).
std::span<const std::string_view> field_names(RecordKind kind);

// The kind a set of field names describes, or nullopt when they fit none.
std::optional<RecordKind> detect_kind(const std::vector<std::string>& names);

// A field name that is not part of `kind`, or empty when all are known.
std::string unknown_field(RecordKind kind, const std::vector<std::string>& names);
// The known field nearest to a misspelt one, or empty when none is close.
std::string closest_field(RecordKind kind, std::string_view name);

Result<Account> to_account(const RawRecord& r, const std::string& file);
Result<Post> to_post(const RawRecord& r, const std::string& file);
Result<Follow> to_follow(const RawRecord& r, const std::string& file);
// The same into `out`, whose strings keep their buffers: a bulk import
// reuses its posts and follows rather than allocate a dozen strings a post
// and two ids a follow.
Result<void> to_post(const RawRecord& r, const std::string& file, Post& out);
Result<void> to_follow(const RawRecord& r, const std::string& file, Follow& out);

// Cells in field_names() order, as text ("" for absent values); lists are
// space-separated. The CSV and TSV writers quote/escape them.
std::vector<std::string> to_cells(const Account& a);
std::vector<std::string> to_cells(const Post& p);
std::vector<std::string> to_cells(const Follow& f);

// One JSON object, keys in field_names() order, absent values left out.
std::string to_json(const Account& a);
std::string to_json(const Post& p);
std::string to_json(const Follow& f);

}  // namespace influence::lib
