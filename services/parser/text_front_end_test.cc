#include "services/parser/text_front_end.h"

#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace gongkai::parser {
namespace {

CellStream* current = nullptr;

std::vector<std::string> Cells(const StreamLine& line) {
  std::vector<std::string> out;
  for (const StreamCell& c : current->CellsOf(line)) out.emplace_back(c.text);
  return out;
}

TEST(ReadText, SplitsTabsPipesAndTrailingNumbers) {
  ASSERT_OK_AND_ASSIGN(CellStream s, ReadText("规章\t0\t1\t2\n行政许可 | 170 | ||\n一、本年新收 3001 53 0\n"));
  current = &s;
  ASSERT_GE(s.lines.size(), 3u);
  EXPECT_EQ(Cells(s.lines[0]), (std::vector<std::string>{"规章", "0", "1", "2"}));
  EXPECT_EQ(Cells(s.lines[1]), (std::vector<std::string>{"行政许可", "170"}));
  EXPECT_EQ(Cells(s.lines[2]), (std::vector<std::string>{"一、本年新收", "3001", "53", "0"}));
}

// A trailing value is split off a label whatever it ends in: an ASCII or full-width digit, a unit; a lone
// placeholder after a label is not a number and leaves the field whole.
TEST(ReadText, SplitsTrailingValuesEndingInUnitsAndFullWidthDigits) {
  const std::string text = "其他 5件\n行政强制 １２\n行政许可 —\n合计 3,001 元\n";
  ASSERT_OK_AND_ASSIGN(CellStream s, ReadText(text));
  current = &s;
  ASSERT_GE(s.lines.size(), 4u);
  EXPECT_EQ(Cells(s.lines[0]), (std::vector<std::string>{"其他", "5件"}));
  EXPECT_EQ(Cells(s.lines[1]), (std::vector<std::string>{"行政强制", "１２"}));
  EXPECT_EQ(Cells(s.lines[2]), (std::vector<std::string>{"行政许可 —"}));
  EXPECT_EQ(Cells(s.lines[3]), (std::vector<std::string>{"合计 3,001 元"}));
}

TEST(ReadText, KeepsProseWhole) {
  ASSERT_OK_AND_ASSIGN(CellStream s, ReadText("2024 年，我镇公开信息 104 条。\n无\n"));
  current = &s;
  EXPECT_EQ(Cells(s.lines[0]).size(), 1u);
  EXPECT_EQ(Cells(s.lines[1]), (std::vector<std::string>{"无"}));
}

TEST(ReadText, DropsMarkdownSeparatorsPageNumbersAndBookmarks) {
  ASSERT_OK_AND_ASSIGN(CellStream s, ReadText("|---|---|\n— 4 —\n- 12 -\n[bookmark: _GoBack]五、存在的主要问题\n"));
  current = &s;
  EXPECT_EQ(s.lines[0].cell_count, 0u);
  EXPECT_EQ(s.lines[1].cell_count, 0u);
  EXPECT_EQ(s.lines[2].cell_count, 0u);
  EXPECT_EQ(Cells(s.lines[3]), (std::vector<std::string>{"五、存在的主要问题"}));
  EXPECT_EQ(s.lines[3].text, "五、存在的主要问题");
}

TEST(ReadText, PositionsAreLinesAndCodePointColumns) {
  ASSERT_OK_AND_ASSIGN(CellStream s, ReadText("标题\r\n行政处罚\t12\n"));
  current = &s;
  const StreamCell& value = s.CellsOf(s.lines[1])[1];
  EXPECT_EQ(value.text, "12");
  EXPECT_EQ(value.pos.line, 2);
  EXPECT_EQ(value.pos.column, 5);  // 行政处罚 is four code points, then the tab
  EXPECT_EQ(value.pos.byte_offset, 8 + 12 + 1);
}

// Separators are found eight bytes at a time: a tab or '|' at any offset, and a field of any length around
// the 8-byte steps, must split exactly as a plain scan would.
TEST(ReadText, SplitsAtSeparatorsWhateverTheirOffset) {
  for (int before = 0; before <= 20; ++before) {
    for (char separator : {'\t', '|'}) {
      std::string label(static_cast<size_t>(before), 'a');
      // The stream's cells view the text, which must outlive them.
      const std::string text =
          label + "x" + separator + "12" + separator + "b" + std::string(static_cast<size_t>(20 - before), 'c') + "\n";
      ASSERT_OK_AND_ASSIGN(CellStream s, ReadText(text));
      current = &s;
      ASSERT_FALSE(s.lines.empty());
      EXPECT_EQ(Cells(s.lines[0]),
                (std::vector<std::string>{label + "x", "12", "b" + std::string(static_cast<size_t>(20 - before), 'c')}))
          << "separator after " << before + 1 << " bytes";
    }
  }
}

// A long line with two runs of five or more digits glued to Chinese text is read as run-together cells;
// the digit screen skips eight bytes at a time, so the runs are placed at every offset.
TEST(ReadText, FindsRunTogetherDigitsAtAnyOffset) {
  for (int pad = 0; pad < 9; ++pad) {
    const std::string text = std::string(static_cast<size_t>(pad), ' ') +
                             "一、本年新收政府信息公开申请数量320000032二、上年结转政府信息公开申请数量100000001三、本年度办理结果\n";
    ASSERT_OK_AND_ASSIGN(CellStream s, ReadText(text));
    current = &s;
    bool found = false;
    for (const StreamLine& l : s.lines) {
      for (const std::string& c : Cells(l)) found = found || c == "320000032";
    }
    EXPECT_TRUE(found) << "padding " << pad;
  }
}

TEST(ReadText, RefusesMillionsOfCells) {
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "0\t";
  TextFrontEndOptions options;
  options.max_cells = 1000;
  EXPECT_THAT(ReadText(many, options), gongkai::testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace gongkai::parser
