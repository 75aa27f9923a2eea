#!/usr/bin/env python3
"""Writes fixtures/ski/: a small bilingual winter-sports corpus in the native
formats. Deterministic (fixed seed): re-running it reproduces the files byte
for byte, so they are checked in and tests compare against them.

Cast: resorts of one group with their employee ambassadors, athletes,
bloggers (one very focused), local media, gear brands, generalist celebrities
who mention skiing once, spam accounts with bought followers, and
enthusiasts, some of whom talk about cycling and cooking instead."""
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

R = random.Random(20260105)
START = datetime(2026, 1, 5, tzinfo=timezone.utc)
DAYS = 42
OBSERVED = "2026-02-16T00:00:00Z"
EARLY = "2026-01-04T00:00:00Z"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "ski")

def ts(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")

accounts = []  # dicts in the native account fields

def add(kind, handle, name, lang, platform, followers, bio, group, ski_share, rate, appeal, person=""):
    if platform == "mastodon":
        inst = R.choice(["piaille.fr", "mastodon.social", "framapiaf.org", "mamot.fr"])
        aid = f"mastodon:@{handle}@{inst}"
        shown = f"@{handle}@{inst}"
    else:
        did = "".join(R.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(24))
        aid = f"bluesky:did:plc:{did}"
        shown = f"{handle}.bsky.social"
    a = dict(id=aid, handle=shown, display_name=name, bio=bio, followers=followers,
             following=R.randint(50, 900), kind=kind, language=lang, person=person,
             group=group, ski_share=ski_share, rate=rate, appeal=appeal, platform=platform)
    accounts.append(a)
    return a

resorts = [("valneige", "Val Neige", "fr"), ("pic-blanc", "Pic Blanc", "fr"),
           ("les-aiguilles", "Les Aiguilles Station", "fr"), ("montclair", "Montclair Ski Resort", "en"),
           ("grand-cirque", "Domaine du Grand Cirque", "fr"), ("alpine-ridge", "Alpine Ridge", "en"),
           ("col-des-loups", "Col des Loups", "fr"), ("snowpeak", "Snowpeak Mountain", "en")]
for h, n, l in resorts:
    add("resort", h, n, l, R.choice(["mastodon", "bluesky"]), R.randint(8000, 60000),
        "Station de ski - groupe Alpes Neige" if l == "fr" else "Ski resort - Alpes Neige group",
        "group" if h in ("valneige", "pic-blanc", "les-aiguilles", "montclair") else "", 0.95, 30, 2.0)
for i, (h, n, l) in enumerate([("julie.moniteur", "Julie (ESF Val Neige)", "fr"), ("tom_patrol", "Tom, ski patrol", "en"),
                               ("marc.pisteur", "Marc pisteur", "fr"), ("lea.valneige", "Léa @ Val Neige", "fr"),
                               ("sam.lifts", "Sam - lifts team", "en"), ("chloe.accueil", "Chloé, accueil Pic Blanc", "fr"),
                               ("nico.dameur", "Nico dameur de nuit", "fr"), ("emma.guide", "Emma, guide freeride", "en"),
                               ("hugo.ecole", "Hugo École de ski", "fr"), ("ines.events", "Inès, events Les Aiguilles", "fr")]):
    add("employee", h, n, l, "mastodon" if i % 3 else "bluesky", R.randint(300, 4000),
        "Ambassadeur Alpes Neige" if l == "fr" else "Alpes Neige ambassador", "group", 0.85, 40, 3.5)
for h, n, l in [("clara.slalom", "Clara Morel", "fr"), ("jonas.freeski", "Jonas Berg", "en"),
                ("mathis.descente", "Mathis Roux", "fr"), ("ava.moguls", "Ava Chen", "en"),
                ("theo.biathlon", "Théo Garnier", "fr"), ("lina.bigmountain", "Lina Sørensen", "en"),
                ("yann.telemark", "Yann Le Gall", "fr"), ("kate.skicross", "Kate O'Neil", "en"),
                ("paul.fond", "Paul Vidal", "fr")]:
    add("athlete", h, n, l, R.choice(["mastodon", "bluesky"]), R.randint(20000, 400000),
        "Skieur·se pro" if l == "fr" else "Pro skier", "", 0.7, 22, 3.0)
# One athlete present on both platforms: one person, two accounts.
for platform in ("mastodon", "bluesky"):
    add("athlete", "elise.geant", "Élise Dumas", "fr", platform, 150000 if platform == "mastodon" else 40000,
        "Championne de géant", "", 0.75, 12, 3.0, person="elise-dumas")
add("blogger", "poudreuse.carnet", "Carnet de Poudreuse", "fr", "mastodon", 6500,
    "Le blog du ski hors-piste et de la poudreuse, depuis 2012", "", 0.97, 45, 6.0)
for h, n, l in [("skitrips", "Ski Trips Weekly", "en"), ("montagne.mag", "Montagne & Moi", "fr"),
                ("gear.nerd", "Gear Nerd", "en"), ("famille.neige", "Famille à la neige", "fr"),
                ("snow.stories", "Snow Stories", "en"), ("rando.alpine", "Rando alpine", "fr"),
                ("apres.ski.club", "Après-Ski Club", "en"), ("la.trace", "La Trace", "fr"),
                ("off.piste", "Off Piste Notes", "en"), ("neige.et.vous", "Neige et vous", "fr"),
                ("lifestyle.julien", "Julien lifestyle", "fr")]:
    add("blogger", h, n, l, R.choice(["mastodon", "bluesky"]), R.randint(800, 20000),
        "Blog voyage et montagne" if l == "fr" else "Travel and mountain blog", "",
        0.3 if h == "lifestyle.julien" else 0.6, 25, 1.5)
for h, n, l in [("dauphine.sport", "Le Dauphiné Sport", "fr"), ("radio.montagne", "Radio Montagne", "fr"),
                ("alps.daily", "Alps Daily", "en"), ("savoie.info", "Savoie Info", "fr"),
                ("snow.report", "Snow Report", "en"), ("tv.vallee", "TV Vallée", "fr"),
                ("mountain.news", "Mountain News", "en"), ("echo.alpes", "L'Écho des Alpes", "fr")]:
    add("media", h, n, l, R.choice(["mastodon", "bluesky"]), R.randint(20000, 250000),
        "Actualité locale" if l == "fr" else "Local news", "", 0.45, 30, 1.5)
for h, n, l in [("rossi.skis", "Rossi Skis", "en"), ("peak.wear", "Peak Wear", "en"),
                ("glisse.shop", "Glisse Shop", "fr"), ("wax.lab", "Wax Lab", "en"),
                ("gants.alpins", "Gants Alpins", "fr"), ("snowgoggles", "Snow Goggles Co", "en"),
                ("boutique.neige", "Boutique Neige", "fr"), ("helmet.pro", "Helmet Pro", "en")]:
    add("brand", h, n, l, R.choice(["mastodon", "bluesky"]), R.randint(5000, 90000),
        "Matériel de ski" if l == "fr" else "Ski gear", "", 0.8, 18, 1.0)
for h, n, l in [("star.singer", "Nina Starr", "en"), ("acteur.celebre", "Lucas Delmas", "fr"),
                ("tv.host", "Jamie Reed", "en"), ("chef.star", "Chef Antoine", "fr")]:
    add("celebrity", h, n, l, R.choice(["mastodon", "bluesky"]), R.randint(900000, 3000000),
        "Official account", "", 0.0, 40, 2.5)
for i in range(6):
    add("spam", f"promo_ski_{i}{R.randint(10, 99)}", f"SKI DEALS {i}", "en", R.choice(["mastodon", "bluesky"]),
        R.randint(40000, 150000), "Best deals!!! Follow for promo codes", "", 1.0, 40, 0.02)
n_enthusiasts = 150 - len(accounts)
for i in range(n_enthusiasts):
    lang = R.choice(["fr", "fr", "en"])
    first = R.choice(["Anne", "Pierre", "Sophie", "Lucas", "Marie", "Hélène", "Jean", "Camille", "Bastien",
                      "Zoé", "Oliver", "Grace", "Liam", "Noah", "Mia", "Jules", "Manon", "Arthur"])
    theme = "cycling" if i % 7 == 0 else "cooking" if i % 7 == 1 else "ski"
    add("person", f"{first.lower().replace('é','e').replace('è','e')}{R.randint(1, 999)}", f"{first} {chr(65 + i % 26)}.",
        lang, R.choice(["mastodon", "bluesky"]), int(R.paretovariate(1.3) * 80),
        {"cycling": "Vélo, route et gravel", "cooking": "Cuisine et recettes", "ski": "Fan de glisse"}[theme],
        "", {"cycling": 0.05, "cooking": 0.05, "ski": 0.45}[theme], 12, 0.5)
    accounts[-1]["theme"] = theme

by_kind = {}
for a in accounts:
    by_kind.setdefault(a["kind"], []).append(a)
group = [a for a in accounts if a["group"] == "group"]
group_resorts = [a for a in group if a["kind"] == "resort"]

SKI_FR = ["Poudreuse fraîche ce matin à {resort} ! #ski #poudreuse", "Journée parfaite sur les pistes, les skis glissent tout seuls #SkiAlpin",
          "Qui vient skier ce week-end ? Conditions top à {resort}", "Session hors-piste avec {mention}, neige incroyable #freeride",
          "Conseil du jour : bien farter ses skis avant la sortie #ski", "Les skieurs étaient nombreux aujourd'hui, ambiance géniale",
          "Initiation au Télémark à {resort}, on adore #telemark", "Nouveau record de neige, 40 cm cette nuit ! #poudreuse",
          "Ski de randonnée au lever du soleil, magique #skirando", "Bulletin neige : tout ouvert à {resort} #ski",
          "Test des nouveaux skis de {brand}, verdict bientôt", "Slalom géant demain, on croise les doigts #SkiAlpin",
          "Le ski en famille, c'est le meilleur souvenir de l'hiver", "Retour sur la descente de ce matin #ski #montagne"]
SKI_EN = ["Fresh powder this morning at {resort}! #ski #powder", "Perfect day on the slopes, skis running fast #skiing",
          "Who's skiing this weekend? Great conditions at {resort}", "Backcountry session with {mention}, unreal snow #freeride",
          "Tip of the day: wax your skis before you go #ski", "Skiers everywhere today, what a vibe",
          "Trying telemark at {resort} - loving it #Telemark", "Record snowfall, 40 cm overnight! #SkiLife",
          "Skinning up at sunrise, magic #skitouring", "Snow report: everything open at {resort} #ski",
          "Testing the new skis from {brand}, review soon", "Giant slalom tomorrow, fingers crossed #AlpineSkiing",
          "Family skiing is the best winter memory", "Recap of this morning's run #ski #mountains"]
OFF_FR = ["Sortie vélo de 80 km ce matin #cyclisme", "Recette de la semaine : gratin dauphinois #cuisine",
          "Vacances au soleil : jet ski et plage !", "Nouvelle saison de ma série préférée ce soir",
          "Concert incroyable hier soir", "Réunion du conseil municipal jeudi", "Le marché de Noël est ouvert",
          "Entraînement gravel sous la pluie #velo", "Tarte aux pommes maison #recette"]
OFF_EN = ["80 km bike ride this morning #cycling", "Recipe of the week: mushroom risotto #cooking",
          "Skip the queue with our new app!", "New skills unlocked at the gym today", "Amazing concert last night",
          "Movie premiere tonight, so excited", "Jet ski fun at the beach!", "Gravel training in the rain #bikelife",
          "Homemade apple pie #baking"]
CELEB = ["New single out tonight!", "Thank you Paris, what a crowd", "Backstage with the crew",
         "Nouveau film en salles mercredi", "Merci pour vos messages", "On set today, big day tomorrow",
         "Interview ce soir à 20h", "Dinner with friends, best night"]
REPLY_FR = ["Trop beau !", "On y était aussi, génial", "Merci pour l'info !", "Ça donne envie", "Bravo !", "Quelle neige !"]
REPLY_EN = ["So good!", "We were there too", "Thanks for the update!", "Jealous!", "Congrats!", "What a day!"]

seq = [1000]
def post_id(a, created):
    seq[0] += R.randint(1, 40)
    if a["platform"] == "mastodon":
        return f"mastodon:{a['id'].split('@')[2]}/{seq[0]}"
    rkey = "3l" + "".join(R.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(11))
    return f"bluesky:at://{a['id'][len('bluesky:'):]}/app.bsky.feed.post/{rkey}"

def pick(lst):
    return lst[R.randrange(len(lst))]

def ski_text(a):
    t = pick(SKI_FR if a["language"] == "fr" else SKI_EN)
    mentions = []
    resort = pick(group_resorts if a["group"] else by_kind["resort"])
    if "{resort}" in t:
        t = t.replace("{resort}", resort["display_name"])
        if R.random() < 0.5:
            mentions.append(resort["id"])
    if "{mention}" in t:
        m = pick(by_kind["employee"] + by_kind["athlete"] + by_kind["blogger"] if not a["group"] else group)
        if m is a:
            m = pick(by_kind["athlete"])
        t = t.replace("{mention}", m["handle"].split("@")[1] if m["platform"] == "mastodon" else m["handle"])
        mentions.append(m["id"])
    if "{brand}" in t:
        b = pick(by_kind["brand"])
        t = t.replace("{brand}", b["display_name"])
        mentions.append(b["id"])
    return t, mentions

posts = []
for a in accounts:
    # About half of the 3,000 posts are originals; the rest are reactions.
    rate = a["rate"] if a["kind"] == "celebrity" else a["rate"] * 0.5
    n = max(1, int(R.gauss(rate, rate * 0.2)))
    ski_left = 1 if a["kind"] == "celebrity" else None
    for _ in range(n):
        created = START + timedelta(seconds=R.randrange(DAYS * 86400))
        if a["kind"] == "celebrity":
            on_topic = ski_left == 1 and R.random() < 0.15
            if on_topic:
                ski_left = 0
        else:
            on_topic = R.random() < a["ski_share"]
        mentions = []
        if a["kind"] == "spam":
            target = pick(by_kind["resort"] + by_kind["athlete"])
            text = f"#ski #poudreuse #skiing MEGA PROMO -70% forfaits & gear!!! {target['handle']} http://promo.example/{R.randint(100, 999)}"
            mentions = [target["id"]]
            tags = ["ski", "poudreuse", "skiing"]
        elif on_topic:
            text, mentions = ski_text(a)
            tags = [w[1:].rstrip("!.,") for w in text.split() if w.startswith("#")]
        else:
            text = pick(CELEB if a["kind"] == "celebrity" else OFF_FR if a["language"] == "fr" else OFF_EN)
            tags = [w[1:] for w in text.split() if w.startswith("#")]
        posts.append(dict(id=post_id(a, created), author=a, created=created, text=text, tags=tags,
                          mentions=mentions, on_topic=on_topic or a["kind"] == "spam", kind="original",
                          parent=None, obs=dict(reposts=0, quotes=0, replies=0)))
    if a["kind"] == "celebrity" and ski_left == 1:  # make sure the one ski mention happens
        p = [p for p in posts if p["author"] is a][0]
        p["text"] = "Première fois au ski cette année, quelle aventure !" if a["language"] == "fr" else "First time skiing this year, what an adventure!"
        p["on_topic"] = True
        p["tags"] = []

posts.sort(key=lambda p: (p["created"], p["id"]))
originals = list(posts)

# Reactions: each reaction picks an earlier post (within four days), favouring
# appealing authors, the reactor's interests, and colleagues within the group.
def weight(u, p):
    v = p["author"]
    if v is u:
        return 0.0
    w = v["appeal"]
    if p["on_topic"]:
        w *= 1.0 + 3.0 * u["ski_share"]
    else:
        w *= 0.3 if u["ski_share"] > 0.5 else 1.0
    if u["group"] and v["group"]:
        w *= 4.0
    if v["kind"] == "spam":
        w *= 0.05 if u["kind"] != "spam" else 20.0
    return w

reactors = [a for a in accounts if a["kind"] != "celebrity"]
n_reactions = 3000 - len(originals)
for _ in range(max(0, n_reactions)):
    u = pick(reactors) if R.random() < 0.6 else pick(by_kind["person"] + by_kind["employee"])
    t = START + timedelta(seconds=R.randrange(DAYS * 86400))
    window = [p for p in originals if t - timedelta(days=4) <= p["created"] < t]
    if not window:
        continue
    ws = [weight(u, p) for p in window]
    if sum(ws) <= 0:
        continue
    target = R.choices(window, weights=ws)[0]
    r = R.random()
    kind = "repost" if r < 0.5 else "reply" if r < 0.8 else "quote"
    mentions = []
    text = ""
    if kind == "repost":
        tags = []
    else:
        text = pick(REPLY_FR if u["language"] == "fr" else REPLY_EN)
        tags = []
        if kind == "reply" and target["author"]["platform"] == "mastodon" and u["platform"] == "mastodon":
            mentions = [target["author"]["id"]]  # Mastodon replies mention the parent's author
    target["obs"][{"repost": "reposts", "reply": "replies", "quote": "quotes"}[kind]] += 1
    posts.append(dict(id=post_id(u, t), author=u, created=t, text=text, tags=tags, mentions=mentions,
                      on_topic=False, kind=kind, parent=target, obs=dict(reposts=0, quotes=0, replies=0)))

posts.sort(key=lambda p: (p["created"], p["id"]))

# Declared counters: at least what the corpus shows, plus reactions from
# outside it, growing with the author's audience; the celebrity's passing ski
# mention gets polite attention.
for p in posts:
    if p["kind"] == "repost":
        continue
    a = p["author"]
    outside = a["followers"] / 20000.0
    if a["kind"] == "celebrity":
        outside = 3 if p["on_topic"] else 40
    if a["kind"] == "spam":
        outside = 0.0
    p["likes"] = int(p["obs"]["reposts"] * 3 + p["obs"]["replies"] * 2 + R.random() * 4 * outside + R.random() * 3)
    p["reposts"] = p["obs"]["reposts"] + int(R.random() * outside)
    p["replies"] = p["obs"]["replies"] + int(R.random() * outside / 3)
    p["quotes"] = p["obs"]["quotes"]

def clean_account(a, observed, scale=1.0):
    return {k: v for k, v in dict(
        id=a["id"], handle=a["handle"], display_name=a["display_name"], bio=a["bio"],
        followers=int(a["followers"] * scale), following=a["following"],
        posts=int(a["rate"] * 30 * scale), verified="true" if a["kind"] in ("celebrity", "media", "resort") else "false",
        language=a["language"], location="", url="", kind=a["kind"], created_at="2019-03-01T12:00:00Z",
        person=a["person"], observed_at=observed).items()}

os.makedirs(OUT, exist_ok=True)
fields = ["id", "handle", "display_name", "bio", "followers", "following", "posts", "verified", "language",
          "location", "url", "kind", "created_at", "person", "observed_at"]

def csv_cell(s):
    s = str(s)
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s

with open(os.path.join(OUT, "accounts.csv"), "w", newline="\n") as f:
    f.write(",".join(fields) + "\n")
    for a in sorted(accounts, key=lambda a: a["id"]):
        row = clean_account(a, OBSERVED)
        f.write(",".join(csv_cell(row[k]) for k in fields) + "\n")

# An earlier snapshot of some counters: a window ending before mid-February
# must see these, not the newer ones.
with open(os.path.join(OUT, "accounts-early.jsonl"), "w", newline="\n") as f:
    for a in sorted(accounts, key=lambda a: a["id"])[::5]:
        row = clean_account(a, EARLY, scale=0.8)
        row["verified"] = row["verified"] == "true"
        f.write(json.dumps(row, ensure_ascii=False) + "\n")

with open(os.path.join(OUT, "posts.jsonl"), "w", newline="\n") as f:
    for p in posts:
        rec = dict(id=p["id"], author=p["author"]["id"], created_at=ts(p["created"]))
        if p["text"]:
            rec["text"] = p["text"]
        rec["language"] = p["author"]["language"]
        if p["tags"]:
            rec["hashtags"] = p["tags"]
        if p["mentions"]:
            rec["mentions"] = p["mentions"]
        if p["kind"] == "reply":
            rec["reply_to"] = p["parent"]["id"]
            rec["reply_to_author"] = p["parent"]["author"]["id"]
        elif p["kind"] == "quote":
            rec["quote_of"] = p["parent"]["id"]
        elif p["kind"] == "repost":
            rec["repost_of"] = p["parent"]["id"]
        if p["kind"] != "repost":
            for k in ("likes", "reposts", "replies", "quotes"):
                rec[k] = p[k]
            rec["observed_at"] = OBSERVED
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")

# Follow graph: preferential attachment on appeal and audience; spam accounts
# are followed only by each other (their audience is bought).
edges = set()
for u in accounts:
    k = R.randint(8, 35)
    cands = [v for v in accounts if v is not u and v["kind"] != "spam"]
    ws = [(v["appeal"] * (1 + (v["followers"] ** 0.3))) * (3 if (u["group"] and v["group"]) else 1) for v in cands]
    for v in R.choices(cands, weights=ws, k=k):
        edges.add((u["id"], v["id"]))
    if u["kind"] == "spam":
        for v in by_kind["spam"]:
            if v is not u:
                edges.add((u["id"], v["id"]))
with open(os.path.join(OUT, "follows.csv"), "w", newline="\n") as f:
    f.write("follower,followee,observed_at\n")
    for a, b in sorted(edges):
        f.write(f"{a},{b},{OBSERVED}\n")

print(f"{len(accounts)} accounts, {len(posts)} posts, {len(edges)} follows", file=sys.stderr)
