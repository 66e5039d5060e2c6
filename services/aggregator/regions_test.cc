#include "services/aggregator/regions.h"

#include "gtest/gtest.h"

namespace gongkai::aggregator {
namespace {

using Kind = RegionInference::Kind;

TEST(RegionTable, LoadsTheWholeDivisionTable) {
  const RegionTable& t = DefaultRegionTable();
  EXPECT_GT(t.size(), 44000u);
  ASSERT_NE(t.Find("230184100"), nullptr);
  EXPECT_EQ(t.Find("230184100")->name, "五常镇");
  EXPECT_EQ(t.FullName("230184100"), "黑龙江省 哈尔滨市 五常市 五常镇");
  EXPECT_EQ(RegionTable::LevelOf("2301"), "city");
  EXPECT_EQ(RegionTable::Lineage("230184100"), (std::vector<std::string>{"23", "2301", "230184", "230184100"}));
}

TEST(RegionTable, InfersTheRegionOfRealAgencyNames) {
  const RegionTable& t = DefaultRegionTable();
  auto infer = [&](const char* name) { return t.Infer(name); };
  // The example and the seeds' titles.
  EXPECT_EQ(infer("五常市五常镇人民政府").code, "230184100");
  EXPECT_EQ(infer("铁力市铁力镇人民政府").code, "230781100");
  EXPECT_EQ(infer("青同镇人民政府").code, "130126101");  // one 青同镇 in the country
  EXPECT_EQ(infer("淮安市洪泽区人民政府").code, "320813");
  EXPECT_EQ(infer("淮安市人民政府").code, "3208");
  EXPECT_EQ(infer("沭阳县人民政府").code, "321322");
}

TEST(RegionTable, AmbiguousAndUnknownNamesAreNeverGuessed) {
  const RegionTable& t = DefaultRegionTable();
  RegionInference xindian = t.Infer("辛店镇");
  EXPECT_EQ(xindian.kind, Kind::kAmbiguous);
  EXPECT_GE(xindian.candidates.size(), 5u);
  EXPECT_TRUE(xindian.code.empty());
  EXPECT_EQ(t.Infer("上海市科委").code, "31");  // the province is named, nothing finer
  EXPECT_EQ(t.Infer("某某局").kind, Kind::kUnknown);
  EXPECT_EQ(t.Infer("").kind, Kind::kUnknown);
  // 沐阳 (an OCR error for 沭阳) names no division.
  EXPECT_EQ(t.Infer("沐阳县人民政府").kind, Kind::kUnknown);
}

TEST(OrganLevel, FromTheAgencyName) {
  EXPECT_EQ(OrganLevel("五常市五常镇人民政府"), "township");
  EXPECT_EQ(OrganLevel("平潭综合实验区行政审批局"), "department");
  EXPECT_EQ(OrganLevel("淮安市洪泽区人民政府"), "county");
  EXPECT_EQ(OrganLevel("沭阳县人民政府"), "county");
  EXPECT_EQ(OrganLevel("黑龙江省人民政府"), "province");
}

}  // namespace
}  // namespace gongkai::aggregator
