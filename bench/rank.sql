-- The ranking of `influence rank --topic ski` written as one SQL query over the
-- benchmark's CSV files imported by sqlite3 (every column TEXT): the peer of the
-- rank benchmark (bench/run). It follows scoring/ rule by rule:
--   topic     a post matches when its words or hashtags are one of the forms the
--             ad hoc topic `ski` matches after folding and French/English stemming
--             in the generated vocabulary (ski, skis, skier, skiing, #ski,
--             #SkiAlpin); a reply or quote is on the topic when it or its parent
--             matches, a repost when its original does;
--   echo      per topic post the larger of declared and observed reposts, quotes
--             and replies (reactions by others), weighted 1, 1, 0.75, plus 0.1 a
--             like, plus 0.5 a mention by a topic post that is not a reply to the
--             account; times the network factor (1 + nodes x PageRank) / 2,
--             from personalised PageRank (damping 0.85) on the topic interaction
--             graph: its nodes are the candidates, its edges go from each topic
--             post's author to the author it reacts to and to the account it
--             names, one an interaction, and its walkers jump to the topic
--             authors (so do the dangling nodes' walkers);
--   exposure  the larger of declared followers and follow edges;
--   voice     own topic posts, reposts at half weight, mentions by topic posts;
--   composite percentile ranks (ties at the middle of their ranks, zero stays
--             zero) weighted 0.37, 0.34, 0.29; ties by echo, handle, id.
-- It relies on the generator's shapes: words separated by single spaces, at most
-- one hashtag in the hashtags column and one mention per post.
-- SQLite's recursive queries cannot aggregate, so PageRank's iterations are
-- written out: bench/run repeats the block between `@iterate` and `@end` for
-- k = 1, 2, ... (replacing {k} and {prev}, and {last} after it). This file is
-- therefore not run as it stands.
WITH
p AS MATERIALIZED (
  SELECT id, author, mentions, reply_to_author,
    CASE WHEN repost_of <> '' THEN 3 WHEN quote_of <> '' THEN 2 WHEN reply_to <> '' THEN 1 ELSE 0 END AS type,
    CASE WHEN repost_of <> '' THEN repost_of WHEN quote_of <> '' THEN quote_of ELSE reply_to END AS parent,
    CAST(likes AS INTEGER) AS likes, CAST(reposts AS INTEGER) AS reposts,
    CAST(replies AS INTEGER) AS replies, CAST(quotes AS INTEGER) AS quotes,
    repost_of = '' AND (' ' || text || ' ' LIKE '% ski %' OR ' ' || text || ' ' LIKE '% skis %'
      OR ' ' || text || ' ' LIKE '% skier %' OR ' ' || text || ' ' LIKE '% skiing %'
      OR ' ' || text || ' ' LIKE '% #ski %' OR ' ' || text || ' ' LIKE '% #skialpin %'
      OR lower(hashtags) IN ('ski', 'skialpin')) AS own
  FROM posts),
-- on the topic: its own words, or (not a repost) its parent's; a repost by its original's
t AS MATERIALIZED (
  SELECT c.*, q.author AS q_author,
    CASE WHEN q.author IS NOT NULL THEN q.author WHEN c.type = 1 AND c.reply_to_author <> '' THEN c.reply_to_author END AS parent_author,
    CASE WHEN c.type = 3 THEN coalesce(q.own, 0) ELSE c.own OR coalesce(q.own, 0) END AS topic
  FROM p c LEFT JOIN p q ON q.id = c.parent),
-- per topic post (reposts aside): declared counts and the reactions seen in
-- the corpus (by others), then the larger of the two per kind
rx AS (
  SELECT id AS post, author, coalesce(reposts, 0) AS dr, coalesce(quotes, 0) AS dq, coalesce(replies, 0) AS dl,
         coalesce(likes, 0) AS lk, 0 AS orp, 0 AS oq, 0 AS ol
  FROM t WHERE topic AND type <> 3
  UNION ALL
  SELECT c.parent, NULL, 0, 0, 0, 0, c.type = 3, c.type = 2, c.type = 1
  FROM t c JOIN t q ON q.id = c.parent WHERE q.topic AND q.type <> 3 AND c.parent_author <> c.author),
pe AS (
  SELECT max(author) AS author, max(max(dr), sum(orp)) + max(max(dq), sum(oq)) + 0.75 * max(max(dl), sum(ol))
         + 0.1 * max(lk) AS e
  FROM rx GROUP BY post HAVING max(author) IS NOT NULL),
men AS MATERIALIZED (SELECT mentions AS who, parent_author, author FROM t WHERE topic AND type <> 3 AND mentions <> '' AND mentions <> author),
-- per candidate: topic authors, the authors they react to, the accounts they name
acc AS MATERIALIZED (
  SELECT a, sum(e) AS e, sum(me) AS me, sum(ma) AS ma, sum(own) AS own, sum(rep) AS rep FROM (
    SELECT author AS a, e, 0 AS me, 0 AS ma, 0 AS own, 0 AS rep FROM pe
    UNION ALL SELECT who, 0, who IS NOT parent_author, 1, 0, 0 FROM men
    UNION ALL SELECT author, 0, 0, 0, type <> 3, type = 3 FROM t WHERE topic
    UNION ALL SELECT parent_author, 0, 0, 0, 0, 0 FROM t WHERE topic AND parent_author IS NOT NULL AND parent_author <> author)
  GROUP BY a),
-- The interaction graph, its nodes numbered. Each iteration reads the one
-- before exactly once (SQLite copies a common table expression into each
-- place that names it, so two references a step double the query at every
-- step) and joins nothing (on materialised steps the planner finds no index
-- and would loop over both sides): an edge gets its source's share from a
-- window over the source's rows, and the sums come from grouping by target.
ge AS MATERIALIZED (
  SELECT author AS s, parent_author AS d FROM t WHERE topic AND parent_author IS NOT NULL AND parent_author <> author
  UNION ALL SELECT author, who FROM men WHERE who IS NOT parent_author),
nd AS MATERIALIZED (
  SELECT a, row_number() OVER (ORDER BY a) AS i, count(*) OVER () AS n,
    (own + rep > 0) * 1.0 / sum(own + rep > 0) OVER () AS t  -- where walkers jump
  FROM acc),
gi AS MATERIALIZED (SELECT x.i AS s, y.i AS d FROM ge JOIN nd x ON x.a = ge.s JOIN nd y ON y.a = ge.d),
-- per node: out-degree o, jump share t, rank r, and sh = r / o what each out-edge carries
r0 AS MATERIALIZED (
  SELECT i, o, t, t AS r, CASE WHEN o > 0 THEN t / o END AS sh FROM (
    SELECT nd.i, nd.t, (SELECT count(*) FROM gi WHERE gi.s = nd.i) AS o FROM nd)),
-- @iterate
x{k} AS MATERIALIZED (
  SELECT d AS i, sum(CASE WHEN k THEN ssh ELSE 0 END) AS v, max(o) AS o, max(t) AS t,
    sum(sum(CASE WHEN k = 0 AND o = 0 THEN r ELSE 0 END)) OVER () AS dangling FROM (
    SELECT d, k, o, t, r, max(sh) OVER (PARTITION BY s) AS ssh FROM (
      SELECT i AS s, i AS d, 0 AS k, o, t, r, sh FROM r{prev}
      UNION ALL SELECT s, d, 1, NULL, NULL, NULL, NULL FROM gi))
  GROUP BY d),
r{k} AS MATERIALIZED (
  SELECT i, o, t, r / sum(r) OVER () AS r, CASE WHEN o > 0 THEN r / sum(r) OVER () / o END AS sh FROM (
    SELECT i, o, t, 0.85 * v + (0.15 + 0.85 * dangling) * t AS r FROM x{k})),
-- @end
nf AS MATERIALIZED (
  SELECT max(a) AS a, (1 + max(n) * max(r)) / 2 AS f FROM (
    SELECT i, a, n, NULL AS r FROM nd UNION ALL SELECT i, NULL, NULL, r FROM r{last})
  GROUP BY i),
fol AS (SELECT followee AS a, count(*) AS n FROM follows GROUP BY followee),
dims AS (
  SELECT acc.a, ac.handle, (acc.e + 0.5 * acc.me) * nf.f AS ev,
    max(coalesce(CAST(ac.followers AS INTEGER), 0), coalesce(fol.n, 0)) AS xv,
    acc.own + 0.5 * acc.rep + acc.ma AS sv
  FROM acc JOIN nf ON nf.a = acc.a LEFT JOIN accounts ac ON ac.id = acc.a LEFT JOIN fol ON fol.a = acc.a),
-- percentile ranks: ties share the middle of their ranks, zero stays zero
pct AS MATERIALIZED (
  SELECT a, handle, ev,
    CASE WHEN ev > 0 THEN 100.0 * ((rank() OVER (ORDER BY ev) - 1) + (count(*) OVER (ORDER BY ev) - 1)) / 2.0 / (count(*) OVER () - 1) ELSE 0 END AS pe,
    CASE WHEN xv > 0 THEN 100.0 * ((rank() OVER (ORDER BY xv) - 1) + (count(*) OVER (ORDER BY xv) - 1)) / 2.0 / (count(*) OVER () - 1) ELSE 0 END AS px,
    CASE WHEN sv > 0 THEN 100.0 * ((rank() OVER (ORDER BY sv) - 1) + (count(*) OVER (ORDER BY sv) - 1)) / 2.0 / (count(*) OVER () - 1) ELSE 0 END AS ps
  FROM dims)
SELECT a FROM pct ORDER BY 0.37 * pe + 0.34 * px + 0.29 * ps DESC, ev DESC, handle, a LIMIT 20;
