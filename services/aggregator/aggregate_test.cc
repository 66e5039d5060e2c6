#include "services/aggregator/aggregate.h"

#include <climits>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/schema.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/aggregator/summary.h"
#include "tools/corpus/report_factory.h"

namespace gongkai::aggregator {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::CheckedReport Checked(uint32_t seed, const char* region, v1::TemplateVersion version = v1::TEMPLATE_VERSION_V2021,
                          bool with_error = false) {
  v1::CheckedReport c;
  *c.mutable_report() = corpus::ConsistentReport(seed, version, version == v1::TEMPLATE_VERSION_V2019 ? 2020 : 2024,
                                                  absl::StrCat("第", seed, "号机关"));
  c.mutable_report()->mutable_metadata()->set_region_code(region);
  if (with_error) {
    v1::Finding* f = c.add_findings();
    f->set_rule_id("t3.balance");
    f->set_severity(v1::SEVERITY_ERROR);
    f->set_outcome(v1::OUTCOME_FAILED);
  }
  return c;
}

TEST(Aggregate, SumsEveryCellExactly) {
  v1::Aggregate agg;
  std::vector<v1::CheckedReport> reports = {Checked(1, "230184100"), Checked(2, "230184101"), Checked(3, "230781100")};
  corpus::SetCellText(reports[0].mutable_report(), "t2.fees.amount_wan_yuan", "4068.208");
  corpus::SetCellText(reports[1].mutable_report(), "t2.fees.amount_wan_yuan", "0.1");
  corpus::SetCellText(reports[2].mutable_report(), "t2.fees.amount_wan_yuan", "12");
  for (const auto& r : reports) AddReport(r, &agg);
  v1::Summary s = Summarize(agg, "county");
  const v1::NodeAggregate& total = s.total().totals();
  ASSERT_EQ(total.sums().at("v2021").reports(), 3);
  for (const std::string& key : AllCellKeys(v1::TEMPLATE_VERSION_V2021)) {
    if (IsDecimalCell(key)) continue;
    int64_t expected = 0;
    for (const auto& r : reports) expected += std::stoll(corpus::CellText(r.report(), key));
    EXPECT_EQ(total.sums().at("v2021").cells().at(key), expected) << key;
  }
  // 4068.208 + 0.1 + 12, with no floating point anywhere.
  EXPECT_EQ(s.total().indicators().fees_wan_yuan(), "4080.308");
  // Roll-up: the two 五常市 towns under 230184, 铁力 under 230781, both under 23.
  std::map<std::string, int64_t> reports_by_node;
  for (const auto& n : s.nodes()) reports_by_node[n.code()] = n.totals().reports();
  EXPECT_EQ(reports_by_node["23"], 3);
  EXPECT_EQ(reports_by_node["230184"], 2);
  EXPECT_EQ(reports_by_node["230781"], 1);
  EXPECT_EQ(reports_by_node.count("230184100"), 0u);  // below the level asked for
}

TEST(Aggregate, MergeIsCommutativeAndAssociative) {
  std::mt19937 rng(3);
  const char* regions[] = {"230184100", "230781100", "320813", "", "3208"};
  std::vector<v1::CheckedReport> reports;
  for (uint32_t i = 0; i < 60; ++i) {
    reports.push_back(Checked(i, regions[rng() % 5], i % 7 == 0 ? v1::TEMPLATE_VERSION_V2019 : v1::TEMPLATE_VERSION_V2021,
                              i % 5 == 0));
  }
  v1::Aggregate one_pass;
  for (const auto& r : reports) AddReport(r, &one_pass);
  // Three shards in different groupings and orders.
  v1::Aggregate a, b, c;
  for (size_t i = 0; i < reports.size(); ++i) AddReport(reports[i], i % 3 == 0 ? &a : i % 3 == 1 ? &b : &c);
  v1::Aggregate ab_c = a;
  Merge(b, &ab_c);
  Merge(c, &ab_c);
  v1::Aggregate c_ba = c;
  v1::Aggregate ba = b;
  Merge(a, &ba);
  Merge(ba, &c_ba);
  EXPECT_TRUE(MessageDifferencer::Equals(ab_c, one_pass));
  EXPECT_TRUE(MessageDifferencer::Equals(c_ba, one_pass));
  // Merging the empty aggregate changes nothing.
  v1::Aggregate with_empty = one_pass;
  Merge(v1::Aggregate(), &with_empty);
  EXPECT_TRUE(MessageDifferencer::Equals(with_empty, one_pass));
}

TEST(Aggregate, VersionsAreNeverMixedAndErrorsAreLeftOut) {
  v1::Aggregate agg;
  AddReport(Checked(1, "23", v1::TEMPLATE_VERSION_V2021), &agg);
  AddReport(Checked(2, "23", v1::TEMPLATE_VERSION_V2019), &agg);
  AddReport(Checked(3, "23", v1::TEMPLATE_VERSION_V2021, /*with_error=*/true), &agg);
  const v1::NodeAggregate& node = agg.nodes().at("23");
  EXPECT_EQ(node.sums().at("v2021").reports(), 1);
  EXPECT_EQ(node.sums().at("v2019").reports(), 1);
  EXPECT_EQ(node.sums().at("v2019").cells().count("t2.procurement.items"), 1u);
  EXPECT_EQ(node.sums().at("v2021").cells().count("t2.procurement.items"), 0u);
  EXPECT_EQ(node.reports_excluded(), 1);
  EXPECT_EQ(node.excluded_by_rule().at("t3.balance"), 1);
  EXPECT_EQ(node.reports_with_errors(), 1);
  // Configurable: include reports with errors.
  v1::Aggregate all;
  all.mutable_options()->set_include_reports_with_errors(true);
  AddReport(Checked(3, "23", v1::TEMPLATE_VERSION_V2021, true), &all);
  EXPECT_EQ(all.nodes().at("23").sums().at("v2021").reports(), 1);
}

v1::Finding Failed(const std::string& rule, v1::Severity severity) {
  v1::Finding f;
  f.set_rule_id(rule);
  f.set_severity(severity);
  f.set_outcome(v1::OUTCOME_FAILED);
  return f;
}

// Findings added after a report was folded in (job-wide checks) make exactly the aggregate of the report
// added once with all of them, whatever class it moves from and to, errors summed or not; the one change
// sums cannot take (a first ERROR taking a summed report out) is refused and leaves the aggregate as it was.
TEST(Aggregate, AmendingAReportEqualsAddingItOnceWithEveryFinding) {
  for (bool include_errors : {false, true}) {
    struct Case {
      std::vector<v1::Finding> before, added;
      bool refused;
    };
    v1::Finding warning = Failed("batch.copied", v1::SEVERITY_WARNING);
    v1::Finding info = Failed("history.spike", v1::SEVERITY_INFO);
    v1::Finding error = Failed("t3.balance", v1::SEVERITY_ERROR);
    v1::Finding copied_error = Failed("batch.copied", v1::SEVERITY_ERROR);
    std::vector<Case> cases = {
        {{}, {warning}, false},                        // clean → warnings
        {{info}, {warning, warning}, false},           // clean (info only) → warnings, counted twice
        {{warning}, {warning}, false},                 // warnings stay warnings
        {{error}, {warning}, false},                   // errors stay errors
        {{error}, {copied_error}, false},              // excluded already: one more rule it is excluded by
        {{warning}, {copied_error}, !include_errors},  // a first error: out of the sums
    };
    for (size_t k = 0; k < cases.size(); ++k) {
      v1::Aggregate amended, once;
      amended.mutable_options()->set_include_reports_with_errors(include_errors);
      once.mutable_options()->set_include_reports_with_errors(include_errors);
      v1::CheckedReport other = Checked(7, "230184100");
      AddReport(other, &amended);
      AddReport(other, &once);
      v1::CheckedReport checked = Checked(1, "230184100");
      for (const v1::Finding& f : cases[k].before) *checked.add_findings() = f;
      AddReport(checked, &amended);
      v1::Aggregate before_amending = amended;
      for (const v1::Finding& f : cases[k].added) *checked.add_added_findings() = f;
      absl::Status status = AmendReport(checked, &amended);
      if (cases[k].refused) {
        EXPECT_TRUE(absl::IsFailedPrecondition(status)) << k << ": " << status;
        EXPECT_TRUE(MessageDifferencer::Equals(amended, before_amending)) << k;
        continue;
      }
      ASSERT_TRUE(status.ok()) << k << ": " << status;
      v1::CheckedReport all = checked;
      all.clear_added_findings();
      for (const v1::Finding& f : cases[k].added) *all.add_findings() = f;
      AddReport(all, &once);
      EXPECT_TRUE(MessageDifferencer::Equals(amended, once))
          << "case " << k << " include_errors " << include_errors << "\n" << amended.nodes().at("230184100").DebugString()
          << "\nvs\n" << once.nodes().at("230184100").DebugString();
    }
  }
}

// The gateway drops provenance (raw text, positions, finding details) before streaming reports here: the
// aggregate must not change, area reports included, and the message must shrink.
TEST(Aggregate, DroppingProvenanceChangesNothingAddedUp) {
  v1::Aggregate full, dropped;
  size_t full_bytes = 0, dropped_bytes = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    v1::CheckedReport c = Checked(seed, seed % 3 ? "230184100" : "230184", seed % 5 ? v1::TEMPLATE_VERSION_V2021
                                                                                   : v1::TEMPLATE_VERSION_V2019,
                                  seed % 4 == 0);
    for (v1::Cell& cell : *c.mutable_report()->mutable_table3()->mutable_cells()) {
      cell.mutable_position()->set_line(static_cast<int32_t>(seed));
      cell.mutable_position()->set_byte_offset(1000 + seed);
    }
    if (seed % 7 == 0) c.mutable_report()->mutable_sections(0)->set_text("本报告为全县汇总数据。");
    v1::Finding* f = c.add_findings();
    f->set_rule_id("t2.fee_unit");
    f->set_severity(v1::SEVERITY_WARNING);
    f->set_outcome(v1::OUTCOME_FAILED);
    f->set_message("表二收费金额的单位写作“元”，模板规定为“万元”，请核实金额的单位");
    f->add_cells("t2.fees.amount_wan_yuan");
    full_bytes += c.ByteSizeLong();
    AddReport(c, &full);
    DropProvenance(c.mutable_report(), c.mutable_findings());
    dropped_bytes += c.ByteSizeLong();
    AddReport(c, &dropped);
  }
  EXPECT_TRUE(MessageDifferencer::Equals(full, dropped));
  EXPECT_LT(dropped_bytes, full_bytes);
}

// Whatever a caller sends, adding up never overflows: implausible cells are not summed, and merged sums
// stop at the int64 limit.
TEST(Aggregate, HugeValuesNeverOverflow) {
  v1::Cell huge;
  huge.set_key("t3.granted.total");
  huge.set_state(v1::CELL_STATE_PRESENT);
  huge.set_int_value(INT64_MAX);
  int64_t value = 0;
  EXPECT_FALSE(SumValue(huge, &value));
  v1::Cell fee;
  fee.set_key("t2.fees.amount_wan_yuan");
  fee.set_state(v1::CELL_STATE_PRESENT);
  fee.mutable_decimal_value()->set_units(INT64_MAX / 10);
  fee.mutable_decimal_value()->set_scale(1);
  EXPECT_FALSE(SumValue(fee, &value));
  fee.mutable_decimal_value()->set_units(40682);
  ASSERT_TRUE(SumValue(fee, &value));
  EXPECT_EQ(value, 4068200000);
  v1::Aggregate a, b;
  (*(*a.mutable_nodes())["23"].mutable_sums())["v2021"].mutable_cells()->insert({"t3.granted.total", INT64_MAX - 1});
  (*(*b.mutable_nodes())["23"].mutable_sums())["v2021"].mutable_cells()->insert({"t3.granted.total", 5});
  Merge(b, &a);
  EXPECT_EQ(a.nodes().at("23").sums().at("v2021").cells().at("t3.granted.total"), INT64_MAX);
}

TEST(Aggregate, AnAreaReportIsNeverAddedToTheReportsItSums) {
  v1::Aggregate agg;
  v1::CheckedReport town = Checked(1, "230184100");
  v1::CheckedReport county = Checked(2, "230184");
  county.mutable_report()->mutable_sections(0)->set_text("本报告为全区汇总数据。");
  ASSERT_TRUE(IsAreaReport(county.report()));
  AddReport(town, &agg);
  AddReport(county, &agg);
  v1::Summary s = Summarize(agg, "county");
  EXPECT_EQ(s.total().totals().sums().at("v2021").reports(), 1);
  EXPECT_EQ(s.total().totals().area_sums().at("v2021").reports(), 1);
}

// An area report whose every integer cell is the sum of the two organ reports filed in its area (a township
// and a county department); its decimal cells are left blank.
v1::CheckedReport AreaReportOf(const v1::CheckedReport& a, const v1::CheckedReport& b, const char* region) {
  v1::CheckedReport area = a;
  area.mutable_report()->mutable_metadata()->set_region_code(region);
  area.mutable_report()->mutable_sections(0)->set_text("本报告为全区汇总数据。");
  v1::AnnualReport& r = *area.mutable_report();
  for (v1::Table* t : {r.mutable_table2(), r.mutable_table3(), r.mutable_table4()}) {
    const v1::Table& tb = t == r.mutable_table2() ? b.report().table2() : t == r.mutable_table3() ? b.report().table3()
                                                                                                  : b.report().table4();
    for (int i = 0; i < t->cells_size(); ++i) {
      v1::Cell* cell = t->mutable_cells(i);
      const v1::Cell& other = tb.cells(i);
      if (cell->state() == v1::CELL_STATE_PRESENT && other.state() == v1::CELL_STATE_PRESENT &&
          !cell->has_decimal_value() && !other.has_decimal_value() && !IsDecimalCell(cell->key())) {
        cell->set_int_value(cell->int_value() + other.int_value());
      } else {
        cell->set_state(v1::CELL_STATE_MISSING);
        cell->clear_value();
      }
    }
  }
  return area;
}

TEST(Summary, RollupSumComparesAnAreaReportWithItsOrgans) {
  v1::CheckedReport town = Checked(1, "230184100");
  v1::CheckedReport department = Checked(3, "230184");
  v1::CheckedReport area = AreaReportOf(town, department, "230184");
  ASSERT_TRUE(IsAreaReport(area.report()));
  {
    v1::Aggregate agg;
    for (const auto* c : {&town, &department, &area}) AddReport(*c, &agg);
    v1::Summary s = Summarize(agg, "county");
    EXPECT_EQ(s.rollup_size(), 0) << s.rollup(0).DebugString();
  }
  // One cell of the area report off by 5: one finding, naming that cell, its value and the organs' sum.
  v1::Cell* received = nullptr;
  for (v1::Cell& c : *area.mutable_report()->mutable_table3()->mutable_cells()) {
    if (c.key() == "t3.received_new.total") received = &c;
  }
  ASSERT_NE(received, nullptr);
  int64_t right = received->int_value();
  received->set_int_value(right + 5);
  v1::Aggregate agg;
  for (const auto* c : {&town, &department, &area}) AddReport(*c, &agg);
  v1::Summary s = Summarize(agg, "county");
  ASSERT_EQ(s.rollup_size(), 1);
  const v1::Finding& f = s.rollup(0);
  EXPECT_EQ(f.rule_id(), "rollup.sum");
  EXPECT_EQ(f.severity(), v1::SEVERITY_WARNING);
  ASSERT_EQ(f.cells_size(), 1);
  EXPECT_EQ(f.cells(0), "t3.received_new.total");
  EXPECT_EQ(f.values(0), absl::StrCat(right + 5));
  EXPECT_EQ(f.expected(), absl::StrCat("t3.received_new.total = ", right));
  EXPECT_EQ(f.args().at("organ_reports"), "2");
  // With no organ report filed in its area, an area report is not compared.
  v1::Aggregate alone;
  AddReport(area, &alone);
  EXPECT_EQ(Summarize(alone, "county").rollup_size(), 0);
}

TEST(Aggregate, RegionsAreInferredOrLeftUnknownWithTheReason) {
  v1::CheckedReport c;
  *c.mutable_report() = corpus::ConsistentReport(1, v1::TEMPLATE_VERSION_V2021, 2024, "辛店镇人民政府");
  Placement p = PlaceReport(c.report());
  EXPECT_TRUE(p.region.empty());
  EXPECT_NE(p.region_note.find("辛店镇"), std::string::npos) << p.region_note << " / " << p.region;
  *c.mutable_report() = corpus::ConsistentReport(1, v1::TEMPLATE_VERSION_V2021, 2024, "五常市五常镇人民政府");
  EXPECT_EQ(PlaceReport(c.report()).region, "230184100");
  EXPECT_EQ(PlaceReport(c.report()).level, "township");
}

TEST(Summary, CoverageNamesWhoFiledNothingAndWhoFiledTwice) {
  v1::Aggregate agg;
  v1::CheckedReport a = Checked(1, "230184100");
  a.mutable_report()->set_agency("五常市五常镇人民政府");
  AddReport(a, &agg);
  AddReport(a, &agg);  // filed twice
  auto expected = ParseExpectedOrgans(
      "name,region_code,level\n五常市五常镇人民政府,230184100,township\n五常市山河镇人民政府,230184101,township\n");
  ASSERT_TRUE(expected.ok());
  v1::Summary s = Summarize(agg, "county", *expected);
  ASSERT_EQ(s.coverage_size(), 2);
  std::map<std::string, int64_t> filed;
  for (const auto& g : s.coverage()) filed[g.agency()] = g.filed();
  EXPECT_EQ(filed["五常市五常镇人民政府"], 2);
  EXPECT_EQ(filed["五常市山河镇人民政府"], 0);
  EXPECT_FALSE(ParseExpectedOrgans("name,region_code\n,230184\n").ok());
}

TEST(Summary, IndicatorsAndCorrectionRates) {
  v1::NodeAggregate n;
  auto& cells = *(*n.mutable_sums())["v2021"].mutable_cells();
  cells["t3.total.total"] = 200;
  cells["t3.received_new.total"] = 180;
  cells["t3.granted.total"] = 50;
  cells["t4.review.total"] = 12;
  cells["t4.review.pending"] = 2;
  cells["t4.review.corrected"] = 1;
  v1::Indicators ind = IndicatorsOf(n);
  EXPECT_EQ(ind.applications_received(), 180);
  EXPECT_DOUBLE_EQ(ind.granted_share(), 0.25);
  EXPECT_DOUBLE_EQ(ind.review_correction_rate(), 0.1);  // 1 of 10 decided
  EXPECT_EQ(AmountText(4068208000), "4068.208");
  EXPECT_EQ(AmountText(0), "0");
}

}  // namespace
}  // namespace gongkai::aggregator
