#pragma once
// Records converted from a platform's response or export, ready to store:
// what one fetched page or one Twitter/X record becomes.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lib/model.hpp"

namespace influence::lib {

struct Batch {
  std::vector<Account> accounts;
  std::vector<Post> posts;
  std::vector<Follow> follows;

  // The same account or post often appears several times in one response
  // (an author of many posts, a reblogged status): keep the first.
  void add(Account a) {
    if (account_ids_.insert(a.id).second) accounts.push_back(std::move(a));
  }
  void add(Post p) {
    if (post_ids_.insert(p.id).second) posts.push_back(std::move(p));
  }
  // A list of followers may name its own subject; an account following
  // itself says nothing (the native formats refuse it), so it is left out.
  void add(Follow f) {
    if (f.follower != f.followee) follows.push_back(std::move(f));
  }
  bool empty() const { return accounts.empty() && posts.empty() && follows.empty(); }
  std::size_t size() const { return accounts.size() + posts.size() + follows.size(); }

 private:
  std::set<std::string> account_ids_, post_ids_;
};

// One page of a paginated response, converted.
struct Page {
  Batch batch;
  std::size_t items = 0;            // top-level items kept (statuses, posts, listed accounts)
  std::optional<Timestamp> oldest;  // the oldest top-level item, kept or not
  std::string cursor;               // Bluesky's cursor; "" on the last page
};

}  // namespace influence::lib
