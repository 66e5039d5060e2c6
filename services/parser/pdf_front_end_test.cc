#include "services/parser/pdf_front_end.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/parser/parser.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_data.h"
#include "tools/corpus/pdf_writer.h"

namespace gongkai::parser {
namespace {

using ::gongkai::testing::StatusIs;
using ::testing::HasSubstr;

// A minimal PDF with `pages` pages; each page draws `content` (empty: nothing, like a scan's missing text
// layer once its images are left out).
std::string MakePdf(int pages, const std::string& content = "") {
  std::vector<std::string> objects;
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (int i = 0; i < pages; ++i) absl::StrAppend(&kids, 5 + i, " 0 R ");
  objects.push_back(absl::StrCat("<< /Type /Pages /Kids [", kids, "] /Count ", pages, " >>"));
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  objects.push_back(absl::StrCat("<< /Length ", content.size(), " >>\nstream\n", content, "\nendstream"));
  for (int i = 0; i < pages; ++i) {
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>");
  }
  return corpus::AssemblePdf(objects);
}

TEST(Pdf, TextIsReadIntoLinesAndCells) {
  std::string pdf = MakePdf(1, "BT /F1 12 Tf 72 700 Td (Total) Tj 200 0 Td (12) Tj 100 0 Td (7) Tj ET");
  ASSERT_OK_AND_ASSIGN(CellStream stream, ReadPdf(pdf));
  ASSERT_EQ(stream.lines.size(), 1u);
  auto cells = stream.CellsOf(stream.lines[0]);
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[0].text, "Total");
  EXPECT_EQ(cells[1].text, "12");
  EXPECT_EQ(cells[2].value.integer, 7);
  EXPECT_EQ(cells[1].pos.page, 1);
  EXPECT_EQ(cells[1].pos.line, 1);
}

TEST(Pdf, AScanWithNoTextLayerIsNamed) {
  EXPECT_THAT(ParseDocument(MakePdf(3), "scan.pdf"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no text layer")));
}

TEST(Pdf, DamagedAndOversizedPdfsAreNamed) {
  EXPECT_THAT(ParseDocument(std::string("%PDF-1.4\n1 0 obj << /Type /Catalog"), "cut.pdf"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("PDF")));
  ParserOptions options;
  options.max_pdf_pages = 50;
  EXPECT_THAT(ParseDocument(MakePdf(500), "bomb.pdf", "", options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("500 pages")));
}

// A PDF under the standard security handler (RC4, revision 2) whose user and owner entries are not those of
// the empty password: a reader must ask for a password, as for a report exported "protected".
TEST(Pdf, APasswordProtectedPdfIsNamed) {
  std::string pdf = MakePdf(1, "BT /F1 12 Tf 72 700 Td (Total) Tj 200 0 Td (12) Tj ET");
  const std::string trailer = " /Root 1 0 R >>";
  size_t at = pdf.rfind(trailer);
  ASSERT_NE(at, std::string::npos);
  std::string encrypt = absl::StrCat(
      " /Root 1 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
      " /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44",
      " /O <", std::string(64, 'A'), "> /U <", std::string(64, '5'), "> >> >>");
  pdf.replace(at, trailer.size(), encrypt);
  EXPECT_THAT(ReadPdf(pdf), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("encrypted with a password")));
  EXPECT_THAT(ParseDocument(pdf, "protected.pdf"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("encrypted with a password")));
}

int FindCellPage(const v1::AnnualReport& report) {
  for (const v1::Cell& c : report.table3().cells()) {
    if (c.key() == "t3.received_new.total") return c.position().page();
  }
  return 0;
}

TEST(Pdf, CellsOfARealPdfKnowTheirPage) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  std::string bytes = gongkai::testing::ReadFileOrDie(gongkai::testing::SharedCorpusDir() +
                                                      "/peers/zxj6827111-blip__govnianbao/szfgs2024.pdf");
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseDocument(bytes, "szfgs2024.pdf"));
  EXPECT_EQ(report.format(), v1::DOCUMENT_FORMAT_PDF);
  // Cells carry the page they were read on.
  EXPECT_GE(FindCellPage(report), 1);
}

}  // namespace
}  // namespace gongkai::parser
