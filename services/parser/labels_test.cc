#include "services/parser/labels.h"

#include "common/text.h"
#include "gtest/gtest.h"

namespace gongkai::parser {
namespace {

std::string Match(absl::string_view raw, bool in_t3 = false) {
  std::string n = NormalizeLabel(raw);
  auto m = MatchRowLabel(n, n, in_t3);
  return m ? m->row->row_key : "";
}

TEST(MatchRowLabel, NamesRowsWhateverTheirPunctuationAndNumbering) {
  EXPECT_EQ(Match("一、本年新收政府信息公开申请数量"), "t3.received_new");
  EXPECT_EQ(Match("三、本年度办理结果 (一) 予以公开"), "t3.granted");
  EXPECT_EQ(Match("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), "t3.partially_granted");
  EXPECT_EQ(Match("(三)不予公开 1.属于国家秘密"), "t3.denied_state_secret");
  EXPECT_EQ(Match("2. 其他法律行政法规禁止公开"), "t3.denied_prohibited_by_law");
  EXPECT_EQ(Match("（六）其他处理"), "t3.other_processing");
  EXPECT_EQ(Match("（六）其他处理 3.其他"), "t3.other_other");
  EXPECT_EQ(Match("（七）总计"), "t3.total");
  EXPECT_EQ(Match("四、结转下年度继续办理"), "t3.carried_forward");
  EXPECT_EQ(Match("行政规范性文件"), "t2.normative_docs");
  EXPECT_EQ(Match("规范性文件"), "t2.normative_docs");
  EXPECT_EQ(Match("政府集中采购"), "t2.procurement");
  EXPECT_EQ(Match("結轉下年度繼續辦理"), "t3.carried_forward");
}

TEST(MatchRowLabel, DoesNotNameRowsFromHeadersOrProse) {
  EXPECT_EQ(Match("法人或其他组织"), "");
  EXPECT_EQ(Match("其他"), "");              // the other_org column, not "3.其他"
  EXPECT_EQ(Match("总计"), "");              // bare 总计 outside table 三
  EXPECT_EQ(Match("总计", /*in_t3=*/true), "t3.total");
  EXPECT_EQ(Match("全年收到政府信息公开申请"), "");
  // A group heading names its printed subtotal row (used only when numbers follow it directly).
  EXPECT_EQ(Match("（三）不予公开"), "t3.denied_subtotal");
}

TEST(VersionHintOf, ReadsTable2ColumnLabels) {
  EXPECT_EQ(VersionHintOf(NormalizeLabel("本年制发件数")), VersionHint::kV2021);
  EXPECT_EQ(VersionHintOf(NormalizeLabel("先行有效件数")), VersionHint::kV2021);  // a real typo
  EXPECT_EQ(VersionHintOf(NormalizeLabel("本年新制作数量")), VersionHint::kV2019);
  EXPECT_EQ(VersionHintOf(NormalizeLabel("上一年项目数量")), VersionHint::kV2019);
  EXPECT_EQ(VersionHintOf(NormalizeLabel("信息内容")), VersionHint::kNone);
}

TEST(NextTable4Slot, ReadsResultLabelsInOrder) {
  std::string header = NormalizeLabel("结 果 维 持 结果纠正 其他结果 尚未审结 总计");
  size_t pos = 0;
  std::vector<int> slots;
  while (pos < header.size()) {
    int s = NextTable4Slot(header, &pos);
    if (s >= 0) slots.push_back(s);
  }
  EXPECT_EQ(slots, (std::vector<int>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace gongkai::parser
