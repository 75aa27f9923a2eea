#include "lib/http.hpp"

#include <curl/curl.h>

#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

#include "lib/strings.hpp"
#include "lib/timeutil.hpp"
#include "lib/utf8.hpp"

namespace influence::lib {

struct HttpClient::Attempt {
  CURLcode code = CURLE_OK;
  std::string curl_error;
  bool too_big = false;
  HttpResponse response;
};

namespace {

CURL* handle(void* p) { return static_cast<CURL*>(p); }

struct Sink {
  HttpResponse* response;
  std::uint64_t cap;
  bool* too_big;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  if (sink->response->body.size() + n > sink->cap) {
    *sink->too_big = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  sink->response->body.append(data, n);
  return n;
}

std::string trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  // Each response of a redirect chain starts with a status line: keep only
  // the headers of the last one.
  if (line.starts_with("HTTP/")) {
    response->headers.clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos)
    response->headers[ascii_lower(line.substr(0, colon))] = trim_blanks(line.substr(colon + 1));
  return n;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A reset header: seconds from now, Unix seconds, or an ISO 8601 time.
std::optional<double> reset_in(const std::string& value, std::int64_t now) {
  if (value.empty()) return std::nullopt;
  if (all_digits(value)) {
    const double v = std::stod(value);
    return v > 1e9 ? std::max(0.0, v - static_cast<double>(now)) : v;
  }
  if (auto t = parse_rfc3339(value)) return std::max<double>(0.0, static_cast<double>(*t - now));
  return std::nullopt;
}

// Short, printable text of an error body: the platforms put a reason there.
std::string body_hint(const std::string& body) {
  std::string text = body.substr(0, 200);
  for (auto& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  if (find_invalid_utf8(text) != std::string_view::npos) return {};
  return text.empty() ? std::string() : ": " + trim_blanks(text);
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

}  // namespace

std::optional<double> retry_after_seconds(const HttpResponse& r, std::int64_t now) {
  const std::string after = r.header("retry-after");
  if (!after.empty()) {
    if (all_digits(after)) return std::stod(after);
    const time_t t = curl_getdate(after.c_str(), nullptr);
    if (t >= 0) return std::max<double>(0.0, static_cast<double>(t - now));
  }
  if (auto s = reset_in(r.header("x-ratelimit-reset"), now)) return s;
  if (auto s = reset_in(r.header("ratelimit-reset"), now)) return s;
  return std::nullopt;
}

std::string link_next(const std::string& link_header) {
  // <url>; rel="next", <url>; rel="prev"
  std::size_t pos = 0;
  while (pos < link_header.size()) {
    const auto open = link_header.find('<', pos);
    if (open == std::string::npos) break;
    const auto close = link_header.find('>', open);
    if (close == std::string::npos) break;
    auto end = link_header.find('<', close);
    if (end == std::string::npos) end = link_header.size();
    const std::string params = ascii_lower(std::string_view(link_header).substr(close + 1, end - close - 1));
    if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos)
      return link_header.substr(open + 1, close - open - 1);
    pos = end;
  }
  return {};
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string url_origin(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::string scheme = ascii_lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return {};
  auto rest = url.substr(scheme_end + 3);
  const auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.empty()) return {};
  return scheme + "://" + ascii_lower(authority);
}

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)), rng_(std::random_device{}()) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (!options_.sleep)
    options_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(handle(curl_));
}

HttpClient::Attempt HttpClient::attempt(const std::string& url) {
  Attempt a;
  CURL* c = handle(curl_);
  curl_easy_reset(c);
  char errbuf[CURL_ERROR_SIZE] = {0};
  Sink sink{&a.response, options_.max_body, &a.too_big};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, options_.max_redirects);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  // Verification is never turned off, whatever the environment says.
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout * 1000));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout * 1000));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_body));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "influence/" INFLUENCE_VERSION);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &a.response);
  if (!options_.bearer_token.empty()) {
    // curl's own bearer support keeps the token to the first host: a
    // redirect elsewhere does not carry it.
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
    curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, options_.bearer_token.c_str());
  }
  a.code = curl_easy_perform(c);
  a.curl_error = errbuf[0] ? errbuf : curl_easy_strerror(a.code);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.response.status);
  char* effective = nullptr;
  curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective);
  a.response.url = effective ? effective : url;
  return a;
}

void HttpClient::wait(double seconds, const std::string& why) {
  if (seconds <= 0) return;
  ++waits_;
  waited_ += seconds;
  if (options_.on_wait) options_.on_wait(seconds, why);
  options_.sleep(seconds);
}

double HttpClient::backoff_delay(int attempt_no) {
  const double base = std::min(options_.max_backoff, options_.backoff * std::pow(2.0, attempt_no));
  // Half fixed, half random: clients that failed together do not retry together.
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return base * jitter(rng_);
}

Result<HttpResponse> HttpClient::get(const std::string& url) {
  const auto log = [&](const std::string& line) {
    if (options_.log) options_.log(line);
  };
  const auto net_error = [&](const std::string& message) {
    return std::unexpected(Error{ErrorKind::network, message, url, 0, {}});
  };
  if (!curl_) return net_error("cannot initialise libcurl");
  for (int n = 0;; ++n) {
    const auto now = std::chrono::system_clock::now();
    if (now < not_before_) {
      const double s = std::chrono::duration<double>(not_before_ - now).count();
      log("rate limit: no requests left, waiting " + seconds_text(s));
      wait(s, "rate limit");
    }
    const auto t0 = std::chrono::steady_clock::now();
    Attempt a = attempt(url);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto& r = a.response;
    std::string reason;
    std::optional<double> asked;  // the server said how long to wait
    if (a.code != CURLE_OK) {
      log("GET " + url + " -> " + a.curl_error + " (" + seconds_text(took) + ")");
      if (a.too_big || a.code == CURLE_FILESIZE_EXCEEDED)
        return net_error("response larger than " + std::to_string(options_.max_body >> 20) +
                         " MiB (--max-size)");
      if (a.code == CURLE_TOO_MANY_REDIRECTS)
        return net_error("more than " + std::to_string(options_.max_redirects) + " redirects");
      if (a.code == CURLE_UNSUPPORTED_PROTOCOL || a.code == CURLE_URL_MALFORMAT ||
          a.code == CURLE_PEER_FAILED_VERIFICATION || a.code == CURLE_SSL_CACERT_BADFILE ||
          a.code == CURLE_SSL_CERTPROBLEM || a.code == CURLE_SSL_CONNECT_ERROR ||
          a.code == CURLE_COULDNT_RESOLVE_HOST)
        return net_error(a.curl_error);
      reason = a.curl_error;
      if (a.code == CURLE_PARTIAL_FILE) reason = "truncated response (" + a.curl_error + ")";
    } else {
      log("GET " + url + " -> HTTP " + std::to_string(r.status) + " (" + seconds_text(took) + ", " +
          std::to_string(r.body.size()) + " bytes)");
      const std::string remaining = !r.header("x-ratelimit-remaining").empty()
                                        ? r.header("x-ratelimit-remaining")
                                        : r.header("ratelimit-remaining");
      if (r.status >= 200 && r.status < 300) {
        if (remaining == "0") {
          if (auto s = retry_after_seconds(r, now_utc()))
            not_before_ = std::chrono::system_clock::now() +
                          std::chrono::duration_cast<std::chrono::system_clock::duration>(
                              std::chrono::duration<double>(std::min(*s, options_.max_wait)));
        }
        return std::move(r);
      }
      reason = "HTTP " + std::to_string(r.status);
      if (r.status == 429 || r.status == 503) {
        asked = retry_after_seconds(r, now_utc());
        if (asked && *asked > options_.max_wait)
          return net_error("rate limited: the server asks to wait " + seconds_text(*asked) +
                           ", more than --max-wait");
      } else if (r.status < 500) {
        return net_error("HTTP " + std::to_string(r.status) + body_hint(r.body));
      }
    }
    if (n >= options_.retries || total_retries_ >= options_.max_total_retries)
      return net_error("gave up after " + std::to_string(n + 1) + (n == 0 ? " attempt: " : " attempts: ") + reason);
    ++total_retries_;
    const double delay = asked ? *asked : backoff_delay(n);
    log("retry " + std::to_string(n + 1) + "/" + std::to_string(options_.retries) + " in " +
        seconds_text(delay) + ": " + reason);
    wait(delay, r.status == 429 ? "rate limit" : "retry");
  }
}

}  // namespace influence::lib
