#include "services/validator/similarity.h"

#include "common/text.h"

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

}  // namespace
}  // namespace gongkai::validator
