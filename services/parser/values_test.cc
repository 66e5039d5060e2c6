#include "services/parser/values.h"

#include "gtest/gtest.h"

namespace gongkai::parser {
namespace {

using Kind = CellValue::Kind;

struct Case {
  const char* text;
  Kind kind;
  int64_t integer = 0;
  int64_t units = 0;
  int32_t scale = 0;
};

class ClassifyValueTest : public ::testing::TestWithParam<Case> {};

TEST_P(ClassifyValueTest, Classifies) {
  const Case& c = GetParam();
  CellValue v = ClassifyValue(c.text);
  EXPECT_EQ(v.kind, c.kind) << c.text;
  if (c.kind == Kind::kInteger) {
    EXPECT_EQ(v.integer, c.integer) << c.text;
  }
  if (c.kind == Kind::kDecimal) {
    EXPECT_EQ(v.units, c.units) << c.text;
    EXPECT_EQ(v.scale, c.scale) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cells, ClassifyValueTest,
    ::testing::Values(Case{"0", Kind::kInteger, 0}, Case{"3119", Kind::kInteger, 3119},
                      Case{"517,645", Kind::kInteger, 517645}, Case{"１２", Kind::kInteger, 12},
                      Case{"-3", Kind::kInteger, -3}, Case{"12件", Kind::kInteger, 12},
                      Case{"4068.208", Kind::kDecimal, 0, 4068208, 3},
                      Case{"96171.6", Kind::kDecimal, 0, 961716, 1},
                      Case{"/", Kind::kPlaceholder}, Case{"-", Kind::kPlaceholder},
                      Case{"—", Kind::kPlaceholder}, Case{"无", Kind::kPlaceholder},
                      Case{"", Kind::kPlaceholder}, Case{"规章", Kind::kNotValue},
                      Case{"1.属于国家秘密", Kind::kNotValue}, Case{"2024年", Kind::kNotValue},
                      Case{"12,34", Kind::kNotValue}, Case{"1.", Kind::kNotValue},
                      Case{"1234567890123456789", Kind::kDigitRun}, Case{"12345678901234567890x", Kind::kNotValue},
                      Case{"0万元", Kind::kInteger, 0},
                      Case{"12 件", Kind::kInteger, 12}));

// The screen never turns away a cell ClassifyValue reads as a value: every non-empty case above that is a
// value may end one; labels and prose ending in other characters may not.
TEST(MayEndAValue, NeverRefusesAValue) {
  for (const char* text : {"97", "517,645", "１２", "12件", "4068.208", "/", "／", "-", "－", "—", "——", "–", "―",
                           "−", "无", "\\", "0万元", "12 件", "3个", "5项", "2条", "1次", "3元", "4人"}) {
    ASSERT_TRUE(ClassifyValue(text).is_value()) << text;
    EXPECT_TRUE(MayEndAValue(text)) << text;
  }
  for (const char* text : {"", "规章", "行政许可", "2024年", "（一）予以公开", "abc"}) EXPECT_FALSE(MayEndAValue(text)) << text;
}

}  // namespace
}  // namespace gongkai::parser
