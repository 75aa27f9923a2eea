#pragma once
// Small builders for tests: temporary directories and hand-made corpora.
#include <algorithm>
#include <filesystem>
#include <random>
#include <string>

#include "lib/corpus.hpp"

namespace test {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / ("influence-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

// A corpus built by hand: accounts by handle, posts by the author's handle.
struct CorpusBuilder {
  influence::lib::Corpus c;
  CorpusBuilder() {
    c.since = 0;
    c.until = 1'000'000;
  }
  std::uint32_t account(const std::string& handle, std::int64_t followers = 0, std::string person = "") {
    influence::lib::CorpusAccount a;
    auto& text = *c.account_text;
    a.id = text.add("test:" + handle);
    a.platform = "test";
    a.handle = text.add(handle);
    a.followers = followers;
    a.person = text.add(person);
    c.accounts.push_back(a);
    return static_cast<std::uint32_t>(c.accounts.size() - 1);
  }
  std::uint32_t post(std::uint32_t author, std::string text, influence::lib::PostType type = influence::lib::PostType::original,
                     std::uint32_t parent = influence::lib::no_index, influence::lib::Timestamp at = 100) {
    influence::lib::CorpusPost p;
    const std::string id = "test:p" + std::to_string(c.posts.size());
    p.author = author;
    p.type = type;
    p.created_at = at;
    p.parent = parent;
    if (parent != influence::lib::no_index) p.parent_author = c.posts[parent].author;
    influence::lib::CorpusBuilder b(c);
    const auto i = b.add_post(p, {id, text, "", "", nullptr}, {});
    b.finish();
    mentioned.emplace_back();
    return i;
  }
  // Accounts that a post names (other than its author), set after the post.
  void mentions(std::uint32_t post, std::vector<std::uint32_t> accounts) { mentioned.at(post) = std::move(accounts); }
  void follow(std::uint32_t follower, std::uint32_t followee) { edges.emplace_back(followee, follower); }
  influence::lib::Corpus build() {
    c.mentions.clear();
    for (const auto& m : mentioned) {
      c.mentions.ids.append(m.begin(), m.end());
      c.mentions.push_row();
    }
    c.follower_start.assign(c.accounts.size() + 1, 0);
    std::sort(edges.begin(), edges.end());
    for (auto& [e, f] : edges) ++c.follower_start.mut(e + 1);
    for (std::size_t i = 1; i < c.follower_start.size(); ++i) c.follower_start.mut(i) += c.follower_start[i - 1];
    c.follower_ids.clear();
    for (auto& [e, f] : edges) c.follower_ids.push_back(f);
    if (edges.empty()) c.follower_start.clear();
    return c;
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  std::vector<std::vector<std::uint32_t>> mentioned;
};

}  // namespace test
