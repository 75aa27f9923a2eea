#include <doctest/doctest.h>

#include "lib/line_source.hpp"
#include "lib/read_ahead.hpp"
#include "lib/record_reader.hpp"
#include "lib/records.hpp"

using namespace influence::lib;

namespace {

std::vector<Result<bool>> read_all(InputFormat f, std::string text, std::vector<RawRecord>& records,
                                   bool ahead = false) {
  auto reader = make_reader(f, LineSource::from_string(std::move(text), "in"));
  REQUIRE(reader);
  if (ahead) *reader = read_ahead(std::move(*reader));
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

// A record read into a value used before is rejected as when read afresh.
template <class Made>
void same_rejection(const Result<void>& into, const Result<Made>& made) {
  REQUIRE_FALSE(into);
  REQUIRE_FALSE(made);
  CHECK(into.error().message == made.error().message);
  CHECK(into.error().field == made.error().field);
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

TEST_CASE("CSV: quoted cells among plain ones, wherever they fall in the record") {
  std::vector<RawRecord> recs;
  auto res = read_all(InputFormat::csv,
                      "id,handle,display_name,bio,location,url\n"
                      "test:a,plain,\"q,uoted\",more text,\"x\"\"y\",\n"
                      "test:b,,,\"\",last,\"end\"\n"
                      "test:c,h,a long plain cell without any quote at all,b,c,d\n"
                      "test:d,h,n,b,ab\"c,d\n",
                      recs);
  REQUIRE(res.size() == 4);
  REQUIRE(res[0]);
  CHECK(recs[0].get("handle")->text == "plain");
  CHECK(recs[0].get("display_name")->text == "q,uoted");
  CHECK(recs[0].get("bio")->text == "more text");
  CHECK(recs[0].get("location")->text == "x\"y");
  CHECK(recs[0].get("url")->type == RawField::Type::null);
  REQUIRE(res[1]);
  CHECK(recs[1].get("bio")->type == RawField::Type::null);
  CHECK(recs[1].get("location")->text == "last");
  CHECK(recs[1].get("url")->text == "end");
  REQUIRE(res[2]);
  CHECK(recs[2].get("display_name")->text == "a long plain cell without any quote at all");
  CHECK(recs[2].get("url")->text == "d");
  REQUIRE_FALSE(res[3]);
  CHECK(res[3].error().field == "location");
  CHECK(res[3].error().message.find("stray") != std::string::npos);
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

TEST_CASE("a reader read ahead on another thread gives the same records and errors in the same order") {
  // Over several of its batches, with bad records among the good ones.
  std::string csv = "id,handle,followers\n", jsonl;
  for (int i = 0; i < 1000; ++i) {
    const auto id = "test:u" + std::to_string(i);
    if (i % 97 == 5) {
      csv += id + ",only two\n";
      jsonl += "{\"id\": oops}\n";
    } else {
      csv += id + ",h" + std::to_string(i) + "," + std::to_string(i * 3) + "\n";
      jsonl += "{\"id\":\"" + id + "\",\"followers\":" + std::to_string(i) + "}\n";
    }
  }
  for (const auto& [format, text] : {std::pair{InputFormat::csv, csv}, std::pair{InputFormat::jsonl, jsonl}}) {
    CAPTURE(to_string(format));
    std::vector<RawRecord> plain, ahead;
    const auto a = read_all(format, text, plain);
    const auto b = read_all(format, text, ahead, true);
    REQUIRE(a.size() == 1000);
    REQUIRE(b.size() == a.size());
    std::size_t errors = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      CAPTURE(i);
      REQUIRE(a[i].has_value() == b[i].has_value());
      if (!a[i]) {
        ++errors;
        CHECK(a[i].error().message == b[i].error().message);
        CHECK(a[i].error().line == b[i].error().line);
      }
      CHECK(plain[i].verbatim == ahead[i].verbatim);
      CHECK(plain[i].line == ahead[i].line);
      REQUIRE(plain[i].fields.size() == ahead[i].fields.size());
      for (std::size_t k = 0; k < plain[i].fields.size(); ++k) {
        CHECK(plain[i].fields[k].name == ahead[i].fields[k].name);
        CHECK(plain[i].fields[k].text == ahead[i].fields[k].text);
      }
    }
    CHECK(errors == 11);
  }

  // The header is read before the thread starts, progress reaches the end,
  // and a reader dropped half-way stops its thread.
  auto reader = read_ahead(*make_reader(InputFormat::csv, LineSource::from_string(csv, "in")));
  CHECK(reader->first_field_names() == std::vector<std::string>{"id", "handle", "followers"});
  CHECK(reader->rejects_header() == "id,handle,followers\n");
  RawRecord r;
  while (true) {
    auto got = reader->next(r);
    if (got && !*got) break;
  }
  CHECK(reader->bytes_read() == csv.size());
  CHECK_FALSE(reader->read_error());
  auto dropped = read_ahead(*make_reader(InputFormat::csv, LineSource::from_string(csv, "in")));
  REQUIRE(dropped->next(r));
  CHECK(r.get("id")->text == "test:u0");
  dropped.reset();
}

TEST_CASE("a follow read into one used before holds nothing of the last") {
  std::vector<RawRecord> recs;
  auto res = read_all(InputFormat::csv,
                      "follower,followee,observed_at\n"
                      "test:a-long-follower-id,test:b-long-followee-id,2026-03-01T00:00:00Z\n"
                      "test:c,test:d,\n"
                      "test:e,test:e,\n"
                      "test:f,not-an-id,\n",
                      recs);
  REQUIRE(res.size() == 4);
  Follow f;
  REQUIRE(to_follow(recs[0], "f.csv", f));
  CHECK(f == Follow{"test:a-long-follower-id", "test:b-long-followee-id", *parse_rfc3339("2026-03-01")});
  REQUIRE(to_follow(recs[1], "f.csv", f));
  CHECK(f == Follow{"test:c", "test:d", std::nullopt});
  CHECK(f == *to_follow(recs[1], "f.csv"));
  // Rejected as the returning form rejects them, with the same message.
  for (const std::size_t i : {2, 3}) same_rejection(to_follow(recs[i], "f.csv", f), to_follow(recs[i], "f.csv"));
}

TEST_CASE("a post read into one used before holds nothing of the last") {
  std::vector<RawRecord> recs;
  auto res = read_all(InputFormat::csv,
                      "id,author,created_at,text,language,url,hashtags,mentions,reply_to,likes,observed_at\n"
                      "test:p-with-a-long-id,test:an-author-with-a-long-id,2026-03-01T08:00:00Z,"
                      "Première neige sur les pistes ce matin,fr,https://example.org/p/1,"
                      "#ski ### ##alpes #freeride,test:m1 test:m2 test:m3,test:p0,12,2026-03-02T00:00:00Z\n"
                      "test:q,test:b,2026-03-01T09:00:00Z,short,,,###,test:m4,,,\n"
                      "test:r,test:c,2026-03-01T10:00:00Z,,,,poudreuse,,,,\n"
                      "test:s,test:d,2026-03-01T11:00:00Z,,,,,not-an-id,,,\n"
                      "test:t,test:e,yesterday,,,,,,,,\n",
                      recs);
  REQUIRE(res.size() == 5);
  Post p;
  REQUIRE(to_post(recs[0], "p.csv", p));
  CHECK(p.hashtags == std::vector<std::string>{"ski", "alpes", "freeride"});
  CHECK(p.mentions == std::vector<std::string>{"test:m1", "test:m2", "test:m3"});
  CHECK(p.likes == 12);
  REQUIRE(to_post(recs[1], "p.csv", p));
  CHECK(p.id == "test:q");
  CHECK(p.text == "short");
  CHECK(p.hashtags.empty());
  CHECK(p.mentions == std::vector<std::string>{"test:m4"});
  CHECK(p.reply_to.empty());
  CHECK_FALSE(p.likes);
  CHECK_FALSE(p.observed_at);
  REQUIRE(to_post(recs[2], "p.csv", p));
  CHECK(p.hashtags == std::vector<std::string>{"poudreuse"});
  CHECK(p.mentions.empty());
  // Each the same as a post read afresh.
  for (const std::size_t i : {0, 1, 2}) {
    REQUIRE(to_post(recs[i], "p.csv", p));
    CHECK(p == *to_post(recs[i], "p.csv"));
  }
  // Rejected as the returning form rejects them, with the same message.
  for (const std::size_t i : {3, 4}) same_rejection(to_post(recs[i], "p.csv", p), to_post(recs[i], "p.csv"));
  // A list given as a JSON array replaces a longer one.
  recs.clear();
  REQUIRE(read_all(InputFormat::jsonl,
                   R"({"id":"test:u","author":"test:f","created_at":"2026-03-01T12:00:00Z","hashtags":["#a","b"],)"
                   R"("mentions":["test:m5"]})"
                   "\n",
                   recs)
              .size() == 1);
  REQUIRE(to_post(recs[0], "p.jsonl", p));
  CHECK(p.hashtags == std::vector<std::string>{"a", "b"});
  CHECK(p.mentions == std::vector<std::string>{"test:m5"});
  CHECK(p == *to_post(recs[0], "p.jsonl"));
}

TEST_CASE("a record's fields are found in any column order, and a record refilled by another reader is renamed") {
  const std::string in_order = "id,author,created_at,text,likes,observed_at\n"
                               "test:p1,test:a,2026-03-01T08:00:00Z,neige,3,2026-03-02T00:00:00Z\n";
  const std::string reversed = "observed_at,likes,text,created_at,author,id\n"
                               "2026-03-02T00:00:00Z,3,neige,2026-03-01T08:00:00Z,test:a,test:p1\n";
  const std::string shuffled = "likes,id,observed_at,author,text,created_at\n"
                               "3,test:p1,2026-03-02T00:00:00Z,test:a,neige,2026-03-01T08:00:00Z\n";
  auto first = make_reader(InputFormat::csv, LineSource::from_string(in_order, "a.csv"));
  REQUIRE(first);
  RawRecord r;
  REQUIRE((*first)->next(r).value_or(false));
  const auto expected = to_post(r, "a.csv");
  REQUIRE(expected);
  CHECK(expected->likes == 3);
  CHECK(expected->text == "neige");
  // The same record refilled by readers of the same number of columns in
  // other orders: each names the fields anew.
  for (const auto* text : {&reversed, &shuffled}) {
    auto other = make_reader(InputFormat::csv, LineSource::from_string(*text, "b.csv"));
    REQUIRE(other);
    REQUIRE((*other)->next(r).value_or(false));
    CHECK(r.fields.front().name == text->substr(0, text->find(',')));
    const auto p = to_post(r, "b.csv");
    REQUIRE(p);
    CHECK(*p == *expected);
  }
}

TEST_CASE("a reader read ahead reads each record into the model as the importer would") {
  // Posts over more batches than are ever held (the items, and their
  // values, reused), some rejected: each the same value, or the same error,
  // as the record read on this thread.
  std::string csv = "id,author,created_at,text,hashtags,mentions,likes\n";
  std::size_t bad_dates = 0, bad_records = 0;
  for (int i = 0; i < 5000; ++i) {
    const auto n = std::to_string(i);
    if (i % 89 == 3)
      csv += "test:p" + n + ",test:a" + n + ",yesterday,,,,\n", ++bad_dates;
    else if (i % 97 == 5)
      csv += "test:p" + n + ",only two\n", ++bad_records;  // bad record: no model
    else
      csv += "test:p" + n + ",test:a" + std::to_string(i % 13) + ",2026-03-01T08:00:00Z,post " + n + "," +
             (i % 2 ? "#ski #alpes" : "") + "," + (i % 3 ? "test:m" + n : "") + "," + (i % 5 ? n : "") + "\n";
  }
  auto reader = read_ahead(*make_reader(InputFormat::csv, LineSource::from_string(csv, "p.csv")), RecordKind::posts);
  RawRecord r;
  std::size_t rejected = 0, unread = 0, read = 0;
  for (;;) {
    auto got = reader->next(r);
    if (got && !*got) break;
    auto& m = reader->model();
    if (!got) {
      CHECK_FALSE(m.kind);  // nothing read, and no value of an earlier record left
      ++unread;
      continue;
    }
    REQUIRE(m.kind == RecordKind::posts);
    const auto here = to_post(r, "p.csv");
    if (!here) {
      REQUIRE_FALSE(m.read);
      same_rejection(m.read, here);
      ++rejected;
      continue;
    }
    REQUIRE(m.read);
    CHECK(m.post == *here);
    ++read;
  }
  CHECK(rejected == bad_dates);
  CHECK(unread == bad_records);
  CHECK(read == 5000 - bad_dates - bad_records);

  // A JSON document says each record's kind: that kind, not the one given.
  auto doc = read_ahead(*make_reader(InputFormat::json,
                                     LineSource::from_string(
                                         "{\"accounts\": [{\"id\":\"test:a\",\"followers\":5}],\n"
                                         " \"follows\": [{\"follower\":\"test:a\",\"followee\":\"test:b\"},\n"
                                         "               {\"follower\":\"test:c\",\"followee\":\"nope\"}]}\n",
                                         "d.json")),
                        RecordKind::posts);
  REQUIRE(doc->next(r));
  CHECK(doc->model().kind == RecordKind::accounts);
  REQUIRE(doc->model().read);
  CHECK(doc->model().account == *to_account(r, "d.json"));
  REQUIRE(doc->next(r));
  CHECK(doc->model().kind == RecordKind::follows);
  REQUIRE(doc->model().read);
  CHECK(doc->model().follow == *to_follow(r, "d.json"));
  REQUIRE(doc->next(r));
  REQUIRE_FALSE(doc->model().read);
  CHECK(doc->model().read.error().file == "d.json");
  CHECK(doc->model().read.error().line == 3);
  CHECK(doc->model().read.error().field == "followee");
  // Without a kind given, a CSV record has none to be read as.
  auto plain = read_ahead(*make_reader(InputFormat::csv, LineSource::from_string(csv, "p.csv")));
  REQUIRE(plain->next(r));
  CHECK_FALSE(plain->model().kind);
}

TEST_CASE("swapping two accounts or two posts exchanges every field") {
  // Two values that differ in every field: a field left out of swap() stays.
  Account a{"test:a", "ha", "A", "bio a", 1, 2, 3, true, "fr", "Lyon", "https://a", "person", 10, "pa", 100};
  Account b{"test:b", "hb", "B", "bio b", 4, 5, 6, false, "en", "Bern", "https://b", "brand", 20, "pb", 200};
  Account x = a, y = b;
  swap(x, y);
  CHECK(x == b);
  CHECK(y == a);
  Post p{"test:p", "test:a", 1, "text p", "fr", "https://p", {"ski"}, {"test:m"}, "test:r", "test:ra",
         "test:rp", "test:q", 1, 2, 3, 4, 5, 10};
  Post q{"test:q", "test:b", 2, "text q", "en", "https://q", {"luge", "alpes"}, {}, "test:s", "test:sa",
         "test:sp", "test:t", 6, 7, 8, 9, 10, 20};
  Post u = p, v = q;
  swap(u, v);
  CHECK(u == q);
  CHECK(v == p);
}
