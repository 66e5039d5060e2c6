#include "services/aggregator/exports.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/aggregator/summary.h"
#include "services/parser/docx_front_end.h"
#include "tools/corpus/report_factory.h"

namespace gongkai::aggregator {
namespace {

using ::testing::HasSubstr;

struct Fixture {
  v1::Summary summary;
  std::vector<FindingRow> findings;
  std::vector<v1::CheckedReport> reports;
};

Fixture Make() {
  Fixture f;
  v1::Aggregate agg;
  for (uint32_t i = 0; i < 4; ++i) {
    v1::CheckedReport c;
    *c.mutable_report() = corpus::ConsistentReport(i, v1::TEMPLATE_VERSION_V2021, 2024, i < 2 ? "五常市五常镇人民政府" : "铁力市铁力镇人民政府");
    if (i == 3) {
      v1::Finding* finding = c.add_findings();
      finding->set_rule_id("t4.group_sum");
      finding->set_severity(v1::SEVERITY_ERROR);
      finding->set_outcome(v1::OUTCOME_FAILED);
      finding->set_message("表四“行政复议”：总计 0 不等于 1");
      finding->add_cells("t4.review.total");
      finding->add_values("0");
      f.findings.push_back({"r3.txt", c.report().agency(), "230781100", *finding});
    }
    AddReport(c, &agg);
    f.reports.push_back(c);
  }
  f.summary = Summarize(agg, "county");
  return f;
}

TEST(Exports, RegionsCsvHasCanonicalKeysAndRoundTrips) {
  Fixture f = Make();
  std::string csv = RegionsCsv(f.summary);
  std::vector<std::string> lines = absl::StrSplit(csv, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u + 1u + static_cast<size_t>(f.summary.nodes_size()));  // header, total, nodes
  std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  std::vector<std::string> total = absl::StrSplit(lines[1], ',');
  ASSERT_EQ(header.size(), total.size());
  size_t col = std::find(header.begin(), header.end(), "t3.received_new.total") - header.begin();
  ASSERT_LT(col, header.size());
  int64_t expected = 0;
  for (int i = 0; i < 3; ++i) expected += std::stoll(corpus::CellText(f.reports[i].report(), "t3.received_new.total"));
  EXPECT_EQ(total[col], absl::StrCat(expected));  // report 3 has an ERROR: left out
  EXPECT_EQ(CsvField("a,\"b\""), "\"a,\"\"b\"\"\"");
}

TEST(Exports, ReportsCsvOneRowPerReport) {
  Fixture f = Make();
  std::string header = ReportsCsv::Header();
  std::string row = ReportsCsv::Row("r0.txt", f.reports[0].report(), {}, PlaceReport(f.reports[0].report()));
  std::vector<std::string> h = absl::StrSplit(header.substr(0, header.size() - 1), ',');
  std::vector<std::string> r = absl::StrSplit(row.substr(0, row.size() - 1), ',');
  ASSERT_EQ(h.size(), 9u + 200u);
  ASSERT_EQ(r.size(), h.size());
  EXPECT_EQ(r[2], "230184100");
  EXPECT_EQ(r[3], "township");
  for (size_t i = 9; i < h.size(); ++i) EXPECT_EQ(r[i], corpus::CellText(f.reports[0].report(), h[i])) << h[i];
}

TEST(Exports, XlsxReadBackHasTheTablesAndTheFindings) {
  Fixture f = Make();
  std::string path = (std::filesystem::temp_directory_path() / "gongkai_exports_test.xlsx").string();
  ASSERT_TRUE(WriteXlsx(f.summary, f.findings, path).ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto workbook = parser::ReadZipEntry(bytes.str(), "xl/workbook.xml", 1 << 20);
  ASSERT_TRUE(workbook.ok()) << workbook.status();
  for (const char* sheet : {"表二", "表三", "表四", "地区汇总", "问题清单"}) EXPECT_THAT(*workbook, HasSubstr(sheet));
  auto strings = parser::ReadZipEntry(bytes.str(), "xl/sharedStrings.xml", 8 << 20);
  ASSERT_TRUE(strings.ok());
  EXPECT_THAT(*strings, HasSubstr("一、本年新收政府信息公开申请数量"));
  EXPECT_THAT(*strings, HasSubstr("t4.group_sum"));
  EXPECT_THAT(*strings, HasSubstr("表四“行政复议”：总计 0 不等于 1"));
  auto sheet2 = parser::ReadZipEntry(bytes.str(), "xl/worksheets/sheet2.xml", 8 << 20);  // 表三
  ASSERT_TRUE(sheet2.ok());
  int64_t received = 0;
  for (int i = 0; i < 3; ++i) received += std::stoll(corpus::CellText(f.reports[i].report(), "t3.received_new.total"));
  EXPECT_THAT(*sheet2, HasSubstr(absl::StrCat("<v>", received, "</v>")));
  std::remove(path.c_str());
}

TEST(Exports, HtmlIsSelfContained) {
  Fixture f = Make();
  std::string html = SummaryHtml(f.summary, f.findings);
  EXPECT_THAT(html, HasSubstr("<table>"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("一、本年新收政府信息公开申请数量"));
  EXPECT_THAT(html, HasSubstr("t4.group_sum"));
  for (const char* external : {"http:", "https:", "src=", "href=", "<link", "url(", "@import"}) {
    EXPECT_FALSE(absl::StrContains(html, external)) << external;
  }
}

TEST(Exports, JsonIsTheProtobufMapping) {
  Fixture f = Make();
  std::string json = SummaryJson(f.summary);
  EXPECT_THAT(json, HasSubstr("\"total\""));
  EXPECT_THAT(json, HasSubstr("\"reports_with_errors\": \"1\""));
}

}  // namespace
}  // namespace gongkai::aggregator
