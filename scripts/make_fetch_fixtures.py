#!/usr/bin/env python3
"""Writes fixtures/fetch/: small Mastodon and Bluesky API responses and Twitter/X
files, shaped as the platforms document them (Mastodon REST v1 Status and
Account entities, Bluesky app.bsky.* views, Twitter API v1.1 tweets and v2
responses), about a ski resort group. Deterministic; the output is checked in.

Also writes the scenarios of the local test server (tests/http/scenarios/):
which response each request gets, faults included.

Usage: scripts/make_fetch_fixtures.py
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "fixtures", "fetch")
SCENARIOS = os.path.join(ROOT, "tests", "http", "scenarios")


def write(rel, value):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        if isinstance(value, str):
            f.write(value)
        else:
            json.dump(value, f, ensure_ascii=False, indent=1)
            f.write("\n")


# ---------------------------------------------------------------- Mastodon
def m_account(n, username, display, note, followers, following, statuses, domain=None, bot=False):
    acct = username if domain is None else f"{username}@{domain}"
    home = "piaille.fr" if domain is None else domain
    return {
        "id": str(109000000000000000 + n), "username": username, "acct": acct, "display_name": display,
        "locked": False, "bot": bot, "discoverable": True, "group": False,
        "created_at": "2022-11-0%dT00:00:00.000Z" % (1 + n % 9), "note": note,
        "url": f"https://{home}/@{username}", "uri": f"https://{home}/users/{username}",
        "avatar": f"https://{home}/avatars/{n}.png", "header": "", "followers_count": followers,
        "following_count": following, "statuses_count": statuses, "last_status_at": "2026-02-10",
        "emojis": [], "fields": [],
    }


station = m_account(1, "valneige", "Station Val Neige", "<p>Station de ski des Alpes &amp; ses 120 km de pistes</p>", 18200, 310, 2400)
julie = m_account(2, "julie_esf", "Julie (ESF Val Neige)", "<p>Monitrice ESF, ambassadrice <a href=\"https://piaille.fr/tags/ValNeige\">#ValNeige</a></p>", 2638, 153, 1200)
tom = m_account(3, "tomfreeride", "Tom Freeride", "<p>Freeride, splitboard &amp; avalanche safety</p>", 4100, 420, 3100, domain="mastodon.social")
cyc = m_account(4, "velo_lucie", "Lucie à vélo", "<p>Cyclisme et cuisine</p>", 900, 300, 800, domain="mamot.fr")
bot = m_account(5, "snowreport", "Snow report bot", "<p>Automated snow depths</p>", 120, 0, 9000, domain="botsin.space", bot=True)


def m_status(n, account, created, content, tags=(), mentions=(), reply_to=None, reblog=None, counts=(0, 0, 0),
             spoiler="", language="fr", quote=None):
    local = str(115000000000000000 + n)
    home = account["url"].split("/")[2]
    s = {
        "id": local, "created_at": created, "in_reply_to_id": None, "in_reply_to_account_id": None,
        "sensitive": False, "spoiler_text": spoiler, "visibility": "public", "language": language,
        "uri": f"https://{home}/users/{account['username']}/statuses/{local}",
        "url": f"https://{home}/@{account['username']}/{local}",
        "replies_count": counts[0], "reblogs_count": counts[1], "favourites_count": counts[2],
        "edited_at": None, "content": content, "reblog": reblog, "application": None, "account": account,
        "media_attachments": [], "mentions": [
            {"id": m["id"], "username": m["username"], "url": m["url"], "acct": m["acct"]} for m in mentions],
        "tags": [{"name": t, "url": f"https://piaille.fr/tags/{t}"} for t in tags],
        "emojis": [], "card": None, "poll": None,
    }
    if reply_to is not None:
        s["in_reply_to_id"] = reply_to["id"]
        s["in_reply_to_account_id"] = reply_to["account"]["id"]
    if reblog is not None:
        s["content"] = ""
        s["language"] = None
        s["replies_count"] = s["reblogs_count"] = s["favourites_count"] = 0
    if quote is not None:
        s["quote"] = {"state": "accepted", "quoted_status": quote}
    return s


p1 = m_status(1, station, "2026-02-10T08:00:00.000Z",
              "<p>Poudreuse fraîche ce matin : 40 cm ! <a href=\"https://piaille.fr/tags/ski\" class=\"mention hashtag\">#<span>ski</span></a> <a href=\"https://piaille.fr/tags/poudreuse\">#<span>poudreuse</span></a></p>",
              tags=["ski", "poudreuse"], counts=(3, 12, 45))
p2 = m_status(2, julie, "2026-02-10T08:30:00.000Z",
              "<p><span class=\"h-card\"><a href=\"https://piaille.fr/@valneige\">@<span>valneige</span></a></span> Les cours du matin sont complets &#x1F3BF; <a href=\"https://piaille.fr/tags/ski\">#ski</a></p>",
              tags=["ski"], mentions=[station], reply_to=p1, counts=(1, 2, 9))
p3 = m_status(3, tom, "2026-02-10T09:00:00.000Z", "", reblog=p1)
p4 = m_status(4, tom, "2026-02-09T17:00:00.000Z",
              "<p>Avalanche risk 4/5 above 2200 m today.<br>Stay on the groomed runs. <a href=\"https://mastodon.social/tags/ski\">#ski</a> <a href=\"https://mastodon.social/tags/SkiSafety\">#SkiSafety</a></p>",
              tags=["ski", "skisafety"], counts=(5, 30, 61), spoiler="avalanche", language="en")
p5 = m_status(5, julie, "2026-02-09T12:00:00.000Z",
              "<p>Important, à lire avant de partir en hors-piste <a href=\"https://piaille.fr/tags/ski\">#ski</a></p>",
              tags=["ski"], counts=(0, 4, 11), quote=p4)
p6 = m_status(6, bot, "2026-02-08T06:00:00.000Z", "<p>Val Neige: 185 cm at the summit <a href=\"https://botsin.space/tags/ski\">#ski</a></p>",
              tags=["ski"], counts=(0, 0, 1), language="en")
p7 = m_status(7, cyc, "2026-02-07T18:00:00.000Z",
              "<p>Après le vélo, une raclette bien méritée <a href=\"https://mamot.fr/tags/ski\">#ski</a> (enfin, presque)</p>",
              tags=["ski"], counts=(0, 0, 2))
p8 = m_status(8, station, "2026-02-07T08:00:00.000Z",
              "<p>Ouverture du nouveau télésiège ce week-end <a href=\"https://piaille.fr/tags/ski\">#ski</a> <a href=\"https://piaille.fr/tags/SkiAlpin\">#SkiAlpin</a></p>",
              tags=["ski", "skialpin"], counts=(2, 8, 30))
p9 = m_status(9, julie, "2026-02-06T10:00:00.000Z", "", reblog=p8)


def tag_link(tag, max_id, min_id):
    return (f'<{{base}}/api/v1/timelines/tag/{tag}?limit=40&max_id={max_id}>; rel="next", '
            f'<{{base}}/api/v1/timelines/tag/{tag}?limit=40&min_id={min_id}>; rel="prev"')


write("mastodon/tag-ski-1.json", [p3, p2, p1])
write("mastodon/tag-ski-2.json", [p4, p5, p6])
write("mastodon/tag-ski-3.json", [p7, p8, p9])
write("mastodon/tag-ski-4.json", [])
write("mastodon/lookup-valneige.json", station)
write("mastodon/statuses-valneige.json", [p1, p8])
followers = [m_account(100 + i, f"skieur{i}", f"Skieur {i}", "<p>Le ski, toujours</p>", 50 + 7 * i, 80 + i, 100 + 3 * i,
                       domain=None if i % 2 else "mastodon.social") for i in range(6)]
write("mastodon/followers-valneige-1.json", followers[:3] + [julie])
write("mastodon/followers-valneige-2.json", followers[3:] + [tom])

# ----------------------------------------------------------------- Bluesky
def b_profile(did, handle, name, desc, followers=None, follows=None, posts=None, detailed=False):
    p = {"did": did, "handle": handle, "displayName": name, "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/a@jpeg",
         "labels": [], "createdAt": "2023-09-01T10:00:00.000Z", "indexedAt": "2024-01-01T10:00:00.000Z",
         "description": desc}
    if detailed:
        p.update({"followersCount": followers, "followsCount": follows, "postsCount": posts, "associated": {"lists": 0, "feedgens": 0}})
    return p


vn = "did:plc:valneige7a2bq4xkd3u5tcz"
ana = "did:plc:anacoach3m5kdz2sxq7h4wl"
news = "did:plc:alpesnews4b6qz7ktw2xj5cd"
lou = "did:plc:loufreeski5c7wk3rzq2yx6m"
vn_p = b_profile(vn, "valneige.bsky.social", "Val Neige", "Station de ski 🎿")
ana_p = b_profile(ana, "ana.coach.bsky.social", "Ana, coach ski", "Coach ski alpin, Team Val Neige")
news_p = b_profile(news, "alpesnews.fr", "Alpes News", "L'actualité des Alpes")
lou_p = b_profile(lou, "lou.freeski.bsky.social", "Lou", "Freeski & backcountry")


def b_post(did, profile, rkey, text, created, counts=(0, 0, 0, 0), facets=(), reply=None, embed=None, langs=("fr",)):
    uri = f"at://{did}/app.bsky.feed.post/{rkey}"
    record = {"$type": "app.bsky.feed.post", "createdAt": created, "langs": list(langs), "text": text}
    if facets:
        record["facets"] = list(facets)
    if reply:
        record["reply"] = {"root": {"cid": "bafyroot", "uri": reply[0]}, "parent": {"cid": "bafyparent", "uri": reply[1]}}
    if embed:
        record["embed"] = {"$type": "app.bsky.embed.record", "record": {"cid": "bafyq", "uri": embed["uri"]}}
    post = {"uri": uri, "cid": "bafy" + rkey, "author": profile, "record": record, "replyCount": counts[0],
            "repostCount": counts[1], "likeCount": counts[2], "quoteCount": counts[3],
            "indexedAt": created, "labels": []}
    if embed:
        post["embed"] = {"$type": "app.bsky.embed.record#view", "record": {
            "$type": "app.bsky.embed.record#viewRecord", "uri": embed["uri"], "cid": embed["cid"],
            "author": embed["author"], "value": embed["record"], "labels": [], "likeCount": embed["likeCount"],
            "replyCount": embed["replyCount"], "repostCount": embed["repostCount"], "quoteCount": embed["quoteCount"],
            "indexedAt": embed["indexedAt"], "embeds": []}}
    return post


def tag_facet(text, tag):
    start = text.encode().index(("#" + tag).encode())
    return {"index": {"byteStart": start, "byteEnd": start + len(tag.encode()) + 1},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}]}


def mention_facet(text, handle, did):
    start = text.encode().index(("@" + handle).encode())
    return {"index": {"byteStart": start, "byteEnd": start + len(handle.encode()) + 1},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}]}


t1 = "Neige fraîche sur tout le domaine ! #ski #poudreuse"
b1 = b_post(vn, vn_p, "3lvn0001aaa2a", t1, "2026-02-10T07:45:00.000Z", (4, 15, 80, 2),
            [tag_facet(t1, "ski"), tag_facet(t1, "poudreuse")])
t2 = "Stage de perfectionnement samedi avec @ana.coach.bsky.social #SkiAlpin"
b2 = b_post(vn, vn_p, "3lvn0002bbb2b", t2, "2026-02-09T09:00:00.000Z", (1, 3, 25, 0),
            [mention_facet(t2, "ana.coach.bsky.social", ana), tag_facet(t2, "SkiAlpin")])
t3 = "Merci ! Inscriptions ouvertes 🎿"
b3 = b_post(ana, ana_p, "3lana0003ccc2c", t3, "2026-02-09T10:00:00.000Z", (0, 1, 6, 0),
            reply=(b2["uri"], b2["uri"]))
t4 = "La saison est lancée à Val Neige, fréquentation en hausse #ski"
b4 = b_post(news, news_p, "3lnews004ddd2", t4, "2026-02-08T12:00:00.000Z", (2, 9, 40, 3), [tag_facet(t4, "ski")])
t5 = "Belle couverture de la saison par la presse locale"
b5 = b_post(vn, vn_p, "3lvn0005eee2e", t5, "2026-02-08T13:00:00.000Z", (0, 2, 12, 0), embed=b4)
t6 = "Old post about cycling"
b6 = b_post(vn, vn_p, "3lvn0006fff2f", t6, "2026-01-02T08:00:00.000Z", (0, 0, 1, 0), langs=("en",))

write("bluesky/profile-valneige.json", dict(b_profile(vn, "valneige.bsky.social", "Val Neige", "Station de ski 🎿", 5400, 210, 830, True),
                                            verification={"verifications": [], "verifiedStatus": "valid", "trustedVerifierStatus": "none"}))
write("bluesky/feed-valneige-1.json", {"feed": [
    {"post": b1},
    {"post": b4, "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "by": vn_p, "indexedAt": "2026-02-09T18:00:00.000Z"}},
    {"post": b3, "reply": {"root": dict(b2, **{"$type": "app.bsky.feed.defs#postView"}),
                           "parent": dict(b2, **{"$type": "app.bsky.feed.defs#postView"}),
                           "grandparentAuthor": vn_p}},
], "cursor": "2026-02-09T09:59:59.000Z"})
write("bluesky/feed-valneige-2.json", {"feed": [{"post": b2}, {"post": b5}, {"post": b6}]})
write("bluesky/followers-valneige-1.json", {"subject": vn_p, "followers": [ana_p, lou_p], "cursor": "3lfollow2"})
write("bluesky/followers-valneige-2.json", {"subject": vn_p, "followers": [news_p]})
write("bluesky/search-ski-1.json", {"posts": [b1, b4], "cursor": "2"})
write("bluesky/search-ski-2.json", {"posts": []})

# ----------------------------------------------------------------- Twitter/X
def v1_user(uid, screen, name, desc, followers, friends, statuses, verified=False):
    return {"id": uid, "id_str": str(uid), "name": name, "screen_name": screen, "location": "Savoie",
            "description": desc, "url": None, "protected": False, "followers_count": followers,
            "friends_count": friends, "listed_count": 3, "created_at": "Mon Jan 09 10:00:00 +0000 2012",
            "favourites_count": 10, "verified": verified, "statuses_count": statuses, "lang": None}


u1 = v1_user(1001, "ValNeige", "Val Neige", "Station de ski", 25000, 400, 5300, True)
u2 = v1_user(1002, "TomFreeride", "Tom Freeride", "Freeride & safety", 4100, 500, 3100)
u3 = v1_user(1003, "LucieVelo", "Lucie", "Vélo", 800, 300, 700)


def v1_tweet(tid, user, created, text, hashtags=(), mentions=(), counts=(0, 0, 0, 0), **extra):
    t = {"created_at": created, "id": tid, "id_str": str(tid), "full_text": text, "truncated": False,
         "entities": {"hashtags": [{"text": h, "indices": [0, 1]} for h in hashtags], "symbols": [],
                      "user_mentions": [{"screen_name": m["screen_name"], "name": m["name"], "id": m["id"],
                                         "id_str": m["id_str"], "indices": [0, 1]} for m in mentions], "urls": []},
         "source": "web", "in_reply_to_status_id": None, "in_reply_to_status_id_str": None,
         "in_reply_to_user_id": None, "in_reply_to_user_id_str": None, "in_reply_to_screen_name": None,
         "user": user, "is_quote_status": False, "reply_count": counts[0], "retweet_count": counts[1],
         "favorite_count": counts[2], "quote_count": counts[3], "favorited": False, "retweeted": False, "lang": "fr"}
    t.update(extra)
    return t


w1 = v1_tweet(1490000000000000001, u1, "Mon Feb 09 08:00:00 +0000 2026", "Ouverture du snowpark ce matin ! #ski #freestyle",
              ["ski", "freestyle"], counts=(4, 20, 95, 1))
w2 = v1_tweet(1490000000000000002, u2, "Mon Feb 09 09:30:00 +0000 2026", "@ValNeige Superbe, on y sera demain #ski",
              ["ski"], [u1], counts=(0, 1, 7, 0), in_reply_to_status_id=w1["id"],
              in_reply_to_status_id_str=w1["id_str"], in_reply_to_user_id=1001, in_reply_to_user_id_str="1001",
              in_reply_to_screen_name="ValNeige")
w3 = v1_tweet(1490000000000000003, u3, "Mon Feb 09 10:00:00 +0000 2026", "RT @ValNeige: Ouverture du snowpark ce matin ! #ski #freestyle",
              ["ski", "freestyle"], [u1], retweeted_status=w1)
w4 = v1_tweet(1490000000000000004, u2, "Tue Feb 10 07:00:00 +0000 2026", "Risque d'avalanche fort, prudence #ski",
              ["ski"], counts=(1, 12, 40, 2), is_quote_status=True, quoted_status_id=w1["id"],
              quoted_status_id_str=w1["id_str"], quoted_status=w1)
write("twitter/v1.jsonl", "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in (w1, w2, w3, w4)))

v2 = {
    "data": [
        {"id": "1491000000000000001", "author_id": "2001", "created_at": "2026-02-10T08:00:00.000Z", "lang": "en",
         "text": "First tracks at Val Neige today #ski #powder @ValNeige", "conversation_id": "1491000000000000001",
         "entities": {"hashtags": [{"start": 31, "end": 35, "tag": "ski"}, {"start": 36, "end": 43, "tag": "powder"}],
                      "mentions": [{"start": 44, "end": 53, "username": "ValNeige", "id": "1001"}]},
         "public_metrics": {"retweet_count": 3, "reply_count": 1, "like_count": 22, "quote_count": 0, "bookmark_count": 1, "impression_count": 1800}},
        {"id": "1491000000000000002", "author_id": "1001", "created_at": "2026-02-10T08:20:00.000Z", "lang": "en",
         "text": "@skiblogger Glad you enjoyed it!", "conversation_id": "1491000000000000001", "in_reply_to_user_id": "2001",
         "referenced_tweets": [{"type": "replied_to", "id": "1491000000000000001"}],
         "entities": {"mentions": [{"start": 0, "end": 11, "username": "skiblogger", "id": "2001"}]},
         "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 5, "quote_count": 0, "bookmark_count": 0, "impression_count": 300}},
        {"id": "1491000000000000003", "author_id": "2002", "created_at": "2026-02-10T09:00:00.000Z", "lang": "en",
         "text": "RT @skiblogger: First tracks at Val Neige today #ski #powder @ValNeige",
         "referenced_tweets": [{"type": "retweeted", "id": "1491000000000000001"}],
         "public_metrics": {"retweet_count": 3, "reply_count": 0, "like_count": 0, "quote_count": 0, "bookmark_count": 0, "impression_count": 0}},
    ],
    "includes": {"users": [
        {"id": "2001", "username": "skiblogger", "name": "Ski Blogger", "description": "Ski reviews every week",
         "created_at": "2015-03-01T00:00:00.000Z", "verified": False, "location": "Grenoble",
         "public_metrics": {"followers_count": 3200, "following_count": 410, "tweet_count": 5100, "listed_count": 40}},
        {"id": "1001", "username": "ValNeige", "name": "Val Neige", "description": "Station de ski",
         "created_at": "2012-01-09T10:00:00.000Z", "verified": True,
         "public_metrics": {"followers_count": 25100, "following_count": 401, "tweet_count": 5310, "listed_count": 90}},
        {"id": "2002", "username": "alpinefan", "name": "Alpine fan", "description": "",
         "created_at": "2020-05-05T00:00:00.000Z", "verified": False,
         "public_metrics": {"followers_count": 150, "following_count": 300, "tweet_count": 900, "listed_count": 0}},
    ]},
    "meta": {"result_count": 3, "newest_id": "1491000000000000003", "oldest_id": "1491000000000000001"},
    "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent", "version": "2.14.0", "retrieved_at": "2026-02-11T00:00:00+00:00"},
}
write("twitter/v2.json", v2)

# ----------------------------------------------------------------- scenarios
def body(rel):
    return "../../../fixtures/fetch/" + rel


def ok(rel, **headers):
    return {"body_file": body(rel), "headers": headers}


def tag_routes(tag, page2_faults=()):
    """The #ski timeline in three pages and an empty fourth, served under `tag`;
    page 2 answers with `page2_faults` first."""
    mastodon_limits = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
                       "X-RateLimit-Reset": "2026-02-10T12:00:00.000Z"}
    path = f"/api/v1/timelines/tag/{tag}"
    return [
        {"path": path, "responses": [ok("mastodon/tag-ski-1.json", Link=tag_link(tag, p1["id"], p3["id"]), **mastodon_limits)]},
        {"path": path, "params": {"max_id": p1["id"]},
         "responses": list(page2_faults) + [ok("mastodon/tag-ski-2.json", Link=tag_link(tag, p6["id"], p4["id"]))]},
        {"path": path, "params": {"max_id": p6["id"]},
         "responses": [ok("mastodon/tag-ski-3.json", Link=tag_link(tag, p9["id"], p7["id"]))]},
        {"path": path, "params": {"max_id": p9["id"]}, "responses": [ok("mastodon/tag-ski-4.json")]},
    ]


def followers_link(max_id):
    return f'<{{base}}/api/v1/accounts/{station["id"]}/followers?limit=80&max_id={max_id}>; rel="next"'


mastodon_routes = (
    tag_routes("ski")
    + tag_routes("ratelimited", [{"status": 429, "headers": {"Retry-After": "1"}, "body": {"error": "Too many requests"}}])
    + tag_routes("flaky", [{"status": 500, "body": "Internal Server Error"}, {"status": 503, "body": ""}])
    + tag_routes("slow", [dict(ok("mastodon/tag-ski-2.json"), delay=3), dict(ok("mastodon/tag-ski-2.json"), delay=3)])
    + tag_routes("truncated", [dict(ok("mastodon/tag-ski-2.json"), truncate=True)])
    + tag_routes("broken", [{"body": '[{"id": "115000000000000004", "created_at": '}])
    + tag_routes("forever", [dict(ok("mastodon/tag-ski-2.json"), delay=30)])
    + [
        {"path": "/api/v1/timelines/tag/loop", "responses": [
            {"status": 302, "headers": {"Location": "{base}/api/v1/timelines/tag/loop"}, "body": ""}]},
        {"path": "/api/v1/timelines/tag/huge", "responses": [{"blank_array": 2 << 20}]},
        {"path": "/api/v1/timelines/tag/elsewhere", "responses": [
            ok("mastodon/tag-ski-1.json", Link='<https://evil.example/api/v1/timelines/tag/ski?max_id=1>; rel="next"')]},
        {"path": "/api/v1/accounts/lookup", "params": {"acct": "valneige"}, "responses": [ok("mastodon/lookup-valneige.json")]},
        {"path": "/api/v1/accounts/lookup", "params": {"acct": "nobody"},
         "responses": [{"status": 404, "body": {"error": "Record not found"}}]},
        {"path": f"/api/v1/accounts/{station['id']}/statuses", "responses": [ok("mastodon/statuses-valneige.json")]},
        {"path": f"/api/v1/accounts/{station['id']}/followers", "responses": [
            ok("mastodon/followers-valneige-1.json", Link=followers_link(followers[2]["id"]))]},
        {"path": f"/api/v1/accounts/{station['id']}/followers", "params": {"max_id": followers[2]["id"]},
         "responses": [ok("mastodon/followers-valneige-2.json")]},
    ])
os.makedirs(SCENARIOS, exist_ok=True)
with open(os.path.join(SCENARIOS, "mastodon.json"), "w", encoding="utf-8") as f:
    json.dump({"token": "s3cr3t-mastodon", "routes": mastodon_routes}, f, ensure_ascii=False, indent=1)
    f.write("\n")

bsky_limits = {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999", "RateLimit-Reset": "{epoch+300}",
               "RateLimit-Policy": "3000;w=300"}
bluesky_routes = [
    {"path": "/xrpc/app.bsky.actor.getProfile", "params": {"actor": "valneige.bsky.social"},
     "responses": [ok("bluesky/profile-valneige.json", **bsky_limits)]},
    {"path": "/xrpc/app.bsky.feed.getAuthorFeed", "params": {"actor": "valneige.bsky.social"},
     "responses": [{"status": 429, "headers": {"RateLimit-Remaining": "0", "RateLimit-Reset": "{epoch+1}"},
                    "body": {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}},
                   ok("bluesky/feed-valneige-1.json", **bsky_limits)]},
    {"path": "/xrpc/app.bsky.feed.getAuthorFeed", "params": {"actor": "valneige.bsky.social", "cursor": "2026-02-09T09:59:59.000Z"},
     "responses": [ok("bluesky/feed-valneige-2.json", **bsky_limits)]},
    {"path": "/xrpc/app.bsky.graph.getFollowers", "params": {"actor": "valneige.bsky.social"},
     "responses": [ok("bluesky/followers-valneige-1.json")]},
    {"path": "/xrpc/app.bsky.graph.getFollowers", "params": {"actor": "valneige.bsky.social", "cursor": "3lfollow2"},
     "responses": [ok("bluesky/followers-valneige-2.json")]},
    {"path": "/xrpc/app.bsky.feed.searchPosts", "params": {"q": "ski"}, "responses": [ok("bluesky/search-ski-1.json")]},
    {"path": "/xrpc/app.bsky.feed.searchPosts", "params": {"q": "ski", "cursor": "2"}, "responses": [ok("bluesky/search-ski-2.json")]},
    {"path": "/xrpc/app.bsky.actor.getProfile", "params": {"actor": "nobody.bsky.social"},
     "responses": [{"status": 400, "body": {"error": "InvalidRequest", "message": "Profile not found"}}]},
]
with open(os.path.join(SCENARIOS, "bluesky.json"), "w", encoding="utf-8") as f:
    json.dump({"token": "s3cr3t-bluesky", "routes": bluesky_routes}, f, ensure_ascii=False, indent=1)
    f.write("\n")

# Plain files for URL imports.
files_routes = [
    {"path": "/data/accounts.csv", "responses": [{"body_file": "../../../fixtures/ski/accounts.csv", "headers": {"Content-Type": "text/csv"}}]},
    {"path": "/data/posts.jsonl", "responses": [{"body_file": "../../../fixtures/ski/posts.jsonl", "headers": {"Content-Type": "application/x-ndjson"}}]},
    {"path": "/data/follows", "responses": [{"body_file": "../../../fixtures/ski/follows.csv", "headers": {"Content-Type": "text/csv"}}]},
    {"path": "/data/flaky.csv", "responses": [{"status": 502, "body": "Bad Gateway"}, {"body_file": "../../../fixtures/ski/accounts.csv"}]},
]
with open(os.path.join(SCENARIOS, "files.json"), "w", encoding="utf-8") as f:
    json.dump({"routes": files_routes}, f, ensure_ascii=False, indent=1)
    f.write("\n")
