// Generates a realistic corpus in the native CSV formats, deterministically:
// power-law audiences and activity, Zipf hashtags and words over a few
// topics and a vocabulary that grows with the corpus (Heaps' law),
// reply/repost/quote cascades that favour large accounts, French and
// English text, a follow graph with a skewed in-degree.
//   influence-bench-gen SCALE OUTDIR     (SCALE: S, M, L, or ACCOUNTS:POSTS:FOLLOWS)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

// splitmix64: the same numbers on every platform and standard library.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  double pareto(double alpha) { return std::pow(1.0 - uniform(), -1.0 / alpha); }
};

// Walker's alias method: O(1) draws from a fixed discrete distribution.
struct Alias {
  std::vector<double> prob;
  std::vector<std::uint32_t> alias;
  explicit Alias(const std::vector<double>& w) : prob(w.size()), alias(w.size()) {
    const double n = static_cast<double>(w.size());
    double sum = 0;
    for (double x : w) sum += x;
    std::vector<double> p(w.size());
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < w.size(); ++i) {
      p[i] = w[i] * n / sum;
      (p[i] < 1 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const auto s = small.back(), l = large.back();
      small.pop_back();
      prob[s] = p[s];
      alias[s] = l;
      p[l] -= 1 - p[s];
      if (p[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (auto i : large) prob[i] = 1;
    for (auto i : small) prob[i] = 1;
  }
  std::uint32_t draw(Rng& r) const {
    const auto i = static_cast<std::uint32_t>(r.below(prob.size()));
    return r.uniform() < prob[i] ? i : alias[i];
  }
};

class Out {
 public:
  explicit Out(const std::string& path) : f_(std::fopen(path.c_str(), "wb")) {
    if (!f_) {
      std::perror(path.c_str());
      std::exit(1);
    }
    buf_.reserve(1 << 20);
  }
  ~Out() {
    flush();
    std::fclose(f_);
  }
  Out& operator<<(const std::string& s) { return add(s.data(), s.size()); }
  Out& operator<<(const char* s) { return add(s, std::strlen(s)); }
  Out& operator<<(std::uint64_t v) {
    char b[24];
    const int n = std::snprintf(b, sizeof b, "%llu", static_cast<unsigned long long>(v));
    return add(b, static_cast<std::size_t>(n));
  }

 private:
  Out& add(const char* p, std::size_t n) {
    buf_.append(p, n);
    if (buf_.size() > (1 << 20)) flush();
    return *this;
  }
  void flush() {
    std::fwrite(buf_.data(), 1, buf_.size(), f_);
    buf_.clear();
  }
  std::FILE* f_;
  std::string buf_;
};

std::string rfc3339(std::int64_t t) {
  const std::int64_t days = t / 86400, rem = t % 86400;
  const std::int64_t z = days + 719468, era = z / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = static_cast<long long>(yoe) + era * 400 + (m <= 2);
  char b[64];
  std::snprintf(b, sizeof b, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  return b;
}

struct Topic {
  const char* words[6];
  const char* tags[4];
};
// ski is the topic the benchmark ranks; the others are the rest of the conversation.
const Topic topics[] = {
    {{"ski", "skis", "skier", "skiing", "skieurs", "poudreuse"}, {"ski", "SkiAlpin", "poudreuse", "freeride"}},
    {{"velo", "cycling", "bike", "gravel", "peloton", "cyclisme"}, {"cyclisme", "velo", "TourDeFrance", "gravel"}},
    {{"recette", "recipe", "cuisine", "cooking", "gratin", "tarte"}, {"cuisine", "recette", "cooking", "foodie"}},
    {{"concert", "album", "music", "chanson", "festival", "live"}, {"music", "concert", "NewMusic", "live"}},
    {{"match", "football", "but", "goal", "league", "stade"}, {"football", "foot", "PremierLeague", "Ligue1"}},
};
const double topic_share[] = {0.25, 0.2, 0.2, 0.2, 0.15};
const char* fillers_fr[] = {"aujourd'hui", "vraiment", "journée", "super", "avec", "les", "amis", "demain",
                            "ce", "matin", "incroyable", "belle", "semaine", "nouveau", "encore", "merci"};
const char* fillers_en[] = {"today", "really", "great", "day", "with", "friends", "tomorrow", "this",
                            "morning", "amazing", "week", "new", "again", "thanks", "what", "a"};

// The words beyond the common ones: the long tail of a real vocabulary,
// made-up words of consonant-vowel syllables ("bavo", "tizule"), never a
// word of a topic (none can start like ski, freeride or telemark; the few
// that spell another topic's word are skipped).
std::vector<std::string> tail_words(std::size_t n) {
  static const char consonants[] = "bdfglmnprstvz", vowels[] = "aeiou";
  constexpr std::size_t nc = sizeof consonants - 1, nv = sizeof vowels - 1, syllables = nc * nv;
  std::vector<std::string> taken;
  for (const auto& t : topics) taken.insert(taken.end(), std::begin(t.words), std::end(t.words));
  std::vector<std::string> out;
  for (std::size_t i = syllables; out.size() < n; ++i) {  // from two syllables up
    std::string w;
    for (std::size_t k = i; k > 0; k /= syllables) {
      w += consonants[k % syllables / nv];
      w += vowels[k % syllables % nv];
    }
    if (std::find(taken.begin(), taken.end(), w) == taken.end()) out.push_back(std::move(w));
  }
  return out;
}

// Draws word ranks from a Zipf law (frequency proportional to 1/rank, as in
// natural text) with one uniform number each, by inverting the cumulative.
class Zipf {
 public:
  explicit Zipf(std::size_t n) : cumulative_(n) {
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r) cumulative_[r] = sum += 1.0 / static_cast<double>(r + 1);
  }
  std::size_t draw(Rng& rng) const {
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), rng.uniform() * cumulative_.back());
    return std::min(static_cast<std::size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: influence-bench-gen S|M|L|ACCOUNTS:POSTS:FOLLOWS OUTDIR\n");
    return 2;
  }
  std::uint64_t na = 0, np = 0, nf = 0;
  const std::string scale = argv[1];
  if (scale == "S") na = 10'000, np = 100'000, nf = 500'000;
  else if (scale == "M") na = 100'000, np = 1'000'000, nf = 5'000'000;
  else if (scale == "L") na = 1'000'000, np = 10'000'000, nf = 50'000'000;
  else if (std::sscanf(argv[1], "%lu:%lu:%lu", &na, &np, &nf) != 3) {
    std::fprintf(stderr, "influence-bench-gen: bad scale '%s'\n", argv[1]);
    return 2;
  }
  const std::string dir = argv[2];
  // Heaps' law: a text of N words uses about 20 sqrt(N) distinct ones (a
  // post has about eight filler words); the sixteen common words of each
  // language are the head of the Zipf law, made-up words its tail.
  const auto vocabulary = static_cast<std::size_t>(20 * std::sqrt(8.0 * static_cast<double>(np)));
  const std::size_t common = std::size(fillers_fr);
  const auto tail = tail_words(std::max<std::size_t>(vocabulary, common + 1) - common);
  const Zipf by_rank(common + tail.size());
  Rng rng{20260105};
  const std::int64_t start = 1767225600;  // 2026-01-01
  const std::int64_t span = 90 * 86400;
  const std::string observed = rfc3339(start + span);

  // Accounts: audiences and activity both heavy-tailed, loosely correlated.
  std::vector<double> followers(na), activity(na), appeal(na);
  std::vector<std::uint8_t> lang(na), platform(na), main_topic(na);
  std::vector<std::string> ids(na);
  for (std::uint64_t i = 0; i < na; ++i) {
    followers[i] = std::min(5e7, std::floor(20 * rng.pareto(1.05)));
    activity[i] = rng.pareto(1.4);
    appeal[i] = std::sqrt(followers[i] + 1) * (0.5 + rng.uniform());
    lang[i] = rng.uniform() < 0.55 ? 0 : 1;
    platform[i] = rng.uniform() < 0.6 ? 0 : 1;
    double u = rng.uniform();
    std::uint8_t t = 0;
    while (t < 4 && u > topic_share[t]) u -= topic_share[t++];
    main_topic[i] = t;
    ids[i] = platform[i] == 0 ? "mastodon:@u" + std::to_string(i) + "@inst" + std::to_string(i % 97) + ".example"
                              : "bluesky:did:plc:u" + std::to_string(i);
  }
  {
    Out a(dir + "/accounts.csv");
    a << "id,handle,display_name,followers,following,posts,language,kind,observed_at\n";
    const char* kinds[] = {"person", "person", "person", "person", "brand", "media", "employee"};
    for (std::uint64_t i = 0; i < na; ++i) {
      a << ids[i] << ",u" << i << ",User " << i << "," << static_cast<std::uint64_t>(followers[i]) << ","
        << rng.below(2000) << "," << static_cast<std::uint64_t>(activity[i] * 50) << "," << (lang[i] ? "en" : "fr")
        << "," << kinds[rng.below(7)] << "," << observed << "\n";
    }
  }

  // Posts in time order. Reactions go to a recent post of an author drawn by
  // appeal, so cascades favour large accounts.
  const Alias by_activity(activity), by_appeal(appeal);
  std::vector<std::int64_t> last_post(na, -1);
  std::vector<std::uint32_t> post_author;
  post_author.reserve(np);
  std::vector<std::uint8_t> post_topic;
  post_topic.reserve(np);
  {
    Out p(dir + "/posts.csv");
    p << "id,author,created_at,text,language,hashtags,mentions,reply_to,reply_to_author,repost_of,quote_of,likes,"
         "reposts,replies,quotes,observed_at\n";
    std::string text, tags, mentions;
    for (std::uint64_t k = 0; k < np; ++k) {
      const auto a = by_activity.draw(rng);
      const std::int64_t t = start + static_cast<std::int64_t>(static_cast<double>(span) * static_cast<double>(k) / static_cast<double>(np));
      const double r = rng.uniform();
      int kind = r < 0.55 ? 0 : r < 0.8 ? 1 : r < 0.92 ? 2 : 3;  // original, repost, reply, quote
      std::int64_t parent = -1;
      if (kind != 0) {
        const auto target = by_appeal.draw(rng);
        parent = target != a ? last_post[target] : -1;
        if (parent < 0) kind = 0;
      }
      const std::uint8_t topic = kind == 0 ? (rng.uniform() < 0.7 ? main_topic[a] : static_cast<std::uint8_t>(rng.below(5)))
                                           : post_topic[static_cast<std::size_t>(parent)];
      text.clear();
      tags.clear();
      mentions.clear();
      if (kind != 1) {
        const auto& tp = topics[topic];
        const int n = 6 + static_cast<int>(rng.below(10));
        for (int w = 0; w < n; ++w) {
          if (!text.empty()) text += ' ';
          const double x = rng.uniform();
          if (x < 0.12) text += tp.words[rng.below(6)];
          else if (x < 0.16) text += std::string("#") + tp.tags[static_cast<std::size_t>(std::min(3.0, std::floor(rng.pareto(1.5) - 1)))];
          else if (const auto rank = by_rank.draw(rng); rank < common)
            text += lang[a] ? fillers_en[rank] : fillers_fr[rank];
          else
            text += tail[rank - common];
        }
        if (rng.uniform() < 0.5) tags = tp.tags[static_cast<std::size_t>(std::min(3.0, std::floor(rng.pareto(1.2) - 1)))];
        if (rng.uniform() < 0.2) mentions = ids[by_appeal.draw(rng)];
      }
      const std::string pid = (platform[a] == 0 ? "mastodon:p" : "bluesky:p") + std::to_string(k);
      p << pid << "," << ids[a] << "," << rfc3339(t) << "," << text << "," << (lang[a] ? "en" : "fr") << "," << tags
        << "," << mentions << ",";
      const std::string parent_id = parent >= 0 ? ((platform[post_author[static_cast<std::size_t>(parent)]] == 0 ? "mastodon:p" : "bluesky:p") + std::to_string(parent)) : "";
      if (kind == 2) p << parent_id << "," << ids[post_author[static_cast<std::size_t>(parent)]] << ",,,";
      else if (kind == 1) p << ",," << parent_id << ",,";
      else if (kind == 3) p << ",,," << parent_id << ",";
      else p << ",,,,";
      if (kind == 1) {
        p << ",,,,\n";
      } else {
        const double reach = std::sqrt(followers[a] + 1);
        p << static_cast<std::uint64_t>(reach * rng.uniform() * 2) << "," << static_cast<std::uint64_t>(reach * rng.uniform() * 0.3)
          << "," << static_cast<std::uint64_t>(reach * rng.uniform() * 0.2) << "," << static_cast<std::uint64_t>(reach * rng.uniform() * 0.05)
          << "," << observed << "\n";
      }
      post_author.push_back(a);
      post_topic.push_back(topic);
      last_post[a] = static_cast<std::int64_t>(k);
    }
  }

  // Follows: out-degrees heavy-tailed, followees drawn by appeal, no duplicates.
  {
    Out f(dir + "/follows.csv");
    f << "follower,followee\n";
    std::vector<double> outw(na);
    double sum = 0;
    for (auto& w : outw) sum += (w = rng.pareto(1.6));
    std::uint64_t written = 0;
    std::vector<std::uint32_t> picked;
    for (std::uint64_t u = 0; u < na && written < nf; ++u) {
      std::uint64_t k = static_cast<std::uint64_t>(std::llround(outw[u] / sum * static_cast<double>(nf)));
      if (u + 1 == na) k = nf - written;  // the last account takes up the rounding
      k = std::min<std::uint64_t>({k, na - 1, nf - written});
      picked.clear();
      for (std::uint64_t j = 0; j < 2 * k; ++j) {
        const auto v = by_appeal.draw(rng);
        if (v != u) picked.push_back(v);
      }
      std::sort(picked.begin(), picked.end());
      picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
      if (picked.size() > k) {  // keep a deterministic k of them, not the smallest ids
        for (std::size_t j = 0; j < k; ++j) std::swap(picked[j], picked[j + rng.below(picked.size() - j)]);
        picked.resize(k);
        std::sort(picked.begin(), picked.end());
      }
      for (auto v : picked) f << ids[u] << "," << ids[v] << "\n";
      written += picked.size();
    }
    std::fprintf(stderr, "%lu accounts, %lu posts, %lu follows\n", na, np, written);
  }
  return 0;
}
