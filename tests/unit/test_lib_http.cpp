#include <doctest/doctest.h>

#include "lib/html_text.hpp"
#include "lib/http.hpp"
#include "lib/timeutil.hpp"

using namespace influence::lib;

TEST_CASE("the next page of a Link header, whatever the order and spacing") {
  CHECK(link_next("<https://a.org/x?max_id=2>; rel=\"next\", <https://a.org/x?min_id=9>; rel=\"prev\"") ==
        "https://a.org/x?max_id=2");
  CHECK(link_next("<https://a.org/x?min_id=9>; rel=\"prev\",<https://a.org/x?max_id=2>;rel=\"next\"") ==
        "https://a.org/x?max_id=2");
  CHECK(link_next("<https://a.org/x?min_id=9>; rel=\"prev\"") == "");
  CHECK(link_next("") == "");
  CHECK(link_next("<unterminated; rel=\"next\"") == "");
}

TEST_CASE("how long a 429 asks to wait") {
  const std::int64_t now = 1'770'000'000;
  HttpResponse r;
  r.headers["retry-after"] = "7";
  CHECK(retry_after_seconds(r, now) == doctest::Approx(7));
  r.headers["retry-after"] = "Wed, 21 Oct 2015 07:28:10 GMT";  // an HTTP date
  CHECK(retry_after_seconds(r, 1445412480) == doctest::Approx(10));
  r.headers.clear();
  r.headers["x-ratelimit-reset"] = "2026-02-02T02:40:30.000Z";  // Mastodon: ISO 8601
  CHECK(retry_after_seconds(r, *parse_rfc3339("2026-02-02T02:40:00Z")) == doctest::Approx(30));
  r.headers.clear();
  r.headers["ratelimit-reset"] = std::to_string(now + 42);  // Bluesky: Unix seconds
  CHECK(retry_after_seconds(r, now) == doctest::Approx(42));
  r.headers["ratelimit-reset"] = std::to_string(now - 5);  // already past: no wait
  CHECK(retry_after_seconds(r, now) == doctest::Approx(0));
  r.headers.clear();
  CHECK_FALSE(retry_after_seconds(r, now));
}

TEST_CASE("origins and query encoding") {
  CHECK(url_origin("HTTPS://Piaille.FR/api/v1?x=1") == "https://piaille.fr");
  CHECK(url_origin("http://user:pw@127.0.0.1:8080/a") == "http://127.0.0.1:8080");
  CHECK(url_origin("ftp://x/y") == "");
  CHECK(url_origin("piaille.fr") == "");
  CHECK(url_encode("ski de rando #freeride/é") == "ski%20de%20rando%20%23freeride%2F%C3%A9");
}

TEST_CASE("Mastodon HTML as the text a reader sees") {
  CHECK(html_to_text("<p>Poudreuse &amp; soleil<br>40&nbsp;cm</p><p>#ski</p>") == "Poudreuse & soleil\n40 cm\n#ski");
  CHECK(html_to_text("caf&#233; &#x1F3BF; &lt;b&gt;") == "café 🎿 <b>");
  CHECK(html_to_text("a < b and &unknown; & &#xZZ;") == "a < b and &unknown; & &#xZZ;");
  CHECK(html_to_text("&#0;&#xD800;") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // never a NUL or a surrogate
}

TEST_CASE("a client with no server: a bounded number of attempts, backoff waits, a network error") {
  std::vector<double> waits;
  HttpOptions o;
  o.retries = 3;
  o.connect_timeout = 1;
  o.sleep = [&](double s) { waits.push_back(s); };
  HttpClient http(o);
  auto r = http.get("http://127.0.0.1:9/nothing");  // the discard port: refused
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::network);
  CHECK(r.error().message.find("gave up after 4 attempts") != std::string::npos);
  REQUIRE(waits.size() == 3);
  // Exponential with jitter: each wait in [base/2, base] for base 1, 2, 4.
  CHECK(waits[0] >= 0.5);
  CHECK(waits[0] <= 1.0);
  CHECK(waits[1] >= 1.0);
  CHECK(waits[1] <= 2.0);
  CHECK(waits[2] >= 2.0);
  CHECK(waits[2] <= 4.0);
}

TEST_CASE("the total retry cap holds across requests") {
  int waits = 0;
  HttpOptions o;
  o.retries = 5;
  o.max_total_retries = 3;
  o.connect_timeout = 1;
  o.sleep = [&](double) { ++waits; };
  HttpClient http(o);
  CHECK_FALSE(http.get("http://127.0.0.1:9/a"));
  CHECK_FALSE(http.get("http://127.0.0.1:9/b"));
  CHECK(waits == 3);
  CHECK(http.retries_used() == 3);
}
