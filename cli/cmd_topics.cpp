// influence topics: the hashtags and words a window talks about, to pick
// topics; --show prints a topic's definition from the topics file.
#include "cli/topic_run.hpp"
#include "lib/terms.hpp"

namespace influence::cli {
namespace {

struct TopicsArgs {
  WindowOptions window;
  std::vector<std::string> platforms;
  std::size_t top = 20;
  std::string show;
  bool list = false;
  OutputOptions out;
};

int run_topics(Context& ctx, const TopicsArgs& args) {
  if (!args.show.empty() || args.list) {
    auto file = load_topics_file(ctx);
    if (!file) return report(file.error());
    if (!*file) return usage_error("no topics file: name one with --topics, $INFLUENCE_TOPICS or the config file");
    if (args.list) {
      for (const auto& t : (*file)->topics()) std::printf("%s\n", t.name.c_str());
      return Exit::ok;
    }
    const lib::Topic* t = (*file)->find(args.show);
    if (!t) {
      std::string names;
      for (const auto& k : (*file)->topics()) names += (names.empty() ? "" : ", ") + k.name;
      return usage_error("unknown topic '" + args.show + "' (topics: " + names + ")");
    }
    std::fputs(lib::describe(*t).c_str(), stdout);
    return Exit::ok;
  }
  auto win = args.window.resolve();
  if (!win) return report(win.error());
  auto store = open_store(ctx, lib::OpenMode::read_only);
  if (!store) return report(store.error());
  auto corpus = (*store)->load_corpus({win->since, win->until, args.platforms});
  if (!corpus) return report(corpus.error());
  const auto terms = lib::top_terms(*corpus, args.top, args.top);
  auto sink = Sink::open(args.out.output);
  if (!sink) return report(sink.error());
  auto wopt = args.out.resolve(ctx, **sink);
  if (!wopt) return report(wopt.error());
  auto w = make_writer(**sink, *wopt);
  w->begin({{"kind"}, {"term"}, {"posts", true}, {"authors", true}});
  for (const auto& t : terms)
    w->row({Cell::str(t.hashtag ? "hashtag" : "word"), Cell::str(t.hashtag ? "#" + t.term : t.term),
            Cell::num(std::to_string(t.posts)), Cell::num(std::to_string(t.authors))});
  w->end();
  if (auto r = (*sink)->commit(); !r) return report(r.error());
  return Exit::ok;
}

}  // namespace

void register_topics(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<TopicsArgs>();
  auto* cmd = app.add_subcommand("topics", "The most used hashtags and words of a window; a topic's definition");
  cmd->footer(
      "Examples:\n"
      "  influence topics --since 7d --top 30\n"
      "  influence --topics fixtures/ski/topics topics --show ski\n"
      "  influence --topics fixtures/ski/topics topics --list");
  args->window.add_to(cmd);
  cmd->add_option("--platform", args->platforms, "Only this platform's posts (repeatable)")->allow_extra_args(false);
  cmd->add_option("--top", args->top, "How many hashtags and how many words (default 20 each)");
  cmd->add_option("--show", args->show, "Print this topic's definition from the topics file");
  cmd->add_flag("--list", args->list, "List the topics of the topics file");
  args->out.add_to(cmd);
  cmd->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_topics(ctx, *args); }; });
}

}  // namespace influence::cli
