#include <doctest/doctest.h>

#include "lib/timeutil.hpp"

using namespace influence::lib;

TEST_CASE("RFC 3339 times parse to UTC seconds and format back") {
  CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339("2026-01-15") == 1768435200);
  CHECK(parse_rfc3339("2026-01-15T08:30:00Z") == 1768435200 + 8 * 3600 + 1800);
  CHECK(parse_rfc3339("2026-01-15T09:30:00+01:00") == parse_rfc3339("2026-01-15T08:30:00Z"));
  CHECK(parse_rfc3339("2026-01-15T08:30:00.123Z") == parse_rfc3339("2026-01-15T08:30:00Z"));
  CHECK(format_rfc3339(1768435200) == "2026-01-15T00:00:00Z");
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");
  CHECK_FALSE(parse_rfc3339("2026-02-30"));
  CHECK_FALSE(parse_rfc3339("2026-01-15T25:00:00Z"));
  CHECK_FALSE(parse_rfc3339("15/01/2026"));
  CHECK_FALSE(parse_rfc3339("2026-01-15T08:30:00Zjunk"));
  CHECK(parse_rfc3339("2024-02-29"));
}

TEST_CASE("durations count back from as-of") {
  CHECK(parse_duration("7d") == 7 * 86400);
  CHECK(parse_duration("4w") == 28 * 86400);
  CHECK(parse_duration("24h") == 86400);
  CHECK_FALSE(parse_duration("7"));
  CHECK_FALSE(parse_duration("d"));
  CHECK_FALSE(parse_duration("-3d"));
  CHECK_FALSE(parse_duration("3y"));
  CHECK(parse_time_or_duration("7d", 1'000'000, "--since") == 1'000'000 - 7 * 86400);
  auto bad = parse_time_or_duration("yesterday", 0, "--since");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::usage);
  CHECK(bad.error().message.find("--since") != std::string::npos);
}
