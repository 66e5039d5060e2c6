#include "services/validator/similarity.h"

#include "common/text.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gongkai::validator {
namespace {

TEST(Similarity, JaccardOfShingles) {
  auto a = Shingles("一二三四五六七八九十");
  auto b = Shingles("一二三四五六七八九十");
  auto c = Shingles("甲乙丙丁戊己庚辛壬癸");
  EXPECT_EQ(a.size(), 6u);  // ten code points, 5-shingles
  EXPECT_DOUBLE_EQ(Jaccard(a, b), 1.0);
  EXPECT_DOUBLE_EQ(Jaccard(a, c), 0.0);
  EXPECT_TRUE(Shingles("四个字").empty());
}

TEST(Similarity, BandingFindsNearDuplicatesAmongManyWithoutAllPairs) {
  // 2,000 random texts over a 300-character alphabet, with three near-duplicate pairs planted.
  std::mt19937 rng(1);
  std::vector<std::string> texts;
  for (int i = 0; i < 2000; ++i) {
    std::string t;
    for (int k = 0; k < 200; ++k) AppendUtf8(0x4E00 + rng() % 300, &t);
    texts.push_back(t);
  }
  std::set<std::pair<size_t, size_t>> planted = {{10, 1500}, {20, 30}, {700, 1999}};
  for (const auto& [a, b] : planted) texts[b] = texts[a].substr(0, texts[a].size() - 30) + "改动了结尾的几个字";
  std::vector<std::vector<uint64_t>> sets;
  for (const auto& t : texts) sets.push_back(Shingles(t));
  auto pairs = CandidatePairs(sets);
  std::set<std::pair<size_t, size_t>> found;
  for (const auto& p : pairs) {
    if (Jaccard(sets[p.first], sets[p.second]) >= 0.8) found.insert(p);
  }
  EXPECT_EQ(found, planted);
  // Far fewer candidates than the 2 million pairs.
  EXPECT_LT(pairs.size(), 2000u);
}

// A random text of `n` code points over a 300-character alphabet.
std::string RandomText(std::mt19937& rng, int n) {
  std::string t;
  for (int k = 0; k < n; ++k) AppendUtf8(0x4E00 + rng() % 300, &t);
  return t;
}

TEST(Similarity, SignatureAgreementEstimatesJaccard) {
  // Pairs of every size batch.copied sees (80 code points leave many bins empty, 1,500 fill them all), each
  // sharing a varying part: over many pairs, the share of equal signature entries tracks the true Jaccard.
  std::mt19937 rng(7);
  for (int length : {80, 300, 1500}) {
    double error_sum = 0, abs_error_sum = 0;
    const int pairs = 300;
    for (int p = 0; p < pairs; ++p) {
      std::string a = RandomText(rng, length);
      int kept = length * (50 + static_cast<int>(rng() % 50)) / 100;
      std::string b = a.substr(0, static_cast<size_t>(kept) * 3) + RandomText(rng, length - kept);
      auto sa = Shingles(a), sb = Shingles(b);
      auto ga = Signature(sa, 64), gb = Signature(sb, 64);
      ASSERT_EQ(ga.size(), 64u);
      int equal = 0;
      for (size_t i = 0; i < ga.size(); ++i) equal += ga[i] == gb[i];
      double error = equal / 64.0 - Jaccard(sa, sb);
      error_sum += error;
      abs_error_sum += std::abs(error);
    }
    SCOPED_TRACE(absl::StrCat(length, " code points"));
    EXPECT_LT(std::abs(error_sum / pairs), 0.02);  // unbiased
    EXPECT_LT(abs_error_sum / pairs, 0.07);        // about one standard error of 64 hashes at J = 0.5
  }
  EXPECT_EQ(Signature(Shingles("一二三四五六七八九十"), 64), Signature(Shingles("一二三四五六七八九十"), 64));
  EXPECT_EQ(Signature({}, 8), std::vector<uint64_t>(8, ~0ULL));
}

TEST(Similarity, ShingleHashesGiveTheSignatureOfTheSet) {
  // batch.copied signs the unsorted list with repeats; the signature must be that of the set.
  std::mt19937 rng(5);
  for (int t = 0; t < 50; ++t) {
    std::string text = RandomText(rng, 20 + static_cast<int>(rng() % 300));
    text += text.substr(0, text.size() / 2);  // repeated shingles
    std::vector<uint64_t> list = ShingleHashes(text);
    std::vector<uint64_t> set = Shingles(text);
    ASSERT_GT(list.size(), set.size());
    EXPECT_EQ(Signature(list, 64), Signature(set, 64));
    MakeSet(&list);
    EXPECT_EQ(list, set);
  }
}

TEST(Similarity, ScreenKeepsEveryPairAboveTheThreshold) {
  // batch.copied screens candidates at an estimate of 0.55 and flags Jaccard >= 0.8: no pair that close may be
  // screened out, short narratives (most bins densified) included.
  std::mt19937 rng(11);
  std::vector<std::vector<uint64_t>> sets;
  std::set<std::pair<size_t, size_t>> close;
  for (int p = 0; p < 400; ++p) {
    int length = 80 + static_cast<int>(rng() % 400);
    std::string a = RandomText(rng, length);
    // Change about one code point in 60 of the copy: Jaccard about 0.9.
    std::string b;
    size_t pos = 0;
    while (pos < a.size()) {
      char32_t c = NextCodepoint(a, &pos);
      AppendUtf8(rng() % 60 == 0 ? 0x4E00 + 300 + rng() % 100 : c, &b);
    }
    sets.push_back(Shingles(a));
    sets.push_back(Shingles(b));
    if (Jaccard(sets[sets.size() - 2], sets.back()) >= 0.8) close.insert({sets.size() - 2, sets.size() - 1});
  }
  ASSERT_GT(close.size(), 300u);
  std::set<std::pair<size_t, size_t>> found;
  for (const auto& p : CandidatePairs(sets, 16, 4, 0.55)) {
    if (close.count(p)) found.insert(p);
  }
  EXPECT_EQ(found, close);
}

v1::AnnualReport ReportOf(const std::string& text) {
  v1::AnnualReport report;
  report.add_sections()->set_text(text);
  return report;
}

// The job-wide signature of a report of `agency` whose narrative is `text`, as the validator answers it.
std::string JobSignature(const std::string& text, const std::string& agency = "某县人民政府") {
  v1::AnnualReport report = ReportOf(text);
  report.set_agency(agency);
  std::string bytes = NarrativeSignature(report);
  if (!bytes.empty()) EXPECT_EQ(bytes.size(), 512u + agency.size());
  return bytes;
}

TEST(Similarity, JobSignaturesEstimateJaccardCloselyAndKnowTheOrgan) {
  std::mt19937 rng(3);
  std::string text = RandomText(rng, 400);
  JobSignatures table;
  ASSERT_TRUE(table.Add(JobSignature(text, "某县人民政府")));
  ASSERT_TRUE(table.Add(JobSignature(text, "另一个机关")));
  ASSERT_TRUE(table.Add(JobSignature(text, "某县人民政府")));
  ASSERT_TRUE(table.Add(""));  // a report not compared
  EXPECT_FALSE(table.Add(std::string(511, 'a')));
  ASSERT_EQ(table.size(), 4u);
  EXPECT_DOUBLE_EQ(table.Estimate(0, 1), 1.0);  // the signature is the narrative's alone
  EXPECT_FALSE(table.same_organ(0, 1));
  EXPECT_TRUE(table.same_organ(0, 2));
  EXPECT_FALSE(table.compared(3));
  EXPECT_TRUE(JobSignature("无").empty());  // too short to compare
  // Over many pairs, the share of equal entries tracks the Jaccard to within about 0.025 (0.1 at worst).
  double worst = 0;
  for (int p = 0; p < 60; ++p) {
    std::string x = RandomText(rng, 400), y;
    size_t pos = 0;
    int change = 20 + p;  // one code point in `change` replaced
    while (pos < x.size()) {
      char32_t c = NextCodepoint(x, &pos);
      AppendUtf8(rng() % static_cast<uint32_t>(change) == 0 ? 0x4E00 + 300 + rng() % 100 : c, &y);
    }
    double jaccard = Jaccard(Shingles(NarrativeOf(ReportOf(x))), Shingles(NarrativeOf(ReportOf(y))));
    JobSignatures pair;
    pair.Add(JobSignature(x));
    pair.Add(JobSignature(y));
    double estimate = pair.Estimate(0, 1);
    worst = std::max(worst, std::abs(estimate - jaccard));
    // AtLeastEqual agrees with the estimate at every threshold.
    for (int needed : {0, 100, 180, 200, 256}) EXPECT_EQ(pair.AtLeastEqual(0, 1, needed), estimate * 256 >= needed - 1e-9);
  }
  EXPECT_LT(worst, 0.1);
}

TEST(Similarity, JobWideScreenKeepsEveryPairAboveTheThreshold) {
  // As ScreenKeepsEveryPairAboveTheThreshold, through the job-wide signatures and their tighter screen: no
  // pair at Jaccard 0.8 or more may be lost before the caller confirms it.
  std::mt19937 rng(13);
  JobSignatures table;
  std::set<std::pair<size_t, size_t>> close;
  for (int p = 0; p < 400; ++p) {
    int length = 80 + static_cast<int>(rng() % 400);
    std::string a = RandomText(rng, length), b;
    size_t pos = 0;
    int change = 25 + static_cast<int>(rng() % 40);  // Jaccard about 0.7 to 0.9
    while (pos < a.size()) {
      char32_t c = NextCodepoint(a, &pos);
      AppendUtf8(rng() % static_cast<uint32_t>(change) == 0 ? 0x4E00 + 300 + rng() % 100 : c, &b);
    }
    table.Add(JobSignature(a, absl::StrCat("机关", table.size())));
    table.Add(JobSignature(b, absl::StrCat("机关", table.size())));
    if (Jaccard(Shingles(NarrativeOf(ReportOf(a))), Shingles(NarrativeOf(ReportOf(b)))) >= 0.8) {
      close.insert({table.size() - 2, table.size() - 1});
    }
  }
  ASSERT_GT(close.size(), 150u);
  std::set<std::pair<size_t, size_t>> found;
  for (const NarrativePair& p : CopiedCandidates(table, 1000, nullptr)) {
    if (close.count({p.a, p.b})) found.insert({p.a, p.b});
  }
  EXPECT_EQ(found, close);
}

TEST(Similarity, CopiedCandidatesBoundTheCrowdAroundOneNarrative) {
  // 40 organs filing one narrative and two filing near copies of another: each of the crowd keeps at most 3
  // partners, the closest first, and the near pair is kept whatever the crowd does. Two more copies filed
  // by one organ are never paired with each other; 100 unrelated narratives pair with nothing.
  std::mt19937 rng(9);
  std::string crowd = RandomText(rng, 300), single = RandomText(rng, 300);
  JobSignatures table;
  auto add = [&](const std::string& text) { table.Add(JobSignature(text, absl::StrCat("机关", table.size()))); };
  for (int i = 0; i < 40; ++i) add(crowd);
  add(single);
  add(single.substr(0, single.size() - 12) + "改动");
  table.Add("");  // no narrative
  table.Add(JobSignature(single + "又一份", "同一机关"));
  table.Add(JobSignature(single + "又一份", "同一机关"));
  for (int i = 0; i < 100; ++i) add(RandomText(rng, 300));
  int64_t left_out = 0;
  std::vector<NarrativePair> pairs = CopiedCandidates(table, 3, &left_out);
  std::vector<int> partners(table.size(), 0);
  bool near_pair = false;
  for (const NarrativePair& p : pairs) {
    EXPECT_LT(p.a, p.b);
    EXPECT_LT(p.b, 45u);  // the unrelated ones are in no pair
    ++partners[p.a];
    ++partners[p.b];
    near_pair = near_pair || (p.a == 40 && p.b == 41);
    EXPECT_FALSE(p.a == 43 && p.b == 44);
    if (p.b < 40) EXPECT_DOUBLE_EQ(p.estimate, 1.0);
  }
  for (int n : partners) EXPECT_LE(n, 3);
  EXPECT_TRUE(near_pair);
  EXPECT_EQ(partners[42], 0);
  EXPECT_GE(pairs.size(), 40u * 3 / 2 - 3);  // the bound is filled, not merely respected
  EXPECT_GT(left_out, 0);
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end(), [](const NarrativePair& x, const NarrativePair& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  }));
  // The bands shared among threads: the same pairs.
  for (int threads : {1, 3}) {
    int64_t threaded_left_out = 0;
    std::vector<NarrativePair> threaded = CopiedCandidates(table, 3, &threaded_left_out, threads);
    ASSERT_EQ(threaded.size(), pairs.size()) << threads;
    for (size_t i = 0; i < pairs.size(); ++i) {
      EXPECT_EQ(std::tie(threaded[i].a, threaded[i].b), std::tie(pairs[i].a, pairs[i].b)) << threads;
    }
    EXPECT_EQ(threaded_left_out, left_out);
  }
}

}  // namespace
}  // namespace gongkai::validator
