#pragma once
// Times are seconds since the Unix epoch, UTC, everywhere inside the program;
// RFC 3339 text only at the edges.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lib/error.hpp"

namespace influence::lib {

using Timestamp = std::int64_t;

// Accepts "2026-01-15", "2026-01-15T08:30:00Z", "2026-01-15T08:30:00.123+01:00",
// "2026-01-15 08:30:00" (taken as UTC). Fractions of a second are dropped.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// "2026-01-15T08:30:00Z"
std::string format_rfc3339(Timestamp t);

// "7d", "4w", "24h", "90m", "30s" -> seconds; nullopt when not a duration.
std::optional<std::int64_t> parse_duration(std::string_view text);

// A window bound: an RFC 3339 date/time, or a duration counted back from as_of.
Result<Timestamp> parse_time_or_duration(std::string_view text, Timestamp as_of,
                                         std::string_view option);

Timestamp now_utc();

}  // namespace influence::lib
