#include "services/parser/docx_front_end.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/parser/parser.h"
#include "tools/corpus/docx_builder.h"
#include "tools/corpus/report_text.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_data.h"

namespace gongkai::parser {
namespace {

using ::gongkai::testing::StatusIs;
using ::testing::HasSubstr;

class DocxTest : public ::testing::TestWithParam<v1::TemplateVersion> {};

TEST_P(DocxTest, EveryCellOfAWordDocumentLandsInItsPlace) {
  auto values = gongkai::corpus::DistinctValues(GetParam());
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseDocument(gongkai::corpus::RenderDocx(values, GetParam()), "r.docx"));
  EXPECT_EQ(report.format(), v1::DOCUMENT_FORMAT_DOCX);
  EXPECT_EQ(report.version(), GetParam());
  EXPECT_EQ(report.agency(), "测试县人民政府");  // runs joined, the field's instruction text left out
  EXPECT_EQ(report.report_year(), 2024);
  EXPECT_EQ(report.sections_size(), 6);
  for (const auto& [key, value] : values) EXPECT_EQ(CellValueText(*FindCell(report, key)), value) << key;
  EXPECT_EQ(report.notes_size(), 0) << report.notes(0).message_en();
  const v1::Cell* cell = FindCell(report, "t3.granted.natural_person");
  EXPECT_EQ(cell->position().table(), 2);
  EXPECT_GT(cell->position().row(), 0);
  EXPECT_GT(cell->position().cell(), 0);
}

INSTANTIATE_TEST_SUITE_P(Versions, DocxTest, ::testing::Values(v1::TEMPLATE_VERSION_V2021, v1::TEMPLATE_VERSION_V2019));

TEST(Docx, TheBlankOfficialTemplateHasEveryRowAndNoNumber) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  std::string bytes = gongkai::testing::ReadFileOrDie(gongkai::testing::SharedCorpusDir() +
                                                      "/peers/zxj6827111-blip__govnianbao/政务公开年报模版.docx");
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseDocument(bytes, "template.docx"));
  EXPECT_EQ(report.version(), v1::TEMPLATE_VERSION_V2021);
  EXPECT_TRUE(report.table2().present() && report.table3().present() && report.table4().present());
  EXPECT_EQ(report.notes_size(), 0) << report.notes(0).message_en();  // every row found, none malformed
  int cells = 0;
  for (const v1::Table* t : {&report.table2(), &report.table3(), &report.table4()}) {
    for (const v1::Cell& c : t->cells()) {
      ++cells;
      EXPECT_EQ(c.state(), v1::CELL_STATE_PLACEHOLDER) << c.key();  // blank: missing, never 0
    }
  }
  EXPECT_EQ(cells, 200);
  EXPECT_EQ(report.sections_size(), 6);
}

TEST(Docx, HostileAndWrongFilesAreNamed) {
  auto values = gongkai::corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
  std::string docx = gongkai::corpus::RenderDocx(values, v1::TEMPLATE_VERSION_V2021);
  EXPECT_THAT(ParseDocument(docx.substr(0, docx.size() / 2), "cut.docx"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("damaged zip")));
  EXPECT_THAT(ParseDocument(gongkai::corpus::MakeZip({{"xl/workbook.xml", "<workbook/>"}}), "a.xlsx"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("Excel")));
  EXPECT_THAT(ParseDocument(gongkai::corpus::MakeZip({{"word/document.xml", "<w:document><w:body>"}}), "b.docx"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not well-formed")));
  // A zip bomb: 200 MB of spaces inflating from a few hundred KB.
  std::string bomb = gongkai::corpus::MakeZip({{"word/document.xml", std::string(200 << 20, ' ')}});
  EXPECT_LT(bomb.size(), 1u << 20);
  EXPECT_THAT(ParseDocument(bomb, "bomb.docx"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("zip bomb")));
  // Deeply nested XML stops at libxml2's depth limit instead of exhausting the stack.
  std::string deep = "<w:document xmlns:w=\"x\"><w:body>";
  for (int i = 0; i < 100000; ++i) deep += "<w:sdt>";
  EXPECT_THAT(ParseDocument(gongkai::corpus::MakeZip({{"word/document.xml", deep}}), "deep.docx"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // An old binary .doc (OLE2 compound file) is named as such.
  EXPECT_THAT(ParseDocument(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(100, 'x'), "old.doc"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(".doc")));
}

}  // namespace
}  // namespace gongkai::parser
