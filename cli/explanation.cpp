#include "cli/explanation.hpp"

#include <fmt/format.h>

#include "cli/context.hpp"
#include "lib/json_write.hpp"
#include "lib/strings.hpp"
#include "lib/timeutil.hpp"

namespace influence::cli {
namespace {

using lib::format_number;

std::vector<std::string> top_post_ids(const ExplainContext& x, const scoring::ScoredAccount& s) {
  std::vector<std::string> ids;
  for (const auto& p : s.top_posts) ids.emplace_back(x.corpus.post_id(p.post));
  return ids;
}

std::vector<std::string> echoer_ids(const ExplainContext& x, const scoring::ScoredAccount& s) {
  std::vector<std::string> ids;
  for (const auto& e : s.top_echoers) ids.emplace_back(x.corpus.accounts[e.account].id);
  return ids;
}

const char* post_type(lib::PostType t) {
  switch (t) {
    case lib::PostType::original: return "original";
    case lib::PostType::reply: return "reply";
    case lib::PostType::quote: return "quote";
    case lib::PostType::repost: return "repost";
  }
  return "?";
}

// One line, at most `n` columns: for quoting post text in the text report.
std::string excerpt(std::string_view text, std::size_t n) {
  std::string out;
  std::size_t cps = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80 && ++cps > n) return printable(out) + "…";
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : text[i];
  }
  return printable(out);
}

// Without --since a window starts at the first post: say so rather than print
// the sentinel.
bool unbounded(lib::Timestamp since) { return since <= WindowOptions::earliest; }

}  // namespace

std::vector<Column> explanation_columns() {
  std::vector<Column> cols;
  for (const char* s : {"rank", "account", "handle", "display_name", "platform", "kind", "tier"})
    cols.push_back({s, std::string(s) == "rank"});
  for (const char* n :
       {"score", "echo_norm", "exposure_norm", "sov_norm", "echo_weight", "exposure_weight", "sov_weight",
        "echo_contribution", "exposure_contribution", "sov_contribution", "echo_value", "reactions",
        "network_factor", "pagerank", "reposts", "quotes", "replies", "likes", "mentions", "observed_reposts",
        "observed_quotes", "observed_replies", "declared_reposts", "declared_quotes", "declared_replies",
        "declared_followers", "graph_followers", "audience", "topical_audience", "person_accounts",
        "exposure_value", "originals", "replies_posted", "quotes_posted", "reposts_posted", "mentioned",
        "voice", "share", "focus", "topic_posts", "all_posts"})
    cols.push_back({n, true});
  cols.push_back({"top_posts", false});
  cols.push_back({"top_echoers", false});
  return cols;
}

std::vector<Cell> explanation_cells(const ExplainContext& x, const scoring::ScoredAccount& s) {
  const auto& a = x.corpus.accounts[s.account];
  const auto& w = x.ranking.weights;
  auto num = [](double v) { return Cell::num(format_number(v)); };
  auto i64 = [](std::int64_t v) { return Cell::num(std::to_string(v)); };
  const auto& e = s.echo;
  const auto& xp = s.exposure;
  const auto& v = s.voice;
  return {i64(static_cast<std::int64_t>(s.rank)), Cell::str(a.id), Cell::str(a.handle), Cell::str(a.display_name),
          Cell::str(a.platform), Cell::str(a.kind), Cell::str(s.tier),
          num(s.score), num(s.echo_norm), num(s.exposure_norm), num(s.sov_norm), num(w.echo), num(w.exposure), num(w.sov),
          num(s.echo_contribution), num(s.exposure_contribution), num(s.sov_contribution), num(e.value),
          num(e.reactions), num(e.network_factor), num(e.pagerank), i64(e.reposts), i64(e.quotes), i64(e.replies),
          i64(e.likes), i64(e.mentions), i64(e.observed_reposts), i64(e.observed_quotes), i64(e.observed_replies),
          i64(e.declared_reposts), i64(e.declared_quotes), i64(e.declared_replies),
          xp.declared_followers < 0 ? Cell::null() : i64(xp.declared_followers), i64(xp.graph_followers),
          i64(xp.audience), i64(xp.topical_audience), i64(static_cast<std::int64_t>(xp.person_accounts)), num(xp.value),
          i64(v.originals), i64(v.replies), i64(v.quotes), i64(v.reposts), i64(v.mentions), num(v.voice),
          num(v.value), num(v.focus), i64(v.topic_posts), i64(v.all_posts),
          Cell::str(lib::join(top_post_ids(x, s), " ")), Cell::str(lib::join(echoer_ids(x, s), " "))};
}

std::string explanation_json(const ExplainContext& x, const scoring::ScoredAccount& s) {
  const auto& a = x.corpus.accounts[s.account];
  const auto& w = x.ranking.weights;
  const auto& e = s.echo;
  const auto& xp = s.exposure;
  const auto& v = s.voice;
  std::string topics = "[";
  for (std::size_t i = 0; i < x.topics.size(); ++i) {
    if (i) topics += ',';
    lib::append_json_string(topics, x.topics[i]);
  }
  topics += "]";
  lib::JsonObjectWriter echo;
  echo.number("normalised", s.echo_norm).number("weight", w.echo).number("contribution", s.echo_contribution)
      .number("value", e.value).number("reactions", e.reactions).number("network_factor", e.network_factor)
      .number("pagerank", e.pagerank).integer("reposts", e.reposts).integer("quotes", e.quotes)
      .integer("replies", e.replies).integer("likes", e.likes).integer("mentions", e.mentions)
      .integer("observed_reposts", e.observed_reposts).integer("observed_quotes", e.observed_quotes)
      .integer("observed_replies", e.observed_replies).integer("declared_reposts", e.declared_reposts)
      .integer("declared_quotes", e.declared_quotes).integer("declared_replies", e.declared_replies);
  lib::JsonObjectWriter exposure;
  exposure.number("normalised", s.exposure_norm).number("weight", w.exposure)
      .number("contribution", s.exposure_contribution).number("value", xp.value)
      .string("mode", x.ranking.exposure_mode == scoring::ExposureMode::topical ? "topical" : "audience");
  if (xp.declared_followers >= 0) exposure.integer("declared_followers", xp.declared_followers);
  else exposure.null("declared_followers");
  exposure.integer("graph_followers", xp.graph_followers).integer("audience", xp.audience)
      .integer("topical_audience", xp.topical_audience)
      .integer("person_accounts", static_cast<std::int64_t>(xp.person_accounts));
  lib::JsonObjectWriter sov;
  sov.number("normalised", s.sov_norm).number("weight", w.sov).number("contribution", s.sov_contribution)
      .number("share", v.value).number("voice", v.voice).number("total_voice", x.ranking.total_voice)
      .integer("originals", v.originals).integer("replies", v.replies).integer("quotes", v.quotes)
      .integer("reposts", v.reposts).integer("mentions", v.mentions).integer("topic_posts", v.topic_posts)
      .integer("all_posts", v.all_posts).number("focus", v.focus);
  std::string posts = "[";
  for (std::size_t i = 0; i < s.top_posts.size(); ++i) {
    const auto& pe = s.top_posts[i];
    const auto& p = x.corpus.posts[pe.post];
    lib::JsonObjectWriter o;
    o.string("id", x.corpus.post_id(pe.post)).string("created_at", lib::format_rfc3339(p.created_at))
        .string("type", post_type(p.type)).string_if("url", x.corpus.post_url(pe.post))
        .string("text", x.corpus.post_text(pe.post)).number("echo", pe.echo).integer("reposts", pe.reposts)
        .integer("quotes", pe.quotes).integer("replies", pe.replies).integer("likes", pe.likes);
    posts += (i ? "," : "") + o.finish();
  }
  posts += "]";
  std::string echoers = "[";
  for (std::size_t i = 0; i < s.top_echoers.size(); ++i) {
    const auto& te = s.top_echoers[i];
    const auto& who = x.corpus.accounts[te.account];
    lib::JsonObjectWriter o;
    o.string("account", who.id).string("handle", who.handle).integer("reactions", te.reactions).number("weight", te.weight);
    echoers += (i ? "," : "") + o.finish();
  }
  echoers += "]";
  lib::JsonObjectWriter out;
  out.string("account", a.id).string("handle", a.handle).string("display_name", a.display_name)
      .string("platform", a.platform).string("kind", a.kind).string("tier", s.tier).raw("topics", topics)
      .raw("since", unbounded(x.corpus.since) ? "null" : "\"" + lib::format_rfc3339(x.corpus.since) + "\"")
      .string("until", lib::format_rfc3339(x.corpus.until))
      .integer("rank", static_cast<std::int64_t>(s.rank))
      .integer("candidates", static_cast<std::int64_t>(x.ranking.candidates)).number("score", s.score)
      .raw("echo", echo.finish()).raw("exposure", exposure.finish()).raw("share_of_voice", sov.finish())
      .raw("top_posts", posts).raw("top_echoers", echoers);
  return out.finish();
}

std::string explanation_text(const ExplainContext& x, const scoring::ScoredAccount& s) {
  const auto& a = x.corpus.accounts[s.account];
  const auto& w = x.ranking.weights;
  const auto& e = s.echo;
  const auto& xp = s.exposure;
  const auto& v = s.voice;
  std::string topics;
  for (const auto& t : x.topics) topics += (topics.empty() ? "" : ", ") + t;
  std::string out;
  out += fmt::format("{} ({}), {}{}, {} tier\n", printable(a.handle), printable(a.display_name), a.platform,
                     a.kind.empty() ? "" : ", " + printable(a.kind), s.tier);
  out += fmt::format("topic {}, from {} until {}\n", topics,
                     unbounded(x.corpus.since) ? std::string("the first post") : lib::format_rfc3339(x.corpus.since),
                     lib::format_rfc3339(x.corpus.until));
  out += fmt::format("rank {} of {} candidates, score {:.2f} of 100\n\n", s.rank, x.ranking.candidates, s.score);
  out += fmt::format("{:<16}{:>11}{:>8}{:>14}\n", "dimension", "percentile", "weight", "contribution");
  out += fmt::format("{:<16}{:>11.1f}{:>8.3f}{:>14.2f}\n", "echo", s.echo_norm, w.echo, s.echo_contribution);
  out += fmt::format("{:<16}{:>11.1f}{:>8.3f}{:>14.2f}\n", "exposure", s.exposure_norm, w.exposure, s.exposure_contribution);
  out += fmt::format("{:<16}{:>11.1f}{:>8.3f}{:>14.2f}\n\n", "share of voice", s.sov_norm, w.sov, s.sov_contribution);
  out += fmt::format(
      "echo: {} reposts (seen {}, declared {}), {} quotes (seen {}, declared {}), {} replies (seen {}, "
      "declared {}), {} mentions outside replies, {} likes\n  = {} weighted reactions x network factor {:.3f} (PageRank {:.5f} "
      "among {} accounts) = {:.2f}\n",
      e.reposts, e.observed_reposts, e.declared_reposts, e.quotes, e.observed_quotes, e.declared_quotes, e.replies,
      e.observed_replies, e.declared_replies, e.mentions, e.likes, format_number(e.reactions), e.network_factor,
      e.pagerank, x.ranking.graph_nodes, e.value);
  out += fmt::format("exposure: audience {} (declared followers {}, follow edges {}{}); topical audience {}{}\n",
                     xp.audience, xp.declared_followers < 0 ? std::string("unknown") : std::to_string(xp.declared_followers),
                     xp.graph_followers,
                     xp.person_accounts > 1 ? fmt::format(", summed over {} accounts of one person", xp.person_accounts) : "",
                     xp.topical_audience,
                     x.ranking.exposure_mode == scoring::ExposureMode::topical ? " (scored)" : "");
  out += fmt::format(
      "share of voice: {} originals, {} replies, {} quotes, {} reposts (half weight), {} mentions by others\n"
      "  = voice {} of {} ({:.2f} %); focus {:.3f} ({} of its {} posts in the window on the topic)\n",
      v.originals, v.replies, v.quotes, v.reposts, v.mentions, format_number(v.voice),
      format_number(x.ranking.total_voice), 100 * v.value, v.focus, v.topic_posts, v.all_posts);
  if (!s.top_posts.empty()) {
    out += "\ntop topic posts by echo:\n";
    for (const auto& pe : s.top_posts) {
      const auto& p = x.corpus.posts[pe.post];
      out += fmt::format("  {:>8.2f}  {}  {}\n            {}\n", pe.echo, lib::format_rfc3339(p.created_at),
                         x.corpus.post_id(pe.post), excerpt(x.corpus.post_text(pe.post), 70));
    }
  }
  if (!s.top_echoers.empty()) {
    out += "\ntop echoers:\n";
    for (const auto& te : s.top_echoers)
      out += fmt::format("  {:>8.2f}  {} ({} reactions)\n", te.weight, printable(x.corpus.accounts[te.account].handle),
                         te.reactions);
  }
  return out;
}

}  // namespace influence::cli
