#!/usr/bin/env python3
"""Turns the real platform recordings of ../shared/data/api-samples into
scenarios for tests/http/server.py, and prints what a correct import of each
must store, computed here from the raw responses (an oracle independent of
the C++ mappers).

Usage: scenarios.py API_SAMPLES_DIR OUT_DIR
Writes OUT_DIR/mastodon.json, OUT_DIR/bluesky.json; prints "name value" lines.
"""
import gzip
import json
import os
import re
import sys
import urllib.parse

samples, out = sys.argv[1:3]


def exchanges(platform):
    with gzip.open(os.path.join(samples, platform, "responses.jsonl.gz"), "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def split(uri):
    u = urllib.parse.urlsplit(uri)
    return u.path, dict(urllib.parse.parse_qsl(u.query))


def route(path, params, body, headers=None):
    return {"path": path, "params": params, "responses": [{"body": body, "headers": headers or {}}]}


expect = {}

# ---- Mastodon: a hashtag timeline chained by Link headers, followers of an account.
m = exchanges("mastodon")
chain = sorted((e for e in m if e["cassette"] == "handle_params_max_id.yml"), key=lambda e: e["index"])
routes = []
ids = set()
items = 0
for e in chain:
    path, params = split(e["uri"])
    link = re.sub(r"https://mastodon\.social", "{base}", e["link"])
    want = {"max_id": params["max_id"]} if "max_id" in params else {}
    routes.append(route(path, want, e["body"], {"Link": link}))
    for s in json.loads(e["body"]):
        items += 1
        ids.add(s["id"])
        if s.get("reblog"):
            ids.add(s["reblog"]["id"])
        q = (s.get("quote") or {}).get("quoted_status")
        if q:
            ids.add(q["id"])
last_next = re.search(r"max_id=(\d+)", chain[-1]["link"]).group(1)
routes.append(route(split(chain[0]["uri"])[0], {"max_id": last_next}, "[]"))
expect["mastodon_tag_items"] = items
expect["mastodon_tag_posts"] = len(ids)

account = next(e for e in m if e["cassette"] == "get_account_default.yml")
acct = json.loads(account["body"])
followers = next(e for e in m if e["cassette"] == "get_account_followers_default.yml")
routes.append(route("/api/v1/accounts/lookup", {"acct": acct["acct"]}, account["body"]))
path, _ = split(followers["uri"])
routes.append(route(path, {}, followers["body"]))  # no Link: one page
expect["mastodon_follower_edges"] = len(json.loads(followers["body"]))
expect["mastodon_acct"] = acct["acct"]
with open(os.path.join(out, "mastodon.json"), "w", encoding="utf-8") as f:
    json.dump({"routes": routes}, f)

# ---- Bluesky: a profile, an author feed, followers, a post search.
b = {e["cassette"]: e for e in exchanges("bluesky")}
routes = []
profile = json.loads(b["a_profile.yml"]["body"])["profiles"][0]
actor = profile["handle"]
routes.append(route("/xrpc/app.bsky.actor.getProfile", {"actor": actor}, profile))
feed = json.loads(b["f_autfeed.yml"]["body"])
routes.append(route("/xrpc/app.bsky.feed.getAuthorFeed", {"actor": actor}, feed))
routes.append(route("/xrpc/app.bsky.feed.getAuthorFeed", {"actor": actor, "cursor": feed["cursor"]}, {"feed": []}))
uris = set()
reposts = 0
def with_quoted(post):
    """A post's URI and, when its embed view shows a quoted post in full, that one's."""
    uris.add(post["uri"])
    rec = (post.get("embed") or {}).get("record") or {}
    if isinstance(rec.get("record"), dict):
        rec = rec["record"]
    if rec.get("$type") == "app.bsky.embed.record#viewRecord" and "/app.bsky.feed.post/" in rec.get("uri", "") and "value" in rec:
        uris.add(rec["uri"])


for item in feed["feed"]:
    with_quoted(item["post"])
    for which in ("root", "parent"):
        ctx = (item.get("reply") or {}).get(which) or {}
        if ctx.get("$type") == "app.bsky.feed.defs#postView":
            with_quoted(ctx)
    if (item.get("reason") or {}).get("$type") == "app.bsky.feed.defs#reasonRepost":
        reposts += 1
expect["bluesky_feed_items"] = len(feed["feed"])
expect["bluesky_feed_posts"] = len(uris) + reposts
fol = json.loads(b["g_followers.yml"]["body"])
routes.append(route("/xrpc/app.bsky.graph.getFollowers", {"actor": actor}, fol))
routes.append(route("/xrpc/app.bsky.graph.getFollowers", {"actor": actor, "cursor": fol.get("cursor", "")}, {"subject": fol["subject"], "followers": []}))
expect["bluesky_follower_edges"] = len(fol["followers"])
search = json.loads(b["f_search.yml"]["body"])
q = split(b["f_search.yml"]["uri"])[1]["q"]
routes.append(route("/xrpc/app.bsky.feed.searchPosts", {"q": q}, search))
routes.append(route("/xrpc/app.bsky.feed.searchPosts", {"q": q, "cursor": search.get("cursor", "")}, {"posts": []}))
expect["bluesky_search_items"] = len(search["posts"])
expect["bluesky_actor"] = actor
expect["bluesky_query"] = q
with open(os.path.join(out, "bluesky.json"), "w", encoding="utf-8") as f:
    json.dump({"routes": routes}, f)

for k, v in expect.items():
    print(k, v)
