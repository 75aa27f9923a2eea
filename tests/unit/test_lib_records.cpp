#include <doctest/doctest.h>

#include "lib/line_source.hpp"
#include "lib/record_reader.hpp"
#include "lib/records.hpp"

using namespace influence::lib;

namespace {

std::vector<Result<bool>> read_all(InputFormat f, std::string text, std::vector<RawRecord>& records) {
  auto reader = make_reader(f, LineSource::from_string(std::move(text), "in"));
  REQUIRE(reader);
  std::vector<Result<bool>> out;
  for (;;) {
    RawRecord r;
    auto got = (*reader)->next(r);
    if (got && !*got) break;
    out.push_back(got);
    records.push_back(r);
    if (!got && (*reader)->fatal()) break;
  }
  return out;
}

// A post written as native cells and read back.
Result<Post> read_back(const Post& p) {
  const auto cells = to_cells(p);
  RawRecord r;
  const auto names = field_names(RecordKind::posts);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (!cells[i].empty()) r.fields.push_back({std::string(names[i]), RawField::Type::string, cells[i], {}});
  return to_post(r, "x");
}

}  // namespace

TEST_CASE("CSV: quotes, doubled quotes, embedded newlines, CRLF and BOM") {
  std::vector<RawRecord> recs;
  auto res = read_all(InputFormat::csv,
                      "\xEF\xBB\xBFid,display_name\r\n"
                      "test:a,\"Alice, \"\"the\"\" skier\"\r\n"
                      "test:b,\"two\nlines\"\r\n",
                      recs);
  REQUIRE(res.size() == 2);
  CHECK(res[0]);
  CHECK(recs[0].get("id")->text == "test:a");
  CHECK(recs[0].get("display_name")->text == "Alice, \"the\" skier");
  CHECK(recs[1].get("display_name")->text == "two\nlines");
  CHECK(recs[1].line == 3);
}

TEST_CASE("CSV errors name the line and, where it applies, the field") {
  std::vector<RawRecord> recs;
  auto res = read_all(InputFormat::csv, "id,handle\ntest:a,x,extra\ntest:b,\"open\ntest:c,y\n", recs);
  REQUIRE(res.size() >= 2);
  REQUIRE_FALSE(res[0]);
  CHECK(res[0].error().line == 2);
  CHECK(res[0].error().message.find("expected 2 fields") != std::string::npos);
  REQUIRE_FALSE(res[1]);
  CHECK(res[1].error().message.find("unterminated") != std::string::npos);
  recs.clear();
  res = read_all(InputFormat::csv, "id,handle\ntest:a,\xC3\x28\n", recs);
  REQUIRE_FALSE(res[0]);
  CHECK(res[0].error().field == "handle");
}

TEST_CASE("JSON Lines and JSON documents keep each record's line") {
  std::vector<RawRecord> recs;
  auto res = read_all(InputFormat::jsonl, "{\"id\":\"test:a\",\"followers\":5}\n\n{\"id\": oops}\n{\"id\":\"test:c\"}\n", recs);
  REQUIRE(res.size() == 3);
  CHECK(res[0]);
  CHECK(recs[0].get("followers")->type == RawField::Type::number);
  REQUIRE_FALSE(res[1]);
  CHECK(res[1].error().line == 3);
  CHECK(res[1].error().message.find("JSON syntax error") != std::string::npos);
  CHECK(res[2]);
  recs.clear();
  res = read_all(InputFormat::json, "{\"accounts\": [\n {\"id\":\"test:a\"},\n {\"id\":\"test:b\"}\n]}\n", recs);
  REQUIRE(res.size() == 2);
  CHECK(recs[1].line == 3);
  CHECK(recs[1].kind == RecordKind::accounts);
  CHECK(recs[1].verbatim == "{\"id\":\"test:b\"}");
}

TEST_CASE("records check ids, counts and dates field by field") {
  RawRecord r;
  r.line = 7;
  r.fields = {{"id", RawField::Type::string, "test:a", {}}, {"followers", RawField::Type::string, "-3", {}}};
  auto a = to_account(r, "f.csv");
  REQUIRE_FALSE(a);
  CHECK(a.error().describe() == "f.csv:7: field 'followers': negative count '-3'");
  r.fields = {{"id", RawField::Type::string, "no-platform", {}}};
  CHECK(to_account(r, "f").error().field == "id");
  r.fields = {{"id", RawField::Type::string, "test:p", {}}, {"author", RawField::Type::string, "test:a", {}},
              {"created_at", RawField::Type::string, "yesterday", {}}};
  CHECK(to_post(r, "f").error().field == "created_at");
  r.fields = {{"id", RawField::Type::string, "test:a", {}}, {"followers", RawField::Type::number, "99999999999999999999", {}}};
  CHECK(to_account(r, "f").error().message.find("too large") != std::string::npos);
  r.fields = {{"id", RawField::Type::string, "test:a", {}}, {"followers", RawField::Type::number, "5000000000", {}}};
  CHECK(to_account(r, "f")->followers == 5'000'000'000);
}

TEST_CASE("a record written as cells or JSON reads back the same") {
  Post p;
  p.id = "test:p1";
  p.author = "test:a";
  p.created_at = 1768435200;
  p.text = "Poudreuse, \"fraîche\"\nce matin";
  p.hashtags = {"ski", "SkiAlpin"};
  p.mentions = {"test:b"};
  p.likes = 3;
  auto back = read_back(p);
  REQUIRE(back);
  CHECK(*back == p);
  CHECK(to_json(p).find("\"hashtags\":[\"ski\",\"SkiAlpin\"]") != std::string::npos);
}

TEST_CASE("hashtags lose every leading '#', so a post reads back as it was written") {
  // Found by fuzz_json: "##s1" read as "#s1", which read back as "s1".
  RawRecord r;
  r.fields.push_back({"id", RawField::Type::string, "test:p1", {}});
  r.fields.push_back({"author", RawField::Type::string, "test:a", {}});
  r.fields.push_back({"created_at", RawField::Type::string, "2026-01-15T00:00:00Z", {}});
  r.fields.push_back({"hashtags", RawField::Type::string, "ski ##freeride ### #Poudreuse", {}});
  auto p = to_post(r, "x");
  REQUIRE(p);
  CHECK(p->hashtags == std::vector<std::string>{"ski", "freeride", "Poudreuse"});
  auto back = read_back(*p);
  REQUIRE(back);
  CHECK(*back == *p);
}
