// Every rule, with a report where it fires and one where it must not; and a meta-test that every
// registered rule has a FORMAT.md id, its severity, a description, and both kinds of case here.
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/validator/validator.h"
#include "tools/corpus/report_factory.h"
#include "tests/testing/test_data.h"

namespace gongkai::validator {
namespace {

using corpus::ConsistentReport;
using corpus::SetCellText;
using v1::AnnualReport;

enum class Expect { kFires, kPasses, kUnverifiable };

struct Case {
  std::string rule;
  std::string name;
  Expect expect;
  // Returns the findings of the report under test (it may build a previous report or a batch).
  std::function<std::vector<v1::Finding>()> run;
};

const Validator& V() {
  static const Validator* v = new Validator(*Validator::Create());
  return *v;
}

// A consistent report changed by `change`, validated alone.
std::function<std::vector<v1::Finding>()> Single(std::function<void(AnnualReport&)> change, uint32_t seed = 7) {
  return [change, seed] {
    AnnualReport r = ConsistentReport(seed);
    change(r);
    return V().Validate(r);
  };
}

// A consistent report and last year's report of the same organ, each changed.
std::function<std::vector<v1::Finding>()> WithPrevious(std::function<void(AnnualReport&, AnnualReport&)> change) {
  return [change] {
    AnnualReport prev = ConsistentReport(11, v1::TEMPLATE_VERSION_V2021, 2023);
    AnnualReport now = ConsistentReport(12, v1::TEMPLATE_VERSION_V2021, 2024);
    // Make the two years agree where history rules look, then let the case break something.
    for (const std::string& col : Table3Columns()) {
      SetCellText(&prev, "t3.carried_forward." + col, corpus::CellText(now, "t3.carried_over." + col));
    }
    SetCellText(&now, "t2.normative_docs.in_force",
                absl::StrCat(std::stoll(corpus::CellText(prev, "t2.normative_docs.in_force")) +
                             std::stoll(corpus::CellText(now, "t2.normative_docs.issued")) -
                             std::stoll(corpus::CellText(now, "t2.normative_docs.repealed"))));
    SetCellText(&now, "t2.rules.in_force", corpus::CellText(prev, "t2.rules.in_force"));
    now.mutable_sections(0)->set_text("本年度围绕优化营商环境，集中公开惠企政策，开展政策解读直播活动，推进基层政务公开标准化。");
    now.mutable_sections(4)->set_text("存在问题：一是解读形式单一，二是互动回应不足。改进措施：下一步将丰富解读形式，加强互动回应，完善考核机制。");
    change(now, prev);
    return V().Validate(now, &prev);
  };
}

std::string LongNarrative(int variant) {
  std::string base =
      "本机关坚持以人民为中心的发展思想，认真贯彻落实政府信息公开条例，持续深化重点领域信息公开，"
      "围绕优化营商环境、乡村振兴、民生保障等工作主动公开政策文件和工作动态，加强政策解读和回应关切，"
      "规范依申请公开办理流程，健全信息发布审核机制，强化政府网站和政务新媒体管理，推动政务公开工作提质增效。";
  if (variant == 0) return base;
  return "今年以来，我们把依申请公开作为服务群众的重要窗口，建立了受理、登记、会商、答复、归档的全流程台账，"
         "对每一件申请都安排专人跟踪，并邀请法律顾问参与疑难申请的研判，答复文书全部经过合法性审查；"
         "同时开展了三次专题培训，覆盖各科室信息员，编印了工作手册，实现了答复规范化和时限可控。";
}

std::vector<Case> Cases() {
  std::vector<Case> c;
  // structure.sections
  c.push_back({"structure.sections", "section five missing", Expect::kFires,
               Single([](AnnualReport& r) { r.mutable_sections()->DeleteSubrange(4, 1); })});
  c.push_back({"structure.sections", "section two twice", Expect::kFires,
               Single([](AnnualReport& r) { *r.add_sections() = r.sections(1); })});
  c.push_back({"structure.sections", "sections three and four swapped", Expect::kFires,
               Single([](AnnualReport& r) { r.mutable_sections()->SwapElements(2, 3); })});
  c.push_back({"structure.sections", "all six in order", Expect::kPasses, Single([](AnnualReport&) {})});
  // structure.tables
  c.push_back({"structure.tables", "table four absent", Expect::kFires,
               Single([](AnnualReport& r) { r.mutable_table4()->set_present(false); })});
  c.push_back({"structure.tables", "all three tables", Expect::kPasses, Single([](AnnualReport&) {})});
  c.push_back({"structure.tables", "a pre-2019 report has no standard tables", Expect::kPasses, Single([](AnnualReport& r) {
                 r.set_version(v1::TEMPLATE_VERSION_PRE2019);
                 r.clear_table2();
                 r.clear_table3();
                 r.clear_table4();
               })});
  // structure.shape
  c.push_back({"structure.shape", "a row not found", Expect::kFires, Single([](AnnualReport& r) {
                 for (const std::string& col : Table3Columns()) SetCellText(&r, "t3.rejected_repeated." + col, "null");
               })});
  c.push_back({"structure.shape", "a row with a value too many", Expect::kFires, Single([](AnnualReport& r) {
                 v1::ParseNote* n = r.add_notes();
                 n->set_kind(v1::ParseNote::KIND_ROW_VALUE_COUNT);
                 n->set_row_key("t3.granted");
                 n->set_expected_count(7);
                 n->mutable_position()->set_line(42);
                 n->set_message("表三“（一）予以公开”一行（第 42 行）有 8 个数值");
                 n->set_message_en("t3.granted (line 42) holds 8 values, expected 7");
               })});
  c.push_back({"structure.shape", "every cell read", Expect::kPasses, Single([](AnnualReport&) {})});
  // structure.version
  c.push_back({"structure.version", "2024 report on the 2019 template", Expect::kFires, Single([](AnnualReport& r) {
                 AnnualReport old = ConsistentReport(3, v1::TEMPLATE_VERSION_V2019, 2024);
                 r = old;
               })});
  c.push_back({"structure.version", "2020 report on the 2019 template", Expect::kPasses,
               [] { return V().Validate(ConsistentReport(3, v1::TEMPLATE_VERSION_V2019, 2020)); }});
  c.push_back({"structure.version", "2024 report on the 2021 template", Expect::kPasses, Single([](AnnualReport&) {})});
  // cell.missing
  c.push_back({"cell.missing", "a slash where a number belongs", Expect::kFires,
               Single([](AnnualReport& r) { SetCellText(&r, "t3.granted.research", "/"); })});
  c.push_back({"cell.missing", "numbers everywhere", Expect::kPasses, Single([](AnnualReport&) {})});
  // cell.number
  c.push_back({"cell.number", "a negative count", Expect::kFires,
               Single([](AnnualReport& r) { SetCellText(&r, "t4.review.pending", "-1"); })});
  c.push_back({"cell.number", "a fractional count", Expect::kFires,
               Single([](AnnualReport& r) { SetCellText(&r, "t3.granted.commercial", "2.5"); })});
  c.push_back({"cell.number", "whole counts and a decimal fee", Expect::kPasses, Single([](AnnualReport&) {})});
  c.push_back({"cell.number", "v2019 本年增/减 may be negative", Expect::kPasses, [] {
                 AnnualReport r = ConsistentReport(5, v1::TEMPLATE_VERSION_V2019, 2020);
                 SetCellText(&r, "t2.licensing.change", "-4");
                 return V().Validate(r);
               }});
  // t3.balance
  c.push_back({"t3.balance", "new applications one too many", Expect::kFires, Single([](AnnualReport& r) {
                 SetCellText(&r, "t3.received_new.total", absl::StrCat(std::stoll(corpus::CellText(r, "t3.received_new.total")) + 1));
               })});
  c.push_back({"t3.balance", "carried forward missing", Expect::kUnverifiable,
               Single([](AnnualReport& r) { SetCellText(&r, "t3.carried_forward.total", "null"); })});
  c.push_back({"t3.balance", "balanced", Expect::kPasses, Single([](AnnualReport&) {})});
  // t3.row_sum
  c.push_back({"t3.row_sum", "a row's total off by one", Expect::kFires, Single([](AnnualReport& r) {
                 SetCellText(&r, "t3.denied_third_party.total",
                             absl::StrCat(std::stoll(corpus::CellText(r, "t3.denied_third_party.total")) + 1));
               })});
  c.push_back({"t3.row_sum", "rows add up", Expect::kPasses, Single([](AnnualReport&) {})});
  c.push_back({"t3.row_sum", "a cell missing", Expect::kUnverifiable,
               Single([](AnnualReport& r) { SetCellText(&r, "t3.granted.research", "/"); })});
  // t3.results_sum
  c.push_back({"t3.results_sum", "a result missing from the total", Expect::kFires, Single([](AnnualReport& r) {
                 SetCellText(&r, "t3.total.legal_service",
                             absl::StrCat(std::stoll(corpus::CellText(r, "t3.total.legal_service")) + 2));
               })});
  c.push_back({"t3.results_sum", "results add up", Expect::kPasses, Single([](AnnualReport&) {})});
  // t3.subtotal
  auto add_subtotal = [](AnnualReport& r, int64_t delta) {
    for (const std::string& col : Table3Columns()) {
      int64_t sum = 0;
      for (const char* row : {"t3.unable_not_held.", "t3.unable_needs_creation.", "t3.unable_unclear."}) {
        sum += std::stoll(corpus::CellText(r, row + col));
      }
      v1::Cell* cell = r.add_subtotals();
      cell->set_key("t3.unable_subtotal." + col);
      cell->set_state(v1::CELL_STATE_PRESENT);
      cell->set_int_value(sum + (col == "research" ? delta : 0));
    }
  };
  c.push_back({"t3.subtotal", "a printed subtotal off by three", Expect::kFires,
               Single([add_subtotal](AnnualReport& r) { add_subtotal(r, 3); })});
  c.push_back({"t3.subtotal", "a printed subtotal that adds up", Expect::kPasses,
               Single([add_subtotal](AnnualReport& r) { add_subtotal(r, 0); })});
  // t4.group_sum (the 洪泽区 2023 pattern: 维持 10, 纠正 1, 总计 0)
  c.push_back({"t4.group_sum", "total 0 over 10 upheld and 1 corrected", Expect::kFires, Single([](AnnualReport& r) {
                 SetCellText(&r, "t4.review.upheld", "10");
                 SetCellText(&r, "t4.review.corrected", "1");
                 SetCellText(&r, "t4.review.other", "0");
                 SetCellText(&r, "t4.review.pending", "0");
                 SetCellText(&r, "t4.review.total", "0");
               })});
  c.push_back({"t4.group_sum", "groups add up", Expect::kPasses, Single([](AnnualReport&) {})});
  // t2.fee_unit
  c.push_back({"t2.fee_unit", "unit printed as 0万元", Expect::kFires,
               Single([](AnnualReport& r) { r.set_fee_unit("0万元"); })});
  c.push_back({"t2.fee_unit", "an amount with sub-元 precision", Expect::kFires,
               Single([](AnnualReport& r) { SetCellText(&r, "t2.fees.amount_wan_yuan", "1234.56789"); })});
  c.push_back({"t2.fee_unit", "万元 and a plausible amount", Expect::kPasses, Single([](AnnualReport&) {})});
  // t2.rules_authority
  c.push_back({"t2.rules_authority", "a county bureau reporting 规章", Expect::kFires,
               Single([](AnnualReport& r) { SetCellText(&r, "t2.rules.issued", "2"); })});
  c.push_back({"t2.rules_authority", "a city office (办公室) reporting 规章", Expect::kFires, Single([](AnnualReport& r) {
                 r.set_agency("泉州市人民防空办公室");  // found by gongkai quality
                 SetCellText(&r, "t2.rules.issued", "2");
               })});
  c.push_back({"t2.rules_authority", "a provincial government reporting 规章", Expect::kPasses, Single([](AnnualReport& r) {
                 r.set_agency("某某省人民政府");
                 SetCellText(&r, "t2.rules.issued", "2");
               })});
  c.push_back({"t2.rules_authority", "a county bureau with no 规章", Expect::kPasses, Single([](AnnualReport&) {})});
  // year.consistent
  c.push_back({"year.consistent", "title 2023, period 2024", Expect::kFires,
               Single([](AnnualReport& r) { r.set_title_year(2023); })});
  c.push_back({"year.consistent", "requested 2025, report 2024", Expect::kFires,
               Single([](AnnualReport& r) { r.mutable_metadata()->set_expected_year(2025); })});
  c.push_back({"year.consistent", "no year anywhere", Expect::kUnverifiable, Single([](AnnualReport& r) {
                 r.set_title_year(0);
                 r.set_period_year(0);
               })});
  c.push_back({"year.consistent", "title and period agree", Expect::kPasses, Single([](AnnualReport&) {})});
  // text.table_agree
  c.push_back({"text.table_agree", "text says two more applications", Expect::kFires, Single([](AnnualReport& r) {
                 int64_t n = std::stoll(corpus::CellText(r, "t3.received_new.total"));
                 r.mutable_sections(2)->set_text(absl::StrCat("本年度共收到政府信息公开申请 ", n + 2, " 件，均按时答复。"));
               })});
  c.push_back({"text.table_agree", "a number wrapped over two lines (PDF)", Expect::kFires, Single([](AnnualReport& r) {
                 int64_t n = std::stoll(corpus::CellText(r, "t3.received_new.total")) + 15;
                 std::string digits = absl::StrCat(n);
                 r.mutable_sections(0)->set_text(absl::StrCat("全年共收到政府信息公开申请", digits.substr(0, 1), "\n",
                                                              digits.substr(1), "件。"));
               })});
  c.push_back({"text.table_agree", "text says none received", Expect::kFires, Single([](AnnualReport& r) {
                 SetCellText(&r, "t3.received_new.natural_person", "3");
                 r.mutable_sections(0)->set_text("本年度未收到政府信息公开申请。");
               })});
  c.push_back({"text.table_agree", "予以公开及部分公开 against the table", Expect::kFires, Single([](AnnualReport& r) {
                 int64_t n = std::stoll(corpus::CellText(r, "t3.granted.total")) +
                             std::stoll(corpus::CellText(r, "t3.partially_granted.total"));
                 r.mutable_sections(2)->set_text(absl::StrCat("其中，予以公开及部分公开", n + 7, "件。"));
               })});
  c.push_back({"text.table_agree", "text agrees", Expect::kPasses, Single([](AnnualReport& r) {
                 int64_t n = std::stoll(corpus::CellText(r, "t3.received_new.total"));
                 int64_t g = std::stoll(corpus::CellText(r, "t3.granted.total"));
                 r.mutable_sections(2)->set_text(absl::StrCat("本年度共收到政府信息公开申请", n, "件，予以公开", g, "件。"));
               })});
  c.push_back({"text.table_agree", "受理 includes last year's carried over", Expect::kPasses, Single([](AnnualReport& r) {
                 int64_t n = std::stoll(corpus::CellText(r, "t3.received_new.total")) +
                             std::stoll(corpus::CellText(r, "t3.carried_over.total"));
                 r.mutable_sections(2)->set_text(absl::StrCat("全年共受理政府信息公开申请 ", n, " 件。"));
               })});
  c.push_back({"text.table_agree", "another scope (the 洪泽区 2024 sentence)", Expect::kPasses, Single([](AnnualReport& r) {
                 r.mutable_sections(2)->set_text("区政府办代表区政府受理政府信息公开申请 17 件，均在法定期限内答复。");
               })});
  c.push_back({"text.table_agree", "another scope named before a 、 list", Expect::kPasses, Single([](AnnualReport& r) {
                 int64_t g = std::stoll(corpus::CellText(r, "t3.granted.total"));
                 // "、" joins items of one clause: the lead of the figure still holds 乡镇.
                 r.mutable_sections(2)->set_text(absl::StrCat("各乡镇、部门予以公开 ", g + 3, " 件。"));
               })});
  c.push_back({"text.table_agree", "a full-width ； ends the other scope's clause", Expect::kFires,
               Single([](AnnualReport& r) {
                 int64_t g = std::stoll(corpus::CellText(r, "t3.granted.total"));
                 r.mutable_sections(2)->set_text(absl::StrCat("各乡镇均已公开；本机关予以公开 ", g + 3, " 件。"));
               })});
  // section6.fee_reported
  c.push_back({"section6.fee_reported", "section six says only 无", Expect::kFires,
               Single([](AnnualReport& r) { r.mutable_sections(5)->set_text("无。"); })});
  c.push_back({"section6.fee_reported", "fee reported", Expect::kPasses, Single([](AnnualReport&) {})});
  // section5.substance
  c.push_back({"section5.substance", "section five says only 无", Expect::kFires,
               Single([](AnnualReport& r) { r.mutable_sections(4)->set_text("无"); })});
  c.push_back({"section5.substance", "problems without improvements", Expect::kFires, Single([](AnnualReport& r) {
                 r.mutable_sections(4)->set_text("主要问题是信息发布不够及时，公开内容的针对性和可读性不足。");
               })});
  c.push_back({"section5.substance", "problems and improvements", Expect::kPasses, Single([](AnnualReport&) {})});
  // history.carry
  c.push_back({"history.carry", "carried over differs from last year's carried forward", Expect::kFires,
               WithPrevious([](AnnualReport& now, AnnualReport& prev) {
                 SetCellText(&prev, "t3.carried_forward.natural_person",
                             absl::StrCat(std::stoll(corpus::CellText(now, "t3.carried_over.natural_person")) + 1));
               })});
  c.push_back({"history.carry", "carried over equals last year's", Expect::kPasses,
               WithPrevious([](AnnualReport&, AnnualReport&) {})});
  // history.in_force
  c.push_back({"history.in_force", "in force does not follow from last year", Expect::kFires,
               WithPrevious([](AnnualReport& now, AnnualReport&) {
                 SetCellText(&now, "t2.normative_docs.in_force",
                             absl::StrCat(std::stoll(corpus::CellText(now, "t2.normative_docs.in_force")) + 5));
               })});
  c.push_back({"history.in_force", "in force follows", Expect::kPasses, WithPrevious([](AnnualReport&, AnnualReport&) {})});
  // history.spike
  c.push_back({"history.spike", "applications from 3 to 120", Expect::kFires, WithPrevious([](AnnualReport& now, AnnualReport& prev) {
                 SetCellText(&prev, "t3.received_new.total", "3");
                 SetCellText(&now, "t3.received_new.total", "120");
               })});
  c.push_back({"history.spike", "applications from 3 to 9 (small figures)", Expect::kPasses,
               WithPrevious([](AnnualReport& now, AnnualReport& prev) {
                 SetCellText(&prev, "t3.received_new.total", "3");
                 SetCellText(&now, "t3.received_new.total", "9");
                 SetCellText(&prev, "t3.total.total", "3");
                 SetCellText(&now, "t3.total.total", "9");
               })});
  // history.copied
  c.push_back({"history.copied", "same narrative as last year", Expect::kFires, WithPrevious([](AnnualReport& now, AnnualReport& prev) {
                 now.mutable_sections(0)->set_text(LongNarrative(0) + "2024年。");
                 prev.mutable_sections(0)->set_text(LongNarrative(0) + "2023年。");
                 prev.mutable_sections(4)->set_text(now.sections(4).text());
               })});
  c.push_back({"history.copied", "a new narrative", Expect::kPasses, WithPrevious([](AnnualReport& now, AnnualReport& prev) {
                 now.mutable_sections(0)->set_text(LongNarrative(0));
                 prev.mutable_sections(0)->set_text(LongNarrative(1));
                 prev.mutable_sections(4)->set_text("无");
               })});
  // batch.copied
  auto batch = [](bool same) {
    return [same] {
      AnnualReport a = ConsistentReport(1, v1::TEMPLATE_VERSION_V2021, 2024, "甲镇人民政府");
      AnnualReport b = ConsistentReport(2, v1::TEMPLATE_VERSION_V2021, 2024, "乙镇人民政府");
      AnnualReport c = ConsistentReport(3, v1::TEMPLATE_VERSION_V2021, 2024, "丙镇人民政府");
      a.mutable_sections(0)->set_text(LongNarrative(0));
      b.mutable_sections(0)->set_text(LongNarrative(same ? 0 : 1));
      b.mutable_sections(4)->set_text(a.sections(4).text());
      c.mutable_sections(0)->set_text("丙镇" + LongNarrative(1).substr(0, 60));
      return V().ValidateBatch({&a, &b, &c})[0];
    };
  };
  c.push_back({"batch.copied", "two towns file the same narrative", Expect::kFires, batch(true)});
  c.push_back({"batch.copied", "two towns write their own", Expect::kPasses, batch(false)});
  return c;
}

class RuleCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(RuleCaseTest, FiresOnlyWhereItShould) {
  const Case& c = GetParam();
  std::vector<v1::Finding> findings = c.run();
  int failed = 0, unverifiable = 0;
  std::string seen;
  for (const v1::Finding& f : findings) {
    if (f.rule_id() != c.rule) continue;
    if (f.outcome() == v1::OUTCOME_FAILED) ++failed;
    if (f.outcome() == v1::OUTCOME_UNVERIFIABLE) ++unverifiable;
    seen += f.message_en() + "\n";
    EXPECT_FALSE(f.message().empty());
    EXPECT_FALSE(f.message_en().empty());
  }
  switch (c.expect) {
    case Expect::kFires:
      EXPECT_GT(failed, 0) << c.name;
      break;
    case Expect::kPasses:
      EXPECT_EQ(failed + unverifiable, 0) << c.name << ":\n" << seen;
      break;
    case Expect::kUnverifiable:
      EXPECT_GT(unverifiable, 0) << c.name;
      EXPECT_EQ(failed, 0) << c.name << ":\n" << seen;
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleCaseTest, ::testing::ValuesIn(Cases()), [](const auto& info) {
  std::string name = absl::StrCat(info.param.rule, "_", info.index);
  for (char& ch : name) {
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
});

// The rule ids and severities of FORMAT.md §4 that the validator owns (rollup.* belong to the aggregator).
const std::map<std::string, v1::Severity>& FormatRules() {
  static const auto* rules = new std::map<std::string, v1::Severity>{
      {"structure.sections", v1::SEVERITY_WARNING}, {"structure.tables", v1::SEVERITY_ERROR},
      {"structure.shape", v1::SEVERITY_ERROR},      {"structure.version", v1::SEVERITY_ERROR},
      {"cell.missing", v1::SEVERITY_WARNING},       {"cell.number", v1::SEVERITY_ERROR},
      {"t3.balance", v1::SEVERITY_ERROR},           {"t3.row_sum", v1::SEVERITY_ERROR},
      {"t3.results_sum", v1::SEVERITY_ERROR},       {"t3.subtotal", v1::SEVERITY_ERROR},
      {"t4.group_sum", v1::SEVERITY_ERROR},         {"t2.fee_unit", v1::SEVERITY_WARNING},
      {"t2.rules_authority", v1::SEVERITY_WARNING}, {"year.consistent", v1::SEVERITY_ERROR},
      {"text.table_agree", v1::SEVERITY_WARNING},   {"section6.fee_reported", v1::SEVERITY_WARNING},
      {"section5.substance", v1::SEVERITY_WARNING}, {"history.carry", v1::SEVERITY_ERROR},
      {"history.in_force", v1::SEVERITY_WARNING},   {"history.spike", v1::SEVERITY_INFO},
      {"history.copied", v1::SEVERITY_WARNING},     {"batch.copied", v1::SEVERITY_WARNING},
  };
  return *rules;
}

TEST(RuleRegistry, EveryRuleHasAFormatIdItsSeverityADescriptionAndBothKindsOfCase) {
  std::map<std::string, std::set<Expect>> kinds;
  for (const Case& c : Cases()) kinds[c.rule].insert(c.expect);
  std::set<std::string> ids;
  for (const Rule& rule : DefaultRegistry().rules()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id << " registered twice";
    auto it = FormatRules().find(rule.id);
    ASSERT_NE(it, FormatRules().end()) << rule.id << " is not a FORMAT.md rule id";
    EXPECT_EQ(rule.default_severity, it->second) << rule.id;
    EXPECT_FALSE(rule.description.empty()) << rule.id;
    EXPECT_FALSE(rule.description_en.empty()) << rule.id;
    EXPECT_TRUE(static_cast<bool>(rule.check) != static_cast<bool>(rule.batch_check)) << rule.id;
    EXPECT_TRUE(kinds[rule.id].count(Expect::kFires)) << rule.id << " has no case where it fires";
    EXPECT_TRUE(kinds[rule.id].count(Expect::kPasses)) << rule.id << " has no case where it must not fire";
  }
  for (const auto& [id, severity] : FormatRules()) EXPECT_TRUE(ids.count(id)) << id << " is not implemented";
}

TEST(RuleRegistry, TheEmbeddedListMatchesFormatMd) {
  GONGKAI_REQUIRE_SHARED_CORPUS();
  std::string format = testing::ReadFileOrDie(testing::SharedCorpusDir() + "/../spec/FORMAT.md");
  std::map<std::string, char> in_format;
  std::istringstream lines(format);
  for (std::string line; std::getline(lines, line);) {
    // "| `t3.balance` | E | …"
    if (line.rfind("| `", 0) != 0) continue;
    size_t end = line.find('`', 3);
    size_t sev = line.find("| ", end);
    if (end == std::string::npos || sev == std::string::npos || sev + 3 >= line.size()) continue;
    // Only rows of the rule table: "| `id` | E |" with a dotted id and a one-letter severity.
    if (line.find('.', 3) > end || std::string("EWI").find(line[sev + 2]) == std::string::npos || line[sev + 3] != ' ') {
      continue;
    }
    in_format[line.substr(3, end - 3)] = line[sev + 2];
  }
  for (const auto& [id, sev] : in_format) {
    if (id.rfind("rollup.", 0) == 0) continue;  // the aggregator's rules
    auto it = FormatRules().find(id);
    ASSERT_NE(it, FormatRules().end()) << id << " is in FORMAT.md but not in the validator";
    char expected = it->second == v1::SEVERITY_ERROR ? 'E' : it->second == v1::SEVERITY_WARNING ? 'W' : 'I';
    EXPECT_EQ(sev, expected) << id;
  }
  EXPECT_EQ(in_format.size() - 2, FormatRules().size());
}

}  // namespace
}  // namespace gongkai::validator
