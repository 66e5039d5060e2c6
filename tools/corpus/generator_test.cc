// The corpus generator and the quality figures: deterministic output, real regions, labelled errors that
// the validator finds, clean reports it leaves alone, and every layout parsed to the last cell.
#include "tools/corpus/generator.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/aggregator/regions.h"
#include "tools/corpus/quality.h"

namespace gongkai::corpus {
namespace {

TEST(Generator, TheSameSeedGivesTheSameBytesAndAnotherSeedOthers) {
  CorpusOptions a;
  a.seed = 7;
  CorpusOptions b = a;
  b.seed = 8;
  Generator g1(a), g2(a), g3(b);
  int differ = 0;
  for (int i = 0; i < 50; ++i) {
    GeneratedReport x = g1.Next(), y = g2.Next(), z = g3.Next();
    EXPECT_EQ(x.content, y.content) << i;
    EXPECT_EQ(x.injected_rule, y.injected_rule) << i;
    if (x.content != z.content) ++differ;
  }
  EXPECT_EQ(differ, 50);
}

TEST(Generator, AgenciesAreUniqueAndFiledUnderRealRegions) {
  CorpusOptions options;
  options.error_share = 0;
  Generator g(options);
  std::set<std::string> names;
  std::map<std::string, int> levels;
  for (int i = 0; i < 300; ++i) {
    GeneratedReport r = g.Next();
    EXPECT_TRUE(names.insert(r.agency).second) << r.agency;
    const aggregator::Division* d = aggregator::DefaultRegionTable().Find(r.region_code);
    ASSERT_NE(d, nullptr) << r.region_code;
    EXPECT_NE(r.agency.find(d->name), std::string::npos) << r.agency << " is not named after " << d->name;
    ++levels[r.level];
  }
  EXPECT_GT(levels["township"], 20);
  EXPECT_GT(levels["county"], 100);
  EXPECT_GT(levels["city"], 5);
}

TEST(Generator, ARegionPrefixKeepsEveryOrganInThatProvince) {
  CorpusOptions options;
  options.region = "23";  // 黑龙江省
  Generator g(options);
  for (int i = 0; i < 200; ++i) {
    GeneratedReport r = g.Next();
    EXPECT_EQ(r.region_code.substr(0, 2), "23") << r.agency;
  }
}

TEST(Generator, MostOrgansReceiveFewApplicationsAndAFewReceiveThousands) {
  CorpusOptions options;
  options.error_share = 0;
  Generator g(options);
  int none = 0, thousands = 0;
  for (int i = 0; i < 1000; ++i) {
    GeneratedReport r = g.Next();
    int64_t received = std::stoll(r.cells["t3.received_new.total"]);
    if (received <= 5) ++none;
    if (received >= 1000) ++thousands;
  }
  EXPECT_GT(none, 300);
  EXPECT_GT(thousands, 3);
  EXPECT_LT(thousands, 100);
}

// The quality table on a small corpus: each injected rule is caught on every report that carries its
// error, no rule fires on a clean report, and every layout parses to exactly the cells written.
TEST(Quality, EveryInjectedErrorIsCaughtAndCleanReportsStayClean) {
  CorpusOptions options;
  options.reports = 1400;
  options.error_share = 0.5;
  options.seed = 3;
  QualityReport q = MeasureQuality(options);
  for (const std::string& rule : InjectableRules()) {
    const RuleQuality& r = q.rules[rule];
    EXPECT_GT(r.injected, 5) << rule;
    EXPECT_EQ(r.caught, r.injected) << rule;
  }
  for (const auto& [rule, r] : q.rules) EXPECT_EQ(r.false_findings, 0) << rule;
  EXPECT_EQ(q.formats.size(), AllFormats().size());
  for (const auto& [name, f] : q.formats) {
    EXPECT_EQ(f.refused, 0) << name;
    EXPECT_GT(f.cells, 10000) << name;
    EXPECT_EQ(f.exact, f.cells) << name;
  }
}

TEST(WriteCorpus, FilesManifestAndOrgans) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / absl::StrCat("gongkai-corpus-", getpid());
  CorpusOptions options;
  options.reports = 40;
  ASSERT_TRUE(WriteCorpus(options, dir.string()).ok());
  std::ifstream manifest(dir / "manifest.tsv");
  std::string line;
  std::getline(manifest, line);
  EXPECT_EQ(line.substr(0, 12), "file\tformat\t");
  int rows = 0;
  while (std::getline(manifest, line)) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    ASSERT_EQ(f.size(), 10u) << line;
    EXPECT_TRUE(std::filesystem::exists(dir / "reports" / f[0])) << f[0];
    ++rows;
  }
  EXPECT_EQ(rows, 40);
  EXPECT_FALSE(WriteCorpus(options, "/proc/not-writable").ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gongkai::corpus
