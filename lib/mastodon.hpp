#pragma once
// Mastodon REST API v1 responses as records: statuses become posts (a
// reblog is a repost of the original, replies keep their parent), accounts
// keep their counters, follower and following pages become follow edges.
#include <string>
#include <string_view>

#include "lib/batch.hpp"
#include "lib/error.hpp"

namespace influence::lib {

struct MastodonPage {
  std::string instance;   // the domain of the instance asked: "piaille.fr"
  Timestamp observed_at;  // when the response was received
  std::string source;     // the URL, for messages
  std::optional<Timestamp> since;  // statuses older than this are left out
};

// An account as "mastodon:@user@domain": a local acct ("alice") is qualified
// with the domain of its profile URL, else with the instance's domain.
std::string mastodon_account_id(std::string_view acct, std::string_view profile_url,
                                std::string_view instance);

// An array of Status (timelines, account statuses).
Result<Page> mastodon_statuses(std::string_view body, const MastodonPage& page);

// An array of Account (followers, following). `subject` is the account whose
// followers (or, with following = true, followees) these are.
Result<Page> mastodon_follow_page(std::string_view body, const MastodonPage& page,
                                   const std::string& subject, bool following);

// One Account (accounts/lookup): the record and the instance-local id that
// the other endpoints take.
struct MastodonAccount {
  Account account;
  std::string local_id;
};
Result<MastodonAccount> mastodon_account(std::string_view body, const MastodonPage& page);

}  // namespace influence::lib
