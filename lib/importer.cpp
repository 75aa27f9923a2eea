#include "lib/importer.hpp"

#include "lib/read_ahead.hpp"
#include "lib/records.hpp"
#include "lib/twitter.hpp"

namespace influence::lib {
namespace {

std::string hint(RecordKind kind, const std::string& unknown) {
  const auto near = closest_field(kind, unknown);
  return near.empty() ? " (see influence-formats(5))" : " (did you mean '" + near + "'?)";
}

std::vector<std::string> names_of(const RawRecord& r) {
  std::vector<std::string> names;
  for (const auto& f : r.fields) names.push_back(f.name);
  return names;
}

// Follows handed to the store to sort, 4 million (128 MB) at a time: the
// store sorts each batch on the other core while the next is read, and
// merges them when it stores them (see SqliteStore::flush_follows).
constexpr std::size_t follows_per_flush = 4'000'000;
// Records handed to the store together: follows and posts for their ids to be
// looked up together, accounts for several to be inserted a statement.
constexpr std::size_t records_per_batch = 256;

class Importer {
 public:
  Importer(Store& store, const ImportOptions& options) : store_(store), options_(options) {}

  Result<void> run(std::unique_ptr<LineSource> src) {
    if (options_.twitter) return run_twitter(*src);
    const std::string name = src->name();
    const InputFormat format = options_.format ? *options_.format : detect_format(name, *src);
    auto made = make_reader(format, std::move(src));
    if (!made) return std::unexpected(made.error());
    const auto names = (*made)->first_field_names();
    std::optional<RecordKind> kind = options_.kind;
    if (!kind && !names.empty()) {
      kind = detect_kind(names);
      const auto has = [&](std::string_view n) { return std::find(names.begin(), names.end(), n) != names.end(); };
      if (!kind && (has("id_str") || has("data") || has("author_id")))
        return fail_at(name, 1, {}, "this looks like Twitter/X data; pass --format twitter");
      if (!kind)
        return fail_at(name, 1, {},
                       "cannot tell whether this holds accounts, posts or follows; pass --kind");
    }
    if (format == InputFormat::csv && kind) {
      if (auto unknown = unknown_field(*kind, names); !unknown.empty())
        return fail_at(name, 1, unknown, std::string("unknown column for ") + to_string(*kind) + hint(*kind, unknown));
    }
    // Read, and read into the model, on another thread from here on.
    const auto ahead = read_ahead(std::move(*made), kind);
    ReadAhead& reader = *ahead;
    RawRecord record;
    std::size_t count = 0;
    for (;;) {
      auto got = reader.next(record);
      if (got && !*got) break;
      // The record as read, checked; its outcome in the store is tallied when stored.
      Result<void> outcome = got ? Result<void>() : std::unexpected(got.error());
      RecordKind this_kind = record.kind ? *record.kind : kind.value_or(RecordKind::accounts);
      if (got) {
        if (!record.kind && !kind) {
          outcome = fail_at(name, record.line, {}, "cannot tell the record's kind; pass --kind");
        } else if (format != InputFormat::csv) {
          if (auto unknown = unknown_field(this_kind, names_of(record)); !unknown.empty())
            outcome = fail_at(name, record.line, unknown,
                              std::string("unknown field for ") + to_string(this_kind) + hint(this_kind, unknown));
        }
        // The reading thread read it as this_kind: the record's own kind, else `kind`.
        auto& model = reader.model();
        if (outcome && !model.read) outcome = std::unexpected(model.read.error());
        if (outcome) {
          // Records are handed to the store in batches, and tallied when
          // stored. What the store does with one may depend on the records
          // of other kinds before it (the stubs they create, or fill in), so
          // those are stored first: only one kind ever waits.
          if (auto r = store_waiting(this_kind); !r) return r;
          if (auto r = wait(this_kind, model); !r) return r;
        }
      }
      if (!outcome) {
        if (outcome.error().kind != ErrorKind::input) return std::unexpected(outcome.error());
        auto& tally = summary_.by_kind[static_cast<std::size_t>(this_kind)];
        ++tally.rejected;
        summary_.errors.push_back(outcome.error());
        if (summary_.errors.size() > options_.max_errors || reader.fatal())
          return std::unexpected(outcome.error());
        if (options_.on_reject)
          options_.on_reject(Rejected{name, format, reader.rejects_header(), record.verbatim});
        continue;
      }
      if (options_.on_progress && ++count % 4096 == 0)
        options_.on_progress(name, reader.bytes_read(), reader.source().size_hint());
    }
    if (auto r = store_waiting(); !r) return r;
    if (auto r = flush_follows(); !r) return r;
    if (reader.read_error())
      return std::unexpected(Error{ErrorKind::io, "read error", name, 0, {}});
    if (options_.on_progress)
      options_.on_progress(name, reader.bytes_read(), reader.source().size_hint());
    return {};
  }

  ImportSummary& summary() { return summary_; }

  // Stores the records read and waiting, but those of `except` (follows are
  // handed to the store's queue).
  Result<void> store_waiting(std::optional<RecordKind> except = std::nullopt) {
    if (except != RecordKind::accounts)
      if (auto r = store_all(accounts_, waiting_accounts_, RecordKind::accounts); !r) return r;
    if (except != RecordKind::posts)
      if (auto r = store_all(posts_, waiting_posts_, RecordKind::posts); !r) return r;
    if (except != RecordKind::follows) return queue_follows();
    return {};
  }

  // The record's value joins the waiting ones of its kind (swapped with a
  // value kept from the last batch, which goes back to be read into); a
  // full batch is stored, or handed to the store's queue.
  Result<void> wait(RecordKind kind, ModelRecord& m) {
    switch (kind) {
      case RecordKind::accounts:
        if (join(accounts_, waiting_accounts_, m.account) == records_per_batch)
          return store_all(accounts_, waiting_accounts_, kind);
        return {};
      case RecordKind::posts:
        if (join(posts_, waiting_posts_, m.post) == records_per_batch)
          return store_all(posts_, waiting_posts_, kind);
        return {};
      case RecordKind::follows:
        if (join(pending_follows_, pending_, m.follow) == records_per_batch) return queue_follows();
        return {};
    }
    return {};
  }
  template <class T>
  static std::size_t join(std::vector<T>& batch, std::size_t& waiting, T& value) {
    if (waiting == batch.size()) batch.emplace_back();
    using std::swap;  // a model type's own
    swap(batch[waiting], value);
    return ++waiting;
  }

  // Stores the waiting accounts or posts, and counts what they became.
  template <class T>
  Result<void> store_all(const std::vector<T>& batch, std::size_t& waiting, RecordKind kind) {
    if (waiting == 0) return {};
    auto counts = store_.put_all(std::span<const T>(batch).first(waiting));
    waiting = 0;
    if (!counts) return std::unexpected(counts.error());
    tally(kind, *counts);
    return {};
  }
  void tally(RecordKind kind, const std::array<std::int64_t, 3>& counts) {
    auto& t = summary_.by_kind[static_cast<std::size_t>(kind)];
    t.inserted += counts[0];
    t.updated += counts[1];
    t.unchanged += counts[2];
  }

  // Hands the follows read since the last call to the store, and stores the
  // queue when it is long enough.
  Result<void> queue_follows() {
    if (pending_ == 0) return {};
    auto q = store_.queue(std::span<const Follow>(pending_follows_).first(pending_));
    pending_ = 0;
    if (!q) return std::unexpected(q.error());
    // Sorted behind, while the next batch is read: stored by the next flush.
    if (store_.queued_follows() >= follows_per_flush) return flush_follows(true);
    return {};
  }

  // Stores the queued follows (with `behind`, those of the last call, the
  // others left sorting) and counts what they became.
  Result<void> flush_follows(bool behind = false) {
    auto counts = store_.flush_follows(behind);
    if (!counts) return std::unexpected(counts.error());
    tally(RecordKind::follows, *counts);
    return {};
  }

 private:
  // A bad record: counted, and past max_errors the end of the import.
  Result<void> reject(RecordKind kind, const Error& e, const std::string& source, std::string_view verbatim,
                      bool fatal) {
    ++summary_.by_kind[static_cast<std::size_t>(kind)].rejected;
    summary_.errors.push_back(e);
    if (summary_.errors.size() > options_.max_errors || fatal) return std::unexpected(e);
    if (options_.on_reject) options_.on_reject(Rejected{source, InputFormat::jsonl, {}, std::string(verbatim)});
    return {};
  }

  // Twitter/X files: JSON Lines (one tweet or response a line) when the first
  // line is a JSON value of its own, else one JSON document.
  Result<void> run_twitter(LineSource& src) {
    const std::string name = src.name();
    const Timestamp now = now_utc();
    bool called = false;
    bool stopped = false;  // `each` gave up: its error ends the import
    std::size_t line_no = 0;
    auto each = [&](Result<Batch> tweet, std::string_view verbatim) -> Result<void> {
      called = true;
      auto r = tweet ? put_batch(store_, *tweet, summary_)
                     : reject(RecordKind::posts, tweet.error(), name, verbatim, false);
      stopped = !r;
      return r;
    };
    std::string line, document;
    std::size_t count = 0;
    while (src.next(line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      line_no = src.line_number();
      auto r = read_twitter(line, name, line_no, now, each);
      const auto last = line.find_last_not_of(" \t\r");
      if (!r && !called && count == 0 && line[last] != '}' && r.error().message.starts_with("invalid JSON")) {
        // A document spread over lines: read it whole.
        document = line + "\n";
        while (src.next(line)) document += line + "\n";
        if (src.read_error()) return std::unexpected(Error{ErrorKind::io, "read error", name, 0, {}});
        return read_twitter(document, name, line_no, now, each);
      }
      if (!r) {
        // A line that is not JSON, or holds no tweets, is one bad record.
        if (stopped || r.error().kind != ErrorKind::input) return r;
        if (auto k = reject(RecordKind::posts, r.error(), name, line, false); !k) return k;
      }
      if (++count % 1024 == 0 && options_.on_progress) options_.on_progress(name, src.bytes_read(), src.size_hint());
    }
    if (src.read_error()) return std::unexpected(Error{ErrorKind::io, "read error", name, 0, {}});
    if (options_.on_progress) options_.on_progress(name, src.bytes_read(), src.size_hint());
    return {};
  }

  Store& store_;
  const ImportOptions& options_;
  ImportSummary summary_;
  // The first `pending_` are read and not yet handed to the store.
  std::vector<Follow> pending_follows_;
  std::size_t pending_ = 0;
  // The same for accounts and posts: the first waiting_... are not yet stored.
  std::vector<Account> accounts_;
  std::size_t waiting_accounts_ = 0;
  std::vector<Post> posts_;
  std::size_t waiting_posts_ = 0;
};

}  // namespace

Result<void> put_batch(Store& store, const Batch& batch, ImportSummary& summary) {
  auto count = [&](RecordKind kind, Result<Upsert> r) -> Result<void> {
    if (!r) return std::unexpected(r.error());
    auto& t = summary.by_kind[static_cast<std::size_t>(kind)];
    switch (*r) {
      case Upsert::inserted: ++t.inserted; break;
      case Upsert::updated: ++t.updated; break;
      case Upsert::unchanged: ++t.unchanged; break;
    }
    return {};
  };
  for (const auto& a : batch.accounts)
    if (auto r = count(RecordKind::accounts, store.put(a)); !r) return r;
  for (const auto& p : batch.posts)
    if (auto r = count(RecordKind::posts, store.put(p)); !r) return r;
  for (const auto& f : batch.follows)
    if (auto r = count(RecordKind::follows, store.put(f)); !r) return r;
  return {};
}

Result<ImportSummary> import_sources(Store& store, std::vector<std::unique_ptr<LineSource>> sources,
                                     const ImportOptions& options) {
  if (auto b = store.begin(); !b) return std::unexpected(b.error());
  Importer importer(store, options);
  for (auto& src : sources) {
    if (auto r = importer.run(std::move(src)); !r) {
      store.rollback();
      return std::unexpected(r.error());
    }
  }
  importer.summary().stubs = store.stubs_created();
  store.end_of_input();
  if (auto c = store.commit(); !c) return std::unexpected(c.error());
  return std::move(importer.summary());
}

Result<ImportSummary> import_inputs(Store& store, const std::vector<std::string>& inputs,
                                    const ImportOptions& options) {
  std::vector<std::unique_ptr<LineSource>> sources;
  for (const auto& path : inputs) {
    auto src = LineSource::open(path);
    if (!src) return std::unexpected(src.error());
    sources.push_back(std::move(*src));
  }
  return import_sources(store, std::move(sources), options);
}

}  // namespace influence::lib
