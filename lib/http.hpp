#pragma once
// HTTP GET over libcurl with the manners a weekly cron job needs: timeouts,
// bounded retries with backoff and jitter, 429 and rate-limit headers honoured,
// redirects and body size capped, TLS always verified, tokens never logged.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "lib/error.hpp"

namespace influence::lib {

struct HttpOptions {
  double connect_timeout = 10;   // seconds
  double timeout = 60;           // seconds for a whole response
  int retries = 4;               // extra attempts for one request
  int max_total_retries = 30;    // across all the requests of this client
  double backoff = 1.0;          // first wait; doubles each attempt, with jitter
  double max_backoff = 60;
  double max_wait = 900;         // longest rate-limit wait accepted before giving up
  std::uint64_t max_body = 64ull << 20;
  long max_redirects = 5;
  std::string bearer_token;      // sent as Authorization: Bearer, never logged
  // What a --verbose user sees: one line per request, retry and wait.
  std::function<void(const std::string&)> log;
  // Called before each wait (seconds, reason) so that progress can show it.
  std::function<void(double, const std::string&)> on_wait;
  // Sleeps; replaceable so that unit tests need not wait.
  std::function<void(double)> sleep;
};

struct HttpResponse {
  long status = 0;
  std::string url;  // after redirects
  std::map<std::string, std::string> headers;  // names in lower case; last value wins
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // A 2xx response, or a network error once retries are spent. 4xx other
  // than 429 are not retried: asking again would get the same answer.
  Result<HttpResponse> get(const std::string& url);

  int retries_used() const { return total_retries_; }
  int waits() const { return waits_; }
  double waited() const { return waited_; }

 private:
  struct Attempt;
  Attempt attempt(const std::string& url);
  void wait(double seconds, const std::string& why);
  double backoff_delay(int attempt_no);

  HttpOptions options_;
  void* curl_ = nullptr;  // CURL*, kept for connection reuse
  std::mt19937_64 rng_;
  int total_retries_ = 0;
  int waits_ = 0;
  double waited_ = 0;
  // Rate-limit state from the last response: wait before the next request
  // when the server said none are left.
  std::chrono::system_clock::time_point not_before_{};
};

// Seconds to wait as a 429 or 503 response asks: Retry-After (seconds or an
// HTTP date), else the platforms' reset headers (Mastodon's ISO 8601
// X-RateLimit-Reset, Bluesky's epoch-seconds RateLimit-Reset); nullopt if none.
std::optional<double> retry_after_seconds(const HttpResponse& r, std::int64_t now);

// The target of rel="next" in a Link header, or "" when there is none.
std::string link_next(const std::string& link_header);

// Percent-encoding for a query value.
std::string url_encode(std::string_view s);

// "https://host:port" of a URL (lower-cased scheme and host), "" if not http(s).
std::string url_origin(std::string_view url);

}  // namespace influence::lib
