#include "cli/topic_run.hpp"

namespace influence::cli {

void ScoringArgs::add_to(CLI::App* cmd, bool topic_required, bool scoring_options) {
  auto* t = cmd->add_option("-t,--topic", topics,
                            "Topic name from the topics file, or an ad hoc term (ski, #freeride); repeat for any of several");
  // One value an occurrence: "--topic ski accounts" must leave "accounts"
  // to the subcommand's positional (CLI11 lets a vector option take every
  // value that follows).
  t->allow_extra_args(false);
  if (topic_required) t->required();
  window.add_to(cmd);
  cmd->add_option("--platform", platforms, "Only this platform's posts and accounts (repeatable)")
      ->allow_extra_args(false);
  if (!scoring_options) return;
  cmd->add_option("--min-posts", min_posts, "Topic posts an account needs to be a candidate (default 1)");
  cmd->add_option("--weights", weights, "Dimension weights, re-normalised: echo=0.37,exposure=0.34,sov=0.29");
  cmd->add_option("--echo-weights", echo_weights,
                  "Reaction weights: repost=1,quote=1,reply=0.75,mention=0.5,like=0.1");
  cmd->add_option("--exposure", exposure, "Exposure from the whole audience or the topical one: audience|topical")
      ->check(CLI::IsMember({"audience", "topical"}));
}

lib::Result<std::optional<lib::TopicFile>> load_topics_file(const Context& ctx) {
  const auto path = ctx.topics_path();
  if (path.empty()) return std::optional<lib::TopicFile>();
  auto tf = lib::TopicFile::load(path);
  if (!tf) return std::unexpected(tf.error());
  return std::optional<lib::TopicFile>(std::move(*tf));
}

lib::Result<std::unique_ptr<Prepared>> prepare(const Context& ctx, const ScoringArgs& args) {
  scoring::ScoringOptions opt;
  if (!args.weights.empty()) {
    auto w = scoring::parse_weights(args.weights);
    if (!w) return std::unexpected(w.error());
    opt.weights = *w;
  }
  if (!args.echo_weights.empty()) {
    auto w = scoring::parse_echo_weights(args.echo_weights);
    if (!w) return std::unexpected(w.error());
    opt.echo = *w;
  }
  if (args.min_posts < 1) return lib::fail(lib::ErrorKind::usage, "--min-posts must be at least 1");
  opt.min_posts = args.min_posts;
  opt.exposure = args.exposure == "topical" ? scoring::ExposureMode::topical : scoring::ExposureMode::audience;
  auto window = args.window.resolve();
  if (!window) return std::unexpected(window.error());
  auto file = load_topics_file(ctx);
  if (!file) return std::unexpected(file.error());
  const lib::TopicFile* tf = *file ? &**file : nullptr;
  std::vector<lib::Topic> topics;
  for (const auto& spec : args.topics) {
    auto t = lib::resolve_topic(spec, tf);
    if (!t) return std::unexpected(t.error());
    // With a topics file in use, a name it lacks is most likely a typo.
    if (tf && !tf->find(spec) && !ctx.globals.quiet)
      warn("'" + spec + "' is not a topic of " + ctx.topics_path() + "; matching it as an ad hoc term");
    topics.push_back(std::move(*t));
  }
  auto matcher = lib::TopicMatcher::build(topics, tf);
  if (!matcher) return std::unexpected(matcher.error());
  auto store = open_store(ctx, lib::OpenMode::read_only);
  if (!store) return std::unexpected(store.error());
  return std::unique_ptr<Prepared>(new Prepared{std::move(*store), std::move(*file), std::move(*matcher), opt,
                                                *window, args.platforms});
}

lib::Result<Scored> score_window(Prepared& p, lib::Timestamp since, lib::Timestamp until) {
  auto corpus = p.store->load_corpus({since, until, p.platforms});
  if (!corpus) return std::unexpected(corpus.error());
  Scored s{std::move(*corpus), {}};
  s.ranking = scoring::score_topic(s.corpus, p.matcher, p.options);
  return s;
}

}  // namespace influence::cli
