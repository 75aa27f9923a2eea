#include "lib/records.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "lib/identity.hpp"
#include "lib/json_write.hpp"
#include "lib/strings.hpp"

namespace influence::lib {
namespace {

using namespace std::string_view_literals;

constexpr std::array account_fields{"id"sv, "handle"sv, "display_name"sv, "bio"sv, "followers"sv,
                                    "following"sv, "posts"sv, "verified"sv, "language"sv,
                                    "location"sv, "url"sv, "kind"sv, "created_at"sv, "person"sv,
                                    "observed_at"sv};
constexpr std::array post_fields{"id"sv, "author"sv, "created_at"sv, "text"sv, "language"sv,
                                 "url"sv, "hashtags"sv, "mentions"sv, "reply_to"sv,
                                 "reply_to_author"sv, "repost_of"sv, "quote_of"sv, "likes"sv,
                                 "reposts"sv, "replies"sv, "quotes"sv, "views"sv,
                                 "observed_at"sv};
constexpr std::array follow_fields{"follower"sv, "followee"sv, "observed_at"sv};

// Reads typed fields out of a RawRecord, stopping at the first problem.
class FieldReader {
 public:
  FieldReader(const RawRecord& r, const std::string& file) : r_(r), file_(file) {}

  std::optional<Error> error;

  std::string text(std::string_view name) { return std::string(text_view(name)); }
  // The field's text where the record holds it.
  std::string_view text_view(std::string_view name) {
    const RawField* f = get(name);
    if (!f || f->type == RawField::Type::null) return {};
    if (f->type != RawField::Type::string) {
      bad(name, "expected a string");
      return {};
    }
    return f->text;
  }
  std::string required_id(std::string_view name) { return std::string(required_id_view(name)); }
  std::string_view required_id_view(std::string_view name) {
    const auto v = text_view(name);
    if (error) return {};
    if (v.empty()) {
      bad(name, "missing (every record needs one)");
      return {};
    }
    check_id(name, v);
    return v;
  }
  std::string_view optional_id_view(std::string_view name) {
    const auto v = text_view(name);
    if (!error && !v.empty()) check_id(name, v);
    return v;
  }
  Count count(std::string_view name) {
    const RawField* f = get(name);
    if (!f || f->type == RawField::Type::null) return std::nullopt;
    if (f->type != RawField::Type::number && f->type != RawField::Type::string) {
      bad(name, "expected a whole number");
      return std::nullopt;
    }
    std::string_view s = f->text;
    if (s.starts_with('-')) {
      bad(name, "negative count '" + f->text + "'");
      return std::nullopt;
    }
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range) {
      bad(name, "count '" + f->text + "' is too large");
      return std::nullopt;
    }
    if (ec != std::errc{} || ptr != s.data() + s.size()) {
      bad(name, "expected a whole number, found '" + f->text + "'");
      return std::nullopt;
    }
    return v;
  }
  std::optional<bool> flag(std::string_view name) {
    const RawField* f = get(name);
    if (!f || f->type == RawField::Type::null) return std::nullopt;
    const std::string& t = f->text;
    if (t == "true" || t == "1" || t == "yes") return true;
    if (t == "false" || t == "0" || t == "no") return false;
    bad(name, "expected true or false, found '" + t + "'");
    return std::nullopt;
  }
  std::optional<Timestamp> time(std::string_view name, bool required) {
    // A view: a time is longer than a short string, and so was an allocation.
    const auto v = text_view(name);
    if (error) return std::nullopt;
    if (v.empty()) {
      if (required) bad(name, "missing (an RFC 3339 time such as 2026-01-15T08:30:00Z)");
      return std::nullopt;
    }
    auto t = parse_rfc3339(v);
    if (!t) bad(name, "cannot parse '" + std::string(v) + "' as an RFC 3339 time (2026-01-15T08:30:00Z)");
    return t;
  }
  // The list into `out`, whose strings' buffers are reused.
  void list_into(std::string_view name, std::vector<std::string>& out) {
    std::size_t n = 0;
    const auto add = [&](std::string_view item) {
      if (n == out.size()) out.emplace_back();
      out[n++].assign(item);
    };
    const RawField* f = get(name);
    const auto type = f ? f->type : RawField::Type::null;
    if (type == RawField::Type::list)
      for (const auto& item : f->items) add(item);
    else if (type == RawField::Type::string)
      for_each_word(f->text, add);  // in CSV a list is space-separated
    else if (type != RawField::Type::null)
      bad(name, "expected a list");
    out.resize(n);
  }
  void id_list_into(std::string_view name, std::vector<std::string>& ids) {
    list_into(name, ids);
    for (auto& id : ids) {
      if (error) break;
      if (!split_identity(id)) bad(name, "'" + id + "' is not a platform-qualified id (platform:id)");
    }
  }
  void bad(std::string_view name, std::string message) {
    if (!error) error = Error{ErrorKind::input, std::move(message), file_, r_.line, std::string(name)};
  }

 private:
  // The field named `name`, looked for from the one after the field found
  // last: the model's fields are read in the order files usually hold them,
  // where a search from the first took 5 % of the instructions of reading
  // a post.
  const RawField* get(std::string_view name) {
    const auto& fields = r_.fields;
    const std::size_t n = fields.size();
    for (std::size_t k = 0, i = next_; k < n; ++k, i = i + 1 == n ? 0 : i + 1) {
      if (fields[i].name == name) {
        next_ = i + 1 == n ? 0 : i + 1;
        return &fields[i];
      }
    }
    return nullptr;
  }
  std::size_t next_ = 0;
  void check_id(std::string_view name, std::string_view v) {
    if (!split_identity(v))
      bad(name, "'" + std::string(v) + "' is not a platform-qualified id such as mastodon:@alice@example.org");
  }
  const RawRecord& r_;
  const std::string& file_;
};

template <typename Fields>
bool contains(const Fields& fields, std::string_view name) {
  return std::find(fields.begin(), fields.end(), name) != fields.end();
}

std::string count_text(const Count& c) { return c ? std::to_string(*c) : std::string(); }
std::string time_text(const std::optional<Timestamp>& t) { return t ? format_rfc3339(*t) : std::string(); }

}  // namespace

std::span<const std::string_view> field_names(RecordKind kind) {
  switch (kind) {
    case RecordKind::accounts: return account_fields;
    case RecordKind::posts: return post_fields;
    case RecordKind::follows: return follow_fields;
  }
  return {};
}

std::optional<RecordKind> detect_kind(const std::vector<std::string>& names) {
  auto has = [&](std::string_view n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  if (has("followee") || has("follower")) return RecordKind::follows;
  if (has("author")) return RecordKind::posts;
  if (has("id") && (has("handle") || has("display_name") || has("followers") || names.size() == 1))
    return RecordKind::accounts;
  return std::nullopt;
}

std::string unknown_field(RecordKind kind, const std::vector<std::string>& names) {
  const auto known = field_names(kind);
  for (const auto& n : names)
    if (!contains(known, n)) return n;
  return {};
}

std::string closest_field(RecordKind kind, std::string_view name) {
  // Levenshtein distance; a suggestion only for near misses (typos).
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t prev = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t cur = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
        prev = cur;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_d = 3;
  for (auto k : field_names(kind)) {
    const auto d = distance(name, k);
    if (d < best_d) {
      best_d = d;
      best = std::string(k);
    }
  }
  return best;
}

Result<Account> to_account(const RawRecord& r, const std::string& file) {
  FieldReader in(r, file);
  Account a;
  a.id = in.required_id("id");
  a.handle = in.text("handle");
  a.display_name = in.text("display_name");
  a.bio = in.text("bio");
  a.followers = in.count("followers");
  a.following = in.count("following");
  a.posts = in.count("posts");
  a.verified = in.flag("verified");
  a.language = in.text("language");
  a.location = in.text("location");
  a.url = in.text("url");
  a.kind = in.text("kind");
  a.created_at = in.time("created_at", false);
  a.person = in.text("person");
  a.observed_at = in.time("observed_at", false);
  if (in.error) return std::unexpected(*in.error);
  return a;
}

Result<Post> to_post(const RawRecord& r, const std::string& file) {
  Post p;
  if (auto ok = to_post(r, file, p); !ok) return std::unexpected(ok.error());
  return p;
}

Result<void> to_post(const RawRecord& r, const std::string& file, Post& p) {
  FieldReader in(r, file);
  p.id.assign(in.required_id_view("id"));
  p.author.assign(in.required_id_view("author"));
  const auto created = in.time("created_at", true);
  p.created_at = created.value_or(0);
  p.text.assign(in.text_view("text"));
  p.language.assign(in.text_view("language"));
  p.url.assign(in.text_view("url"));
  in.list_into("hashtags", p.hashtags);
  // Each without its leading '#'s; those that were only '#'s dropped.
  std::size_t kept = 0;
  for (auto& h : p.hashtags) {
    h.erase(0, h.size() - bare_hashtag(h).size());
    if (h.empty()) continue;
    if (&h != &p.hashtags[kept]) p.hashtags[kept].swap(h);
    ++kept;
  }
  p.hashtags.resize(kept);
  in.id_list_into("mentions", p.mentions);
  p.reply_to.assign(in.optional_id_view("reply_to"));
  p.reply_to_author.assign(in.optional_id_view("reply_to_author"));
  p.repost_of.assign(in.optional_id_view("repost_of"));
  p.quote_of.assign(in.optional_id_view("quote_of"));
  p.likes = in.count("likes");
  p.reposts = in.count("reposts");
  p.replies = in.count("replies");
  p.quotes = in.count("quotes");
  p.views = in.count("views");
  p.observed_at = in.time("observed_at", false);
  if (!in.error && !p.repost_of.empty() && (!p.reply_to.empty() || !p.quote_of.empty()))
    in.bad("repost_of", "a repost cannot also be a reply or a quote");
  if (in.error) return std::unexpected(*in.error);
  return {};
}

Result<Follow> to_follow(const RawRecord& r, const std::string& file) {
  Follow f;
  if (auto ok = to_follow(r, file, f); !ok) return std::unexpected(ok.error());
  return f;
}

Result<void> to_follow(const RawRecord& r, const std::string& file, Follow& out) {
  FieldReader in(r, file);
  out.follower.assign(in.required_id_view("follower"));
  out.followee.assign(in.required_id_view("followee"));
  out.observed_at = in.time("observed_at", false);
  if (!in.error && out.follower == out.followee) in.bad("followee", "an account cannot follow itself");
  if (in.error) return std::unexpected(*in.error);
  return {};
}

std::vector<std::string> to_cells(const Account& a) {
  return {a.id, a.handle, a.display_name, a.bio, count_text(a.followers), count_text(a.following),
          count_text(a.posts), a.verified ? (*a.verified ? "true" : "false") : "", a.language,
          a.location, a.url, a.kind, time_text(a.created_at), a.person, time_text(a.observed_at)};
}

std::vector<std::string> to_cells(const Post& p) {
  return {p.id, p.author, format_rfc3339(p.created_at), p.text, p.language, p.url,
          join(p.hashtags, " "), join(p.mentions, " "), p.reply_to, p.reply_to_author, p.repost_of,
          p.quote_of, count_text(p.likes), count_text(p.reposts), count_text(p.replies),
          count_text(p.quotes), count_text(p.views), time_text(p.observed_at)};
}

std::vector<std::string> to_cells(const Follow& f) {
  return {f.follower, f.followee, time_text(f.observed_at)};
}

std::string to_json(const Account& a) {
  JsonObjectWriter w;
  w.string("id", a.id).string_if("handle", a.handle).string_if("display_name", a.display_name)
      .string_if("bio", a.bio).count("followers", a.followers).count("following", a.following)
      .count("posts", a.posts).boolean("verified", a.verified).string_if("language", a.language)
      .string_if("location", a.location).string_if("url", a.url).string_if("kind", a.kind)
      .time("created_at", a.created_at).string_if("person", a.person)
      .time("observed_at", a.observed_at);
  return w.finish();
}

std::string to_json(const Post& p) {
  JsonObjectWriter w;
  w.string("id", p.id).string("author", p.author).time("created_at", p.created_at)
      .string_if("text", p.text).string_if("language", p.language).string_if("url", p.url)
      .list_if("hashtags", p.hashtags).list_if("mentions", p.mentions)
      .string_if("reply_to", p.reply_to).string_if("reply_to_author", p.reply_to_author)
      .string_if("repost_of", p.repost_of).string_if("quote_of", p.quote_of)
      .count("likes", p.likes).count("reposts", p.reposts).count("replies", p.replies)
      .count("quotes", p.quotes).count("views", p.views).time("observed_at", p.observed_at);
  return w.finish();
}

std::string to_json(const Follow& f) {
  JsonObjectWriter w;
  w.string("follower", f.follower).string("followee", f.followee).time("observed_at", f.observed_at);
  return w.finish();
}

}  // namespace influence::lib
