#include "services/parser/digit_split.h"

#include "gtest/gtest.h"
#include "services/parser/parser.h"
#include "common/schema.h"
#include "tests/testing/status_matchers.h"

namespace gongkai::parser {
namespace {

bool RowSum(const std::vector<int64_t>& v) {
  int64_t sum = 0;
  for (size_t i = 0; i + 1 < v.size(); ++i) sum += v[i];
  return sum == v.back();
}
bool Any(const std::vector<int64_t>&) { return true; }

TEST(SplitDigits, TheRowEquationChoosesTheOnlyReading) {
  auto splits = SplitDigits({"320000032"}, 7, 0, Any, RowSum);
  ASSERT_EQ(splits.size(), 1u);
  EXPECT_EQ(splits[0], (std::vector<int64_t>{32, 0, 0, 0, 0, 0, 32}));
  // 1200000122 → 12 … 12 (the trailing 2 was the next label's numbering, removed by the front end).
  splits = SplitDigits({"120000012"}, 7, 0, Any, RowSum);
  ASSERT_EQ(splits.size(), 1u);
  EXPECT_EQ(splits[0].front(), 12);
}

TEST(SplitDigits, NoLeadingZerosAndCutsBetweenTokens) {
  // "230 000023" (a space the scraper kept): 23 0 | 0 0 0 0 23.
  auto splits = SplitDigits({"230", "000023"}, 7, 0, Any, RowSum);
  ASSERT_EQ(splits.size(), 1u);
  EXPECT_EQ(splits[0], (std::vector<int64_t>{23, 0, 0, 0, 0, 0, 23}));
  EXPECT_TRUE(SplitDigits({"0001"}, 2, 0, Any, Any).empty());  // "00"+"01" and "000"+"1" both have leading zeros
  EXPECT_TRUE(SplitDigits({"12"}, 3, 0, Any, Any).empty());   // too few digits
}

TEST(SplitDigits, SeveralReadingsAreAllReturned) {
  // 表二 has no equation: 898989 into three is ambiguous.
  EXPECT_GT(SplitDigits({"898989"}, 3, 0, Any, Any).size(), 1u);
  // Forced: 15 digits into 15 cells.
  EXPECT_EQ(SplitDigits({"100000000000000"}, 15, 0, Any, Any, 2).size(), 1u);
}

TEST(RunTogetherText, CellsRunTogetherAreSplitByTheTablesEquations) {
  std::string text =
      "某某局2025年政府信息公开工作年度报告 一、总体情况本年度共收到申请7件。"
      "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件121"
      "第二十条第（五）项信息内容本年处理决定数量行政许可5第二十条第（六）项信息内容本年处理决定数量行政处罚0行政强制0"
      "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0"
      "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况"
      "自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量7000007"
      "二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开5000005（二）部分公开（区分处理的，只计这一情形，"
      "不计其他情形）0000000（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
      "3.危及“三安全一稳定”00000004.保护第三方合法权益00000005.属于三类内部事务信息00000006.属于四类过程性信息0000000"
      "7.属于行政执法案卷00000008.属于行政查询事项0000000（四）无法提供1.本机关不掌握相关政府信息2000002"
      "2.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请0000000"
      "2.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请0000000"
      "5.要求行政机关确认或重新出具已获取信息0000000（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请0000000"
      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他0000000（七）总计7000007"
      "四、结转下年度继续办理0000000四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
      "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计110120000000000"
      "五、存在的主要问题及改进情况一是公开不够及时。下一步将加强培训，提升质量。六、其他需要报告的事项2025年度未收取信息处理费。\n";
  ASSERT_OK_AND_ASSIGN(v1::AnnualReport report, ParseText(text));
  auto v = [&](const char* key) { return CellValueText(*FindCell(report, key)); };
  EXPECT_EQ(v("t3.received_new.total"), "7");
  EXPECT_EQ(v("t3.granted.natural_person"), "5");
  EXPECT_EQ(v("t3.unable_not_held.total"), "2");
  EXPECT_EQ(v("t3.total.total"), "7");
  EXPECT_EQ(v("t2.rules.in_force"), "0");
  EXPECT_EQ(v("t2.normative_docs.issued"), "1");  // "121": forced, each digit a cell
  EXPECT_EQ(v("t2.normative_docs.in_force"), "1");
  EXPECT_EQ(v("t2.licensing.decisions"), "5");
  EXPECT_EQ(v("t4.review.upheld"), "1");
  EXPECT_EQ(v("t4.review.corrected"), "1");
  EXPECT_EQ(v("t4.review.total"), "2");
  EXPECT_EQ(v("t4.litigation_direct.total"), "0");
  EXPECT_EQ(report.sections_size(), 6);
  EXPECT_EQ(report.notes_size(), 0) << report.notes(0).message_en();
}

}  // namespace
}  // namespace gongkai::parser
