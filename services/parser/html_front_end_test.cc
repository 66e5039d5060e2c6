#include "services/parser/html_front_end.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/parser/encoding.h"
#include "services/parser/parser.h"
#include "tools/corpus/report_text.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_data.h"

namespace gongkai::parser {
namespace {

using ::gongkai::testing::StatusIs;
using ::testing::HasSubstr;

void ExpectAllCells(const v1::AnnualReport& report, const std::map<std::string, std::string>& values,
                    const std::string& what) {
  for (const auto& [key, value] : values) {
    const v1::Cell* cell = FindCell(report, key);
    ASSERT_NE(cell, nullptr) << what << ": " << key;
    EXPECT_EQ(CellValueText(*cell), value) << what << ": " << key;
  }
}

class HtmlPageTest : public ::testing::TestWithParam<v1::TemplateVersion> {};

TEST_P(HtmlPageTest, EveryCellOfARenderedPageLandsInItsPlace) {
  auto values = gongkai::corpus::DistinctValues(GetParam());
  std::string page = gongkai::corpus::RenderHtml(values, GetParam());
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseDocument(page, "page.html"));
  EXPECT_EQ(report.format(), v1::DOCUMENT_FORMAT_HTML);
  EXPECT_EQ(report.version(), GetParam());
  EXPECT_EQ(report.agency(), "测试县人民政府");
  EXPECT_EQ(report.report_year(), 2024);
  EXPECT_EQ(report.sections_size(), 6);
  ExpectAllCells(report, values, "utf-8 page");
  EXPECT_EQ(report.notes_size(), 0) << report.notes(0).message_en();
  EXPECT_EQ(report.fee_unit(), GetParam() == v1::TEMPLATE_VERSION_V2021 ? "万元" : "");
  // Cells know their table, row and cell in the page.
  const v1::Cell* cell = FindCell(report, "t4.review.upheld");
  EXPECT_EQ(cell->position().table(), 3);
  EXPECT_GT(cell->position().row(), 0);
  EXPECT_EQ(cell->position().cell(), 1);
  EXPECT_GT(cell->position().line(), 0);
}

INSTANTIATE_TEST_SUITE_P(Versions, HtmlPageTest,
                         ::testing::Values(v1::TEMPLATE_VERSION_V2021, v1::TEMPLATE_VERSION_V2019));

TEST(HtmlPage, GbkPagesAreDecoded) {
  auto values = gongkai::corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
  std::string page = gongkai::corpus::RenderHtml(values, v1::TEMPLATE_VERSION_V2021, "五常市五常镇人民政府");
  std::string declared = absl::StrReplaceAll(page, {{"charset=UTF-8", "charset=gb2312"}});
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report,
                       ParseDocument(gongkai::corpus::Encode(declared, "GB18030"), "page.htm"));
  EXPECT_EQ(report.agency(), "五常市五常镇人民政府");
  ExpectAllCells(report, values, "gb2312 page");
  // Undeclared and not UTF-8: read as GB18030.
  std::string undeclared = absl::StrReplaceAll(page, {{"; charset=UTF-8", ""}});
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report2,
                       ParseDocument(gongkai::corpus::Encode(undeclared, "GB18030"), "page.htm"));
  ExpectAllCells(report2, values, "undeclared gbk page");
}

TEST(HtmlPage, EmptyCellsArePlaceholdersNeverZero) {
  auto values = gongkai::corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
  values["t3.granted.research"] = "";
  values["t4.review.upheld"] = "";
  values["t4.litigation_after_review.total"] = "";
  std::string page = gongkai::corpus::RenderHtml(values, v1::TEMPLATE_VERSION_V2021);
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseDocument(page, "page.html"));
  EXPECT_EQ(FindCell(report, "t3.granted.research")->state(), v1::CELL_STATE_PLACEHOLDER);
  EXPECT_EQ(FindCell(report, "t4.review.upheld")->state(), v1::CELL_STATE_PLACEHOLDER);
  EXPECT_EQ(FindCell(report, "t4.litigation_after_review.total")->state(), v1::CELL_STATE_PLACEHOLDER);
  EXPECT_EQ(CellValueText(*FindCell(report, "t4.review.corrected")), values["t4.review.corrected"]);  // not shifted
  EXPECT_EQ(CellValueText(*FindCell(report, "t3.granted.social_welfare")), values["t3.granted.social_welfare"]);
}

TEST(HtmlPage, HostilePagesGetClearErrors) {
  std::string deep = "<html><body>";
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "政府信息公开</body></html>";
  EXPECT_THAT(ParseDocument(deep, "deep.html"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nests")));
  std::string huge = "<html><body>";
  huge.append(50 << 20, 'x');
  EXPECT_THAT(ParseDocument(huge, "huge.html"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("over the limit")));
  EXPECT_THAT(ParseDocument("<html><head><meta charset=\"klingon-7\"></head><body>政府</body></html>", "x.html"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("klingon-7")));
  // Broken markup is read as browsers read it.
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport broken,
                       ParseDocument("<html><body><p>某局2024年政府信息公开工作年度报告<table><tr><td>规章<td>1<td>2", "b.html"));
  EXPECT_EQ(broken.report_year(), 2024);
}

TEST(Encoding, DeclaredCharset) {
  EXPECT_EQ(DeclaredCharset("<meta charset=\"GBK\">"), "gbk");
  EXPECT_EQ(DeclaredCharset("<meta http-equiv=Content-Type content='text/html; charset=gb2312'>"), "gb2312");
  EXPECT_EQ(DeclaredCharset("\xEF\xBB\xBF<html>"), "utf-8");
  EXPECT_EQ(DeclaredCharset("<html>"), "");
}

}  // namespace
}  // namespace gongkai::parser
