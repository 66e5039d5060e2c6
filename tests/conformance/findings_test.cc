// Conformance: real reports, parsed and validated, give the findings a careful reviewer would — and no
// others. Each case lists the rules that must fail (with how often) and those that must not.
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/parser/parser.h"
#include "services/validator/validator.h"
#include "tests/testing/test_data.h"

namespace gongkai {
namespace {

std::map<std::string, int> FailedRules(const std::string& text, int expected_year = 0) {
  auto report = parser::ParseText(text);
  EXPECT_TRUE(report.ok()) << report.status();
  if (!report.ok()) return {};
  if (expected_year > 0) report->mutable_metadata()->set_expected_year(expected_year);
  auto validator = validator::Validator::Create();
  std::map<std::string, int> out;
  for (const v1::Finding& f : validator->Validate(*report)) {
    if (f.outcome() == v1::OUTCOME_FAILED) ++out[f.rule_id()];
  }
  return out;
}

std::string Seed(const char* n) {
  return testing::ReadFileOrDie(absl::StrCat(testing::TestDataDir(), "/reports/seed_", n, ".txt"));
}

TEST(Conformance, Seed000BrokenRowsAndOddFeeUnit) {
  std::map<std::string, int> failed = FailedRules(Seed("000"));
  // 21 table 三 rows read wrong (6, 5 or 8 values), 2 value lines with no label, table 四 one value short.
  EXPECT_EQ(failed["structure.shape"], 24);
  EXPECT_EQ(failed["t2.fee_unit"], 1);  // 单位：0万元
  EXPECT_EQ(failed["section6.fee_reported"], 1);
  // No arithmetic rule fails on cells that were never read: they are unverifiable instead.
  for (const char* rule : {"t3.balance", "t3.row_sum", "t3.results_sum", "t4.group_sum", "cell.missing", "cell.number",
                           "year.consistent", "text.table_agree", "structure.version", "structure.sections"}) {
    EXPECT_EQ(failed[rule], 0) << rule;
  }
}

TEST(Conformance, ConsistentSeedsHaveNoError) {
  for (const char* n : {"001", "002", "003", "004"}) {
    std::map<std::string, int> failed = FailedRules(Seed(n), 2024);
    auto validator = validator::Validator::Create();
    for (const auto& [rule, count] : failed) {
      const validator::Rule* r = validator::DefaultRegistry().Find(rule);
      ASSERT_NE(r, nullptr);
      EXPECT_NE(r->default_severity, v1::SEVERITY_ERROR) << "seed " << n << ": " << rule;
    }
  }
  // Seeds 001 and 003 do not say whether 信息处理费 was charged; 002 and 004 do.
  EXPECT_EQ(FailedRules(Seed("001"))["section6.fee_reported"], 1);
  EXPECT_EQ(FailedRules(Seed("003"))["section6.fee_reported"], 1);
  EXPECT_EQ(FailedRules(Seed("002"))["section6.fee_reported"], 0);
  EXPECT_EQ(FailedRules(Seed("004"))["section6.fee_reported"], 0);
}

TEST(Conformance, AWrongRequestedYearIsAnError) {
  EXPECT_EQ(FailedRules(Seed("004"), 2023)["year.consistent"], 1);
  EXPECT_EQ(FailedRules(Seed("004"), 2024)["year.consistent"], 0);
}

TEST(Conformance, PeerShuyang2025AgreesEverywhere) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  std::string text = testing::ReadFileOrDie(testing::SharedCorpusDir() +
                                            "/peers/zxj6827111-blip__KIROGOVCOMPARE/tests/"
                                            "沭阳县人民政府2025年政府信息公开工作年度报告-沭阳县人民政府.txt");
  // Its body says 受理 749 = 713 new + 36 carried over, 办理 718, 结转 31: all agree with the tables.
  std::map<std::string, int> failed = FailedRules(text);
  EXPECT_TRUE(failed.empty()) << failed.begin()->first;
}

TEST(Conformance, PeerShanghaiOffice2025TextAgreesWhereTheTableWasRead) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  std::string text = testing::ReadFileOrDie(testing::SharedCorpusDir() +
                                            "/peers/zxj6827111-blip__KIROGOVCOMPARE/tests/fixtures/annual-report/"
                                            "shanghai-office-sample-source.md");
  std::map<std::string, int> failed = FailedRules(text);
  // 受理 1295, 办结 1191, 予以公开及部分公开 208, 不予公开 20, 无法提供 564: all agree with table 三.
  EXPECT_EQ(failed["text.table_agree"], 0);
  EXPECT_EQ(failed["t4.group_sum"], 0);
  EXPECT_EQ(failed["t3.balance"], 0);
  EXPECT_GT(failed["structure.shape"], 0);  // the extraction broke table 二 and a few rows of table 三
}

}  // namespace
}  // namespace gongkai
