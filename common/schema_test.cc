#include "common/schema.h"

#include <set>

#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(Schema, V2021HasTheTwoHundredCellsOfFormatMd) {
  const auto& keys = AllCellKeys(v1::TEMPLATE_VERSION_V2021);
  ASSERT_EQ(keys.size(), 200u);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 200u);
  EXPECT_EQ(keys.front(), "t2.rules.issued");
  EXPECT_EQ(keys[9], "t2.fees.amount_wan_yuan");
  EXPECT_EQ(keys[10], "t3.received_new.natural_person");
  EXPECT_EQ(keys[16], "t3.received_new.total");
  EXPECT_EQ(keys[184], "t3.carried_forward.total");
  EXPECT_EQ(keys.back(), "t4.litigation_after_review.total");
}

TEST(Schema, V2019HasTwentyTwoTable2CellsAndTwentyThreeTable3Rows) {
  const auto& keys = AllCellKeys(v1::TEMPLATE_VERSION_V2019);
  EXPECT_EQ(keys.size(), 22u + 23u * 7u + 15u);
  EXPECT_EQ(TableRows(TableId::kT3, v1::TEMPLATE_VERSION_V2019).size(), 23u);
  EXPECT_EQ(TableRows(TableId::kT3, v1::TEMPLATE_VERSION_V2021).size(), 25u);
  EXPECT_EQ(Table3ResultRows(v1::TEMPLATE_VERSION_V2021).size(), 21u);
  EXPECT_EQ(Table3ResultRows(v1::TEMPLATE_VERSION_V2019).size(), 19u);
}

TEST(Schema, InitTablesCreatesMissingCellsAndFindCellFindsThem) {
  v1::AnnualReport report;
  InitTables(v1::TEMPLATE_VERSION_V2021, &report);
  EXPECT_EQ(report.table2().cells_size() + report.table3().cells_size() + report.table4().cells_size(), 200);
  const v1::Cell* cell = FindCell(report, "t3.granted.total");
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(cell->state(), v1::CELL_STATE_MISSING);
  EXPECT_EQ(CellValueText(*cell), "null");
  EXPECT_EQ(FindCell(report, "t3.other_processing.total"), nullptr);
}

// FindCell's key index, for both versions: every key finds its own cell, and near misses (a key cut short,
// one character changed, a key of the other version) find none.
TEST(Schema, FindCellFindsEveryKeyAndNoNearMiss) {
  for (v1::TemplateVersion version : {v1::TEMPLATE_VERSION_V2021, v1::TEMPLATE_VERSION_V2019}) {
    v1::AnnualReport report;
    InitTables(version, &report);
    report.set_version(version);
    const std::vector<std::string>& keys = AllCellKeys(version);
    std::set<std::string> all(keys.begin(), keys.end());
    for (const std::string& key : keys) {
      const v1::Cell* cell = FindCell(report, key);
      ASSERT_NE(cell, nullptr) << key;
      EXPECT_EQ(cell->key(), key);
      for (std::string miss : {key.substr(0, key.size() - 1), key + "x", std::string(key).replace(key.size() / 2, 1, "#")}) {
        if (all.count(miss) == 0) EXPECT_EQ(FindCell(report, miss), nullptr) << miss;
      }
    }
    for (const std::string& other : AllCellKeys(version == v1::TEMPLATE_VERSION_V2021 ? v1::TEMPLATE_VERSION_V2019
                                                                                     : v1::TEMPLATE_VERSION_V2021)) {
      if (all.count(other) == 0) EXPECT_EQ(FindCell(report, other), nullptr) << other;
    }
    EXPECT_EQ(FindCell(report, ""), nullptr);
  }
  // A table in another order is still searched.
  v1::AnnualReport shuffled;
  InitTables(v1::TEMPLATE_VERSION_V2021, &shuffled);
  shuffled.mutable_table2()->mutable_cells()->SwapElements(0, 3);
  ASSERT_NE(FindCell(shuffled, "t2.rules.issued"), nullptr);
  EXPECT_EQ(FindCell(shuffled, "t2.rules.issued")->key(), "t2.rules.issued");
}

TEST(Schema, DecimalText) {
  v1::Decimal d;
  d.set_units(4068208);
  d.set_scale(3);
  EXPECT_EQ(DecimalText(d), "4068.208");
  d.set_units(5);
  d.set_scale(2);
  EXPECT_EQ(DecimalText(d), "0.05");
  d.set_units(-15);
  d.set_scale(1);
  EXPECT_EQ(DecimalText(d), "-1.5");
  d.set_units(12);
  d.set_scale(0);
  EXPECT_EQ(DecimalText(d), "12");
}

TEST(Schema, Kinds) {
  EXPECT_TRUE(IsDecimalCell("t2.fees.amount_wan_yuan"));
  EXPECT_FALSE(IsDecimalCell("t3.total.total"));
  EXPECT_TRUE(IsSignedCell("t2.licensing.change"));
  EXPECT_FALSE(IsSignedCell("t2.licensing.decisions"));
  EXPECT_EQ(VersionFromName(VersionName(v1::TEMPLATE_VERSION_V2019)), v1::TEMPLATE_VERSION_V2019);
}

TEST(Schema, ReportIdentityIsReadFromTheBytes) {
  v1::AnnualReport report;
  InitTables(v1::TEMPLATE_VERSION_V2021, &report);
  report.set_agency("五常市五常镇人民政府");
  report.set_report_year(2024);
  report.add_sections()->set_text("正文");
  std::string bytes = report.SerializeAsString();
  absl::StatusOr<ReportIdentity> identity = ReportIdentityFromBytes(bytes);
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(identity->agency, "五常市五常镇人民政府");
  EXPECT_EQ(identity->report_year, 2024);
  // Written after every other field (another serialiser's order), they read the same.
  v1::AnnualReport rest = report;
  rest.clear_agency();
  rest.clear_report_year();
  v1::AnnualReport year_only;
  year_only.set_report_year(2023);
  identity = ReportIdentityFromBytes(rest.SerializeAsString() + std::string("\x0a\x03" "abc") + year_only.SerializeAsString());
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(identity->agency, "abc");
  EXPECT_EQ(identity->report_year, 2023);
  // No identity: empty and 0; broken bytes: an error, never a read past the end.
  identity = ReportIdentityFromBytes("");
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->agency, "");
  EXPECT_EQ(identity->report_year, 0);
  EXPECT_FALSE(ReportIdentityFromBytes(bytes.substr(0, 5)).ok());
  EXPECT_FALSE(ReportIdentityFromBytes(std::string("\x0a\x7f", 2)).ok());
  EXPECT_FALSE(ReportIdentityFromBytes(std::string("\x0f", 1)).ok());
}

}  // namespace
}  // namespace gongkai
