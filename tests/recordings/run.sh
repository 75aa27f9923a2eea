#!/usr/bin/env bash
# Fetches real platform recordings (../shared/data/api-samples: Mastodon and
# Bluesky responses recorded in 2025) through the local replay server, and
# checks that everything the responses hold is stored, no more and no less,
# against counts computed from the raw responses by scenarios.py.
# Exit 77 (skipped) when the recordings are not there, as in a user's clone.
set -u
BIN=$1 SRC=$2
samples="$SRC/../shared/data/api-samples"
[ -f "$samples/mastodon/responses.jsonl.gz" ] && [ -f "$samples/bluesky/responses.jsonl.gz" ] || {
  echo "no recordings at $samples: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export SRC
python3 "$SRC/tests/recordings/scenarios.py" "$samples" "$work" > expect.txt || exit 1
want() { awk -v k="$1" '$1 == k { print $2 }' expect.txt; }
influence() { "$BIN" --no-config -q "$@"; }
. "$SRC/tests/http/serve.sh"
# serve.sh's trap replaced the one above: the servers stop, then the work
# directory goes.
trap 'stop_servers; rm -rf "$work"' EXIT
failures=0
check() {  # check WHAT GOT WANTED
  if [ "$2" = "$3" ]; then echo "ok   $1: $2"; else echo "FAIL $1: got $2, want $3"; failures=$((failures + 1)); fi
}
count() { influence --db "$1" export "$2" --format jsonl | wc -l; }

serve "$work/mastodon.json"
influence --db m.db fetch mastodon --instance mastodon.social --api "$BASE" --tag ichbinhanna
check "mastodon hashtag chain: exit" $? 0
check "mastodon hashtag chain: posts" "$(count m.db posts)" "$(want mastodon_tag_posts)"
check "mastodon hashtag chain: pages" "$(grep -c timelines/tag "$REQUESTS")" 5
influence --db f.db fetch mastodon --instance fosstodon.org --api "$BASE" --followers "@$(want mastodon_acct)"
check "mastodon followers: exit" $? 0
check "mastodon followers: edges" "$(count f.db follows)" "$(want mastodon_follower_edges)"

serve "$work/bluesky.json"
influence --db b.db fetch bluesky --service "$BASE" --actor "$(want bluesky_actor)"
check "bluesky author feed: exit" $? 0
check "bluesky author feed: posts" "$(count b.db posts)" "$(want bluesky_feed_posts)"
influence --db b.db export accounts --format jsonl | grep -q "\"handle\":\"$(want bluesky_actor)\".*\"followers\":[0-9]"
check "bluesky profile counters kept" $? 0
influence --db g.db fetch bluesky --service "$BASE" --followers "$(want bluesky_actor)"
check "bluesky followers: exit" $? 0
check "bluesky followers: edges" "$(count g.db follows)" "$(want bluesky_follower_edges)"
influence --db s.db fetch bluesky --service "$BASE" --query "$(want bluesky_query)"
check "bluesky search: exit" $? 0
check "bluesky search: posts at least" "$([ "$(count s.db posts)" -ge "$(want bluesky_search_items)" ] && echo yes)" yes
[ $failures = 0 ]
