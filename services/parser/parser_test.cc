#include "services/parser/parser.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/corpus/report_text.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_data.h"

namespace gongkai::parser {
namespace {

using ::gongkai::testing::CellsOf;
using ::gongkai::corpus::Layout;
using ::gongkai::testing::ReadExpectedCells;
using ::gongkai::testing::ReadFileOrDie;
using ::gongkai::testing::StatusIs;
using ::testing::HasSubstr;

void ExpectCells(const v1::AnnualReport& report, const std::map<std::string, std::string>& expected,
                 const std::string& what) {
  std::map<std::string, std::string> actual = CellsOf(report);
  ASSERT_GT(expected.size(), 3u) << what;
  for (const auto& [key, value] : expected) {
    EXPECT_EQ(actual[key], value) << what << ": " << key;
  }
  for (const auto& [key, value] : actual) {
    EXPECT_TRUE(expected.count(key)) << what << ": unexpected key " << key;
  }
}

// ---- The five seeds, every cell ---------------------------------------------------------------------

class SeedTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SeedTest, EveryCellAsReadByHand) {
  std::string dir = gongkai::testing::TestDataDir();
  std::string text = ReadFileOrDie(absl::StrCat(dir, "/reports/seed_", GetParam(), ".txt"));
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  ExpectCells(report, ReadExpectedCells(absl::StrCat(dir, "/expected/seed_", GetParam(), ".cells")),
              GetParam());
  // Every seed has all six sections, once each and in order.
  ASSERT_EQ(report.sections_size(), 6) << GetParam();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(report.sections(i).number(), i + 1) << GetParam();
  EXPECT_EQ(report.version(), v1::TEMPLATE_VERSION_V2021);
  EXPECT_TRUE(report.table2().present() && report.table3().present() && report.table4().present());
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedTest, ::testing::Values("000", "001", "002", "003", "004"));

TEST(Seed000, BrokenRowsAreReportedWithTheirLinesAndLeftMissing) {
  std::string text = ReadFileOrDie(gongkai::testing::TestDataDir() + "/reports/seed_000.txt");
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  std::map<std::string, const v1::ParseNote*> by_row;
  int orphans = 0;
  for (const v1::ParseNote& note : report.notes()) {
    if (note.kind() == v1::ParseNote::KIND_ORPHAN_VALUES) ++orphans;
    if (!note.row_key().empty()) by_row[note.row_key()] = &note;
  }
  EXPECT_EQ(orphans, 2);  // the unlabeled value lines under （六）1. and 2.
  ASSERT_TRUE(by_row.count("t3.granted"));
  EXPECT_EQ(by_row["t3.granted"]->position().line(), 42);
  EXPECT_EQ(by_row["t3.granted"]->values_size(), 6);
  EXPECT_EQ(by_row["t3.granted"]->expected_count(), 7);
  ASSERT_TRUE(by_row["t3.total"]);
  EXPECT_EQ(by_row["t3.total"]->position().line(), 66);
  EXPECT_EQ(by_row["t3.total"]->values_size(), 5);
  ASSERT_TRUE(by_row["t3.other_other"]);
  EXPECT_EQ(by_row["t3.other_other"]->values_size(), 8);
  // The odd fee unit is kept for the t2.fee_unit rule.
  EXPECT_EQ(report.fee_unit(), "0万元");
  EXPECT_EQ(report.agency(), "铁力市铁力镇人民政府");
  EXPECT_EQ(report.title_year(), 2024);
}

// Found by `gongkai quality`: a 统计局's title ("…统计局2023年…") was read as the statistical period.
TEST(Identity, AStatisticsBureauTitleIsNotThePeriod) {
  std::string text = corpus::RenderReport(corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021), v1::TEMPLATE_VERSION_V2021,
                                          corpus::Layout::kPipes, "连江县统计局", 2024);
  text.replace(text.find("2024年政府信息公开"), 4, "2023");
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport r, ParseText(text));
  EXPECT_EQ(r.agency(), "连江县统计局");
  EXPECT_EQ(r.title_year(), 2023);
  EXPECT_EQ(r.period_year(), 2024);
}

TEST(Seeds, IdentityFromTitleAndPeriod) {
  std::string dir = gongkai::testing::TestDataDir();
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport r1, ParseText(ReadFileOrDie(dir + "/reports/seed_001.txt")));
  EXPECT_EQ(r1.agency(), "");  // no title at all
  EXPECT_EQ(r1.title_year(), 0);
  EXPECT_EQ(r1.period_year(), 2024);
  EXPECT_EQ(r1.report_year(), 2024);
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport r3, ParseText(ReadFileOrDie(dir + "/reports/seed_003.txt")));
  EXPECT_EQ(r3.agency(), "青同镇人民政府");  // agency on the line above the title
  EXPECT_EQ(r3.period_year(), 2024);
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport r4, ParseText(ReadFileOrDie(dir + "/reports/seed_004.txt")));
  EXPECT_EQ(r4.agency(), "五常市五常镇人民政府");  // title broken over two lines
  // The section text keeps the narrative: section 五 names its problems.
  EXPECT_THAT(r4.sections(4).text(), HasSubstr("信息公开平台建设不规范"));
  EXPECT_THAT(r4.sections(5).text(), HasSubstr("无收取信息处理费"));
}

TEST(Seeds, CellsCarryRawTextAndPositions) {
  std::string text = ReadFileOrDie(gongkai::testing::TestDataDir() + "/reports/seed_003.txt");
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  const v1::Cell* cell = FindCell(report, "t2.licensing.decisions");
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(cell->int_value(), 570);
  EXPECT_EQ(cell->raw(), "570");
  EXPECT_EQ(text.substr(cell->position().byte_offset(), 3), "570");
  EXPECT_EQ(cell->position().column(), 1);  // after the leading tab
  int line = 1;
  for (int64_t i = 0; i < cell->position().byte_offset(); ++i) line += text[i] == '\n';
  EXPECT_EQ(cell->position().line(), line);
}

// ---- Peer texts (read in place) -------------------------------------------------------------------

struct PeerCase {
  const char* path;      // under ../shared/corpus/peers
  const char* expected;  // under tests/data/expected
};

class PeerTest : public ::testing::TestWithParam<PeerCase> {};

TEST_P(PeerTest, EveryCellThatCanBeRead) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  std::string path = absl::StrCat(gongkai::testing::SharedCorpusDir(), "/peers/", GetParam().path);
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(ReadFileOrDie(path)));
  ExpectCells(report,
              ReadExpectedCells(absl::StrCat(gongkai::testing::TestDataDir(), "/expected/", GetParam().expected)),
              GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Peers, PeerTest,
    ::testing::Values(
        PeerCase{"zxj6827111-blip__KIROGOVCOMPARE/tests/"
                 "沭阳县人民政府2025年政府信息公开工作年度报告-沭阳县人民政府.txt",
                 "peer_shuyang_2025.cells"},
        PeerCase{"zxj6827111-blip__KIROGOVCOMPARE/tests/fixtures/annual-report/kewei-2024-source.md",
                 "peer_kewei_2024.cells"},
        PeerCase{"zxj6827111-blip__KIROGOVCOMPARE/tests/fixtures/annual-report/shanghai-office-sample-source.md",
                 "peer_shanghai_office_2025.cells"},
        PeerCase{"zxj6827111-blip__govnianbao/section3_raw_text.txt", "peer_huaian_2024_section3.cells"}));

TEST(Peers, HandCheckedTotalsOfPeersIndex) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  std::string base = gongkai::testing::SharedCorpusDir() + "/peers/zxj6827111-blip__KIROGOVCOMPARE/tests/";
  ASSERT_OK_AND_ASSIGN(
      v1::AnnualReport shuyang,
      ParseText(ReadFileOrDie(base + "沭阳县人民政府2025年政府信息公开工作年度报告-沭阳县人民政府.txt")));
  auto v = [](const v1::AnnualReport& r, const char* key) { return CellValueText(*FindCell(r, key)); };
  EXPECT_EQ(v(shuyang, "t3.received_new.total"), "713");
  EXPECT_EQ(v(shuyang, "t3.carried_over.total"), "36");
  EXPECT_EQ(v(shuyang, "t3.total.total"), "718");
  EXPECT_EQ(v(shuyang, "t3.carried_forward.total"), "31");
  EXPECT_EQ(v(shuyang, "t3.received_new.natural_person"), "705");
  EXPECT_EQ(v(shuyang, "t4.review.total"), "61");
  EXPECT_EQ(v(shuyang, "t4.litigation_direct.total"), "3");
  EXPECT_EQ(v(shuyang, "t4.litigation_after_review.total"), "10");
  EXPECT_EQ(v(shuyang, "t2.fees.amount_wan_yuan"), "4068.208");
  // The kewei extraction prints two labels over one row of values: neither row is guessed.
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport kewei, ParseText(ReadFileOrDie(base + "fixtures/annual-report/kewei-2024-source.md")));
  EXPECT_EQ(v(kewei, "t3.denied_internal_affairs.total"), "null");
  EXPECT_EQ(v(kewei, "t3.unable_not_held.total"), "null");
  bool ambiguous = false;
  for (const v1::ParseNote& note : kewei.notes()) {
    if (note.kind() == v1::ParseNote::KIND_UNREADABLE && note.row_key() == "t3.unable_not_held") ambiguous = true;
  }
  EXPECT_TRUE(ambiguous);
  EXPECT_EQ(v(kewei, "t3.received_new.total"), "34");
  EXPECT_EQ(v(kewei, "t3.total.total"), "35");
}

// ---- Layouts and versions -------------------------------------------------------------------------

struct LayoutCase {
  Layout layout;
  v1::TemplateVersion version;
  const char* name;
};

class LayoutTest : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(LayoutTest, EveryCellLandsInItsPlace) {
  auto values = gongkai::corpus::DistinctValues(GetParam().version);
  std::string text = gongkai::corpus::RenderReport(values, GetParam().version, GetParam().layout);
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  EXPECT_EQ(report.version(), GetParam().version) << report.version_evidence();
  std::map<std::string, std::string> expected = values;
  expected["@version"] = std::string(VersionName(GetParam().version));
  expected["@year"] = "2024";
  expected["@agency"] = "测试县人民政府";
  ExpectCells(report, expected, GetParam().name);
  EXPECT_EQ(report.notes_size(), 0) << report.notes(0).message_en();
  EXPECT_EQ(report.sections_size(), 6);
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, LayoutTest,
    ::testing::Values(LayoutCase{Layout::kTabs, v1::TEMPLATE_VERSION_V2021, "tabs v2021"},
                      LayoutCase{Layout::kPipes, v1::TEMPLATE_VERSION_V2021, "pipes v2021"},
                      LayoutCase{Layout::kCellPerLine, v1::TEMPLATE_VERSION_V2021, "cell per line v2021"},
                      LayoutCase{Layout::kMarkdown, v1::TEMPLATE_VERSION_V2021, "markdown v2021"},
                      LayoutCase{Layout::kSpaces, v1::TEMPLATE_VERSION_V2021, "spaces v2021"},
                      LayoutCase{Layout::kTabs, v1::TEMPLATE_VERSION_V2019, "tabs v2019"},
                      LayoutCase{Layout::kCellPerLine, v1::TEMPLATE_VERSION_V2019, "cell per line v2019"},
                      LayoutCase{Layout::kMarkdown, v1::TEMPLATE_VERSION_V2019, "markdown v2019"}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(Layouts, FullWidthTraditionalAndSpacedLabels) {
  auto values = gongkai::corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
  std::string text = gongkai::corpus::RenderReport(values, v1::TEMPLATE_VERSION_V2021, Layout::kTabs);
  text = absl::StrReplaceAll(text, {{"结转下年度继续办理", "結轉下年度繼續辦理"},
                                    {"本机关不掌握相关政府信息", "本機關不掌握相關政府信息"},
                                    {"1.属于国家秘密", "１．属 于 国 家 秘 密"},
                                    {"行政规范性文件", "行政規範性文件"},
                                    {"（七）总计", "(七) 總計"}});
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  EXPECT_EQ(CellValueText(*FindCell(report, "t3.carried_forward.total")), values["t3.carried_forward.total"]);
  EXPECT_EQ(CellValueText(*FindCell(report, "t3.unable_not_held.research")), values["t3.unable_not_held.research"]);
  EXPECT_EQ(CellValueText(*FindCell(report, "t3.denied_state_secret.total")), values["t3.denied_state_secret.total"]);
  EXPECT_EQ(CellValueText(*FindCell(report, "t2.normative_docs.in_force")), values["t2.normative_docs.in_force"]);
  EXPECT_EQ(CellValueText(*FindCell(report, "t3.total.natural_person")), values["t3.total.natural_person"]);
}

TEST(Layouts, PlaceholdersAreMissingNeverZero) {
  auto values = gongkai::corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
  values["t3.granted.research"] = "/";
  values["t3.granted.commercial"] = "—";
  values["t4.review.pending"] = "无";
  std::string text = gongkai::corpus::RenderReport(values, v1::TEMPLATE_VERSION_V2021, Layout::kTabs);
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  const v1::Cell* c = FindCell(report, "t3.granted.research");
  EXPECT_EQ(c->state(), v1::CELL_STATE_PLACEHOLDER);
  EXPECT_EQ(c->raw(), "/");
  EXPECT_FALSE(c->has_int_value());
  EXPECT_EQ(FindCell(report, "t3.granted.commercial")->state(), v1::CELL_STATE_PLACEHOLDER);
  EXPECT_EQ(FindCell(report, "t4.review.pending")->state(), v1::CELL_STATE_PLACEHOLDER);
  EXPECT_EQ(FindCell(report, "t3.granted.total")->state(), v1::CELL_STATE_PRESENT);
}

TEST(Layouts, ARowWithAValueTooManyStaysMissing) {
  auto values = gongkai::corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
  std::string text = gongkai::corpus::RenderReport(values, v1::TEMPLATE_VERSION_V2021, Layout::kTabs);
  std::string row = absl::StrCat("2.重复申请\t", values["t3.rejected_repeated.natural_person"]);
  size_t at = text.find(row);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + row.size(), "\t99");
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  EXPECT_EQ(FindCell(report, "t3.rejected_repeated.natural_person")->state(), v1::CELL_STATE_MISSING);
  EXPECT_EQ(FindCell(report, "t3.rejected_repeated.total")->state(), v1::CELL_STATE_MISSING);
  ASSERT_EQ(report.notes_size(), 1);
  EXPECT_EQ(report.notes(0).row_key(), "t3.rejected_repeated");
  EXPECT_EQ(report.notes(0).values_size(), 8);
  // Neighbouring rows are untouched.
  EXPECT_EQ(CellValueText(*FindCell(report, "t3.rejected_publication.total")), values["t3.rejected_publication.total"]);
}

TEST(Versions, DetectedFromTheYearWhenTablesSayNothing) {
  std::string text = "某某局2020年政府信息公开工作年度报告\n一、总体情况\n本机关认真开展政府信息公开工作。\n";
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  EXPECT_EQ(report.version(), v1::TEMPLATE_VERSION_V2019);
  EXPECT_EQ(report.agency(), "某某局");
  EXPECT_FALSE(report.table3().present());
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport old,
                       ParseText("某某局2017年政府信息公开工作年度报告\n一、概述\n本年度政府信息公开工作平稳。\n"));
  EXPECT_EQ(old.version(), v1::TEMPLATE_VERSION_PRE2019);
  EXPECT_EQ(old.table3().cells_size(), 0);
}

// ---- Inputs that are not reports ------------------------------------------------------------------

TEST(BadInput, ClearErrorsNeverCrashes) {
  EXPECT_THAT(ParseText(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(ParseText(" \n\t "), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(ParseText(std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NUL")));
  EXPECT_THAT(ParseText("一、总体情况\n\xd5\xfe\xb8\xae\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
  EXPECT_THAT(ParseText("\xff\xfe" "a\0b\0", {}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UTF-16")));
  EXPECT_THAT(ParseText("关于召开全市安全生产工作会议的通知\n各区县：定于下周召开会议。\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a 政府信息公开工作年度报告")));
  ParserOptions small;
  small.max_input_bytes = 10;
  EXPECT_THAT(ParseText("一、总体情况 二、主动公开", small),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("over the limit")));
}

TEST(BadInput, OtherFormatsAreNamed) {
  EXPECT_THAT(ParseDocument("%PDF-1.7\n...", "a.pdf"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("PDF")));
  EXPECT_THAT(ParseDocument(std::string("PK\x03\x04rest", 8), "a.docx"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("damaged zip")));
  EXPECT_THAT(ParseDocument("<html><body><table></table></body></html>", "a.html"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a 政府信息公开工作年度报告")));
}

TEST(BadInput, HostileTextStaysWithinLimitsAndDoesNotCrash) {
  // A huge table of tiny cells, very long lines, and labels with no values.
  std::string many_cells;
  for (int i = 0; i < 300000; ++i) many_cells += "0\t";
  ParserOptions options;
  options.max_cells = 100000;
  EXPECT_THAT(ParseText("一、总体情况\n" + many_cells, options), StatusIs(absl::StatusCode::kInvalidArgument));
  std::string long_line(2 << 20, 'a');
  EXPECT_THAT(ParseText(long_line + "\n政府信息公开\n"), gongkai::testing::IsOk());
  std::string labels;
  for (int i = 0; i < 10000; ++i) labels += "（七）总计\n";
  EXPECT_THAT(ParseText("政府信息公开\n" + labels), gongkai::testing::IsOk());
}

}  // namespace
}  // namespace gongkai::parser
