// Conformance: real reports, parsed and validated, give the findings a careful reviewer would — and no
// others. Each case lists the rules that must fail (with how often) and those that must not.
#include <map>
#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "common/schema.h"
#include "services/parser/parser.h"
#include "services/validator/validator.h"
#include "tests/testing/test_data.h"

namespace gongkai {
namespace {

std::map<std::string, int> FailedRules(const std::string& text, int expected_year = 0,
                                       const std::string& file_name = "report.txt") {
  auto report = parser::ParseDocument(text, file_name);
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

// ---- The real pages of ../shared/corpus/real (figures from its INDEX.md files) ----------------------------

struct RealPage {
  const char* file;            // under real/
  const char* agency;
  int year;
  const char* version;
  std::map<std::string, std::string> cells;  // figures INDEX.md gives
  std::map<std::string, int> failed;         // rules that must fail, how often (others must not fail)
};

// Test names and failure messages show the file, not the struct's bytes.
void PrintTo(const RealPage& page, std::ostream* os) { *os << page.file; }

class RealPageTest : public ::testing::TestWithParam<RealPage> {};

TEST_P(RealPageTest, CellsAndFindingsAsAReviewerSeesThem) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  const RealPage& page = GetParam();
  std::string html = testing::ReadFileOrDie(absl::StrCat(testing::SharedCorpusDir(), "/real/", page.file));
  auto report = parser::ParseDocument(html, page.file);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->agency(), page.agency);
  EXPECT_EQ(report->report_year(), page.year);
  EXPECT_EQ(VersionName(report->version()), page.version);
  for (const auto& [key, value] : page.cells) {
    const v1::Cell* cell = FindCell(*report, key);
    ASSERT_NE(cell, nullptr) << key;
    EXPECT_EQ(CellValueText(*cell), value) << page.file << ": " << key;
  }
  auto validator = validator::Validator::Create();
  std::map<std::string, int> failed;
  for (const v1::Finding& f : validator->Validate(*report)) {
    if (f.outcome() == v1::OUTCOME_FAILED) ++failed[f.rule_id()];
  }
  for (const auto& [rule, count] : page.failed) EXPECT_EQ(failed[rule], count) << page.file << ": " << rule;
  for (const auto& [rule, count] : failed) {
    EXPECT_TRUE(page.failed.count(rule)) << page.file << ": unexpected " << rule << " x" << count;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Pingtan, RealPageTest,
    ::testing::Values(
        RealPage{"pingtan/2019-平潭综合实验区.html", "平潭综合实验区", 2019, "v2019",
                 {{"t3.received_new.total", "23"}, {"t3.total.total", "23"}, {"t3.carried_forward.total", "0"},
                  {"t3.granted.total", "7"}, {"t3.partially_granted.total", "1"}, {"t3.unable_not_held.total", "7"},
                  {"t3.unable_unclear.total", "5"}, {"t3.rejected_repeated.total", "3"},
                  {"t2.procurement.items", "135"}, {"t2.procurement.amount", "75394432.52"},
                  {"t2.normative_docs.made", "89"}, {"t2.licensing.prior_items", "396"},
                  {"t2.punishment.decisions", "430"}, {"t4.review.total", "0"}},
                 {}},
        RealPage{"pingtan/2019-金井片区.html", "平潭综合实验区金井片区管理局", 2019, "v2019",
                 {{"t3.received_new.total", "0"}, {"t3.total.total", "0"}, {"t4.litigation_after_review.total", "0"}},
                 {}},
        RealPage{"pingtan/2020-公安局.html", "平潭综合实验区公安局", 2020, "v2019", {},
                 {{"structure.tables", 3}, {"structure.sections", 1}}},
        RealPage{"pingtan/2021-金井片区.html", "平潭综合实验区金井片区管理局", 2021, "v2021",
                 {{"t3.received_new.total", "0"}, {"t3.carried_forward.social_welfare", "0"}}, {}},
        RealPage{"pingtan/2022-金井片区.html", "平潭综合实验区金井片区管理局", 2022, "v2021",
                 {{"t3.received_new.total", "0"}, {"t3.carried_forward.commercial", "null"}},
                 {{"cell.missing", 1}}},
        RealPage{"pingtan/2023-海坛片区.html", "平潭综合实验区海坛片区管理局", 2023, "v2021",
                 {{"t3.received_new.total", "0"}, {"t3.total.total", "0"}},
                 // No 规章 row, and （六）其他处理 printed as one row without its three items.
                 {{"structure.shape", 2}}},
        RealPage{"pingtan/2023-行政审批局.html", "平潭综合实验区行政审批局", 2023, "v2021",
                 {{"t3.received_new.total", "7"}, {"t3.total.total", "7"}, {"t3.partially_granted.total", "1"},
                  {"t3.denied_query_item.total", "2"}, {"t3.unable_not_held.total", "4"}, {"t4.review.upheld", "1"},
                  {"t4.review.total", "1"}, {"t4.litigation_after_review.other", "1"},
                  {"t4.litigation_after_review.total", "1"}},
                 {}},
        RealPage{"pingtan/2024-行政审批局.html", "平潭综合实验区行政审批局", 2024, "v2021",
                 {{"t3.received_new.total", "28"}, {"t3.granted.total", "18"}, {"t3.partially_granted.total", "6"},
                  {"t3.unable_not_held.total", "4"}, {"t4.review.upheld", "1"}, {"t4.review.total", "0"}},
                 {{"t4.group_sum", 1}}},
        RealPage{"pingtan/2025-管委会办公室.html", "平潭综合实验区管委会办公室", 2025, "v2021",
                 {{"t3.received_new.total", "32"}, {"t3.total.total", "32"}, {"t3.granted.total", "8"},
                  {"t3.partially_granted.total", "7"}, {"t3.denied_internal_affairs.total", "1"},
                  {"t3.denied_process_info.total", "2"}, {"t3.unable_not_held.total", "12"},
                  {"t3.unable_needs_creation.total", "2"}, {"t4.review.total", "2"}},
                 // 共受理公开申请34件 against 32 in table 三.
                 {{"text.table_agree", 1}}},
        RealPage{"shanghai-office-2019.html", "上海市人民政府办公厅", 2019, "v2019",
                 {{"t3.received_new.total", "859"}, {"t3.carried_over.total", "18"}, {"t3.total.total", "805"},
                  {"t3.carried_forward.total", "72"}, {"t3.granted.total", "null"}, {"t4.review.upheld", "5"},
                  {"t4.review.corrected", "null"}, {"t4.review.pending", "2"}, {"t4.review.total", "7"},
                  {"t4.litigation_direct.total", "9"}, {"t4.litigation_after_review.total", "null"}},
                 // Blank cells are missing, not 0 (one finding per row that has them); the narrative's
                 // 予以公开及部分公开 258 and 无法提供 265 are below what the table's filled cells already hold.
                 {{"cell.missing", 26}, {"text.table_agree", 2}}}),
    [](const auto& info) { return absl::StrCat("page", info.index); });

// The three real PDFs of ../shared/corpus/peers, with the hand-checked figures of its INDEX.md.
INSTANTIATE_TEST_SUITE_P(
    PeerPdfs, RealPageTest,
    ::testing::Values(
        RealPage{"../peers/zxj6827111-blip__KIROGOVCOMPARE/sample_pdfs_v1/hzq2023_working.pdf", "洪泽区人民政府", 2023,
                 "v2021",
                 {{"t3.received_new.total", "21"}, {"t3.carried_over.total", "0"}, {"t3.granted.total", "0"},
                  {"t3.partially_granted.total", "4"}, {"t3.denied_state_secret.total", "1"},
                  {"t3.denied_prohibited_by_law.total", "0"}, {"t3.denied_process_info.total", "1"},
                  {"t3.denied_enforcement_file.total", "1"}, {"t3.unable_not_held.total", "10"},
                  {"t3.unable_needs_creation.total", "3"}, {"t3.rejected_petition.total", "1"},
                  {"t3.rejected_confirmation.total", "0"}, {"t3.total.total", "21"}, {"t3.carried_forward.total", "0"},
                  {"t4.review.upheld", "10"}, {"t4.review.corrected", "1"}, {"t4.review.total", "0"},
                  {"t4.litigation_direct.total", "0"}, {"t4.litigation_after_review.upheld", "5"},
                  {"t4.litigation_after_review.total", "0"}},
                 // The real error of table 四 (总计 0 under 10 + 1, and under 5); （六）其他处理 printed as one row.
                 {{"t4.group_sum", 2}, {"structure.shape", 1}}},
        RealPage{"../peers/zxj6827111-blip__KIROGOVCOMPARE/sample_pdfs_v1/hzq2024_working.pdf", "淮安市洪泽区人民政府",
                 2024, "v2021",
                 {{"t3.received_new.total", "95"}, {"t3.granted.total", "50"}, {"t3.partially_granted.total", "9"},
                  {"t3.denied_security_stability.total", "1"}, {"t3.denied_process_info.total", "1"},
                  {"t3.denied_enforcement_file.total", "1"}, {"t3.unable_not_held.total", "31"},
                  {"t3.unable_needs_creation.total", "1"}, {"t3.rejected_petition.total", "1"}, {"t3.total.total", "95"},
                  {"t4.review.upheld", "1"}, {"t4.review.corrected", "1"}, {"t4.review.total", "2"},
                  {"t4.litigation_direct.total", "1"}, {"t4.litigation_after_review.other", "1"},
                  {"t4.litigation_after_review.total", "3"}},
                 // "区政府办代表区政府受理政府信息公开申请 17 件" is another scope than table 三's 95: no finding.
                 {{"structure.shape", 1}}},
        RealPage{"../peers/zxj6827111-blip__govnianbao/szfgs2024.pdf", "淮安市人民政府", 2024, "v2021",
                 {{"t3.received_new.natural_person", "3001"}, {"t3.received_new.commercial", "53"},
                  {"t3.received_new.legal_service", "61"}, {"t3.received_new.other_org", "4"},
                  {"t3.received_new.total", "3119"}, {"t3.carried_over.total", "34"}, {"t3.granted.total", "1362"},
                  {"t3.partially_granted.total", "454"}, {"t3.denied_state_secret.total", "2"},
                  {"t3.denied_prohibited_by_law.total", "31"}, {"t3.denied_query_item.total", "105"},
                  {"t3.unable_not_held.total", "769"}, {"t3.unable_needs_creation.total", "11"},
                  {"t3.unable_unclear.total", "1"}, {"t3.rejected_petition.total", "62"},
                  {"t3.rejected_repeated.total", "25"}, {"t3.rejected_confirmation.total", "1"},
                  {"t3.other_overdue_correction.total", "71"}, {"t3.other_overdue_fee.total", "6"},
                  {"t3.other_other.total", "110"}, {"t3.total.natural_person", "2932"}, {"t3.total.total", "3050"},
                  {"t3.carried_forward.total", "103"}, {"t4.review.upheld", "72"}, {"t4.review.corrected", "64"},
                  {"t4.review.other", "178"}, {"t4.review.pending", "37"}, {"t4.review.total", "351"},
                  {"t4.litigation_direct.total", "26"}, {"t4.litigation_after_review.total", "20"},
                  {"t2.normative_docs.issued", "8"}, {"t2.fees.amount_wan_yuan", "96171.6"}},
                 {}}),
    [](const auto& info) { return absl::StrCat("pdf", info.index); });

// The crawler's flattened text of each page (cells run together) against the page itself: a value read
// from the digits is never wrong, and the cells that can be read are.
struct CrawlerText {
  const char* page;     // under real/pingtan, without extension
  int unread_t3_t4;     // table 三/四 cells the text cannot give (a blank the crawler dropped, a group row)
  std::map<std::string, int> failed;
};

void PrintTo(const CrawlerText& text, std::ostream* os) { *os << text.page; }

class CrawlerTextTest : public ::testing::TestWithParam<CrawlerText> {};

TEST_P(CrawlerTextTest, DigitsSplitByTheTablesEquationsMatchThePage) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  std::string base = absl::StrCat(testing::SharedCorpusDir(), "/real/pingtan/", GetParam().page);
  auto page = parser::ParseDocument(testing::ReadFileOrDie(base + ".html"), "page.html");
  auto text = parser::ParseDocument(testing::ReadFileOrDie(base + ".txt"), "page.txt");
  ASSERT_TRUE(page.ok() && text.ok());
  EXPECT_EQ(text->agency(), page->agency());
  EXPECT_EQ(text->report_year(), page->report_year());
  int unread = 0;
  for (const v1::Table* t : {&text->table3(), &text->table4()}) {
    for (const v1::Cell& cell : t->cells()) {
      const v1::Cell* truth = FindCell(*page, cell.key());
      ASSERT_NE(truth, nullptr);
      if (cell.state() != v1::CELL_STATE_PRESENT) {
        ++unread;
        continue;
      }
      EXPECT_EQ(CellValueText(cell), CellValueText(*truth)) << GetParam().page << ": " << cell.key();
    }
  }
  EXPECT_EQ(unread, GetParam().unread_t3_t4) << GetParam().page;
  auto validator = validator::Validator::Create();
  std::map<std::string, int> failed;
  for (const v1::Finding& f : validator->Validate(*text)) {
    if (f.outcome() == v1::OUTCOME_FAILED) ++failed[f.rule_id()];
  }
  EXPECT_EQ(failed, GetParam().failed) << GetParam().page;
}

INSTANTIATE_TEST_SUITE_P(
    Pingtan, CrawlerTextTest,
    ::testing::Values(
        // 表二's rows have no equation to split by: 898989 could be 8/98/989 or 89/89/89 …
        CrawlerText{"2019-平潭综合实验区", 0, {{"structure.shape", 7}}},
        CrawlerText{"2021-金井片区", 0, {}},
        // The page's one blank cell (结转下年度/商业企业) is gone from the text: six digits for seven cells.
        CrawlerText{"2022-金井片区", 7, {{"structure.shape", 1}}},
        CrawlerText{"2023-海坛片区", 21, {{"structure.shape", 2}}},
        CrawlerText{"2023-行政审批局", 0, {{"structure.shape", 1}}},
        // The real table 四 error (行政复议 维持 1, 总计 0) is read from "100000000000000".
        CrawlerText{"2024-行政审批局", 0, {{"structure.shape", 1}, {"t4.group_sum", 1}}},
        CrawlerText{"2025-管委会办公室", 0, {{"structure.shape", 1}, {"text.table_agree", 1}}}),
    [](const auto& info) { return absl::StrCat("text", info.index); });

}  // namespace
}  // namespace gongkai
