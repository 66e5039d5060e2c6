// t2.fee_unit, t2.rules_authority: table 二's fee unit and who may make 规章.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/schema.h"
#include "common/text.h"
#include "services/validator/registry.h"

namespace gongkai::validator {
namespace {

using v1::AnnualReport;

void CheckFeeUnit(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (r.version() != v1::TEMPLATE_VERSION_V2021 || !r.table2().present()) return;
  const std::string& unit = r.fee_unit();
  if (!unit.empty() && NormalizeLabel(unit) != NormalizeLabel("万元")) {
    v1::Finding& f = sink.Fail(absl::StrCat("表二收费金额的单位写作“", unit, "”，模板规定为“万元”，请核实金额的单位"),
                               absl::StrCat("the fee label's unit reads \"", unit, "\", the template says 万元"));
    AddCell(&f, r, "t2.fees.amount_wan_yuan");
    f.set_expected("万元");
    (*f.mutable_args())["unit"] = unit;
    if (r.fee_unit_position().line() > 0) *f.add_positions() = r.fee_unit_position();
    return;
  }
  const v1::Cell* fee = FindCell(r, "t2.fees.amount_wan_yuan");
  if (fee == nullptr || fee->state() != v1::CELL_STATE_PRESENT || !fee->has_decimal_value()) return;
  // More than four decimals in 万元 is below one 元: the figure was most likely written in 元. A fee of
  // 100 亿元 or more in one organ's year is not plausible in 万元 either.
  const v1::Decimal& d = fee->decimal_value();
  int64_t whole = d.units();
  for (int i = 0; i < d.scale(); ++i) whole /= 10;
  if (d.scale() > 4 || whole >= 1'000'000) {
    v1::Finding& f = sink.Fail(
        absl::StrCat("表二收费金额 ", fee->raw(), " 按“万元”计不合常理（", d.scale() > 4 ? "小数位低于 1 元" : "超过 100 亿元",
                     "），可能按“元”填写"),
        absl::StrCat("the fee ", fee->raw(), " is not plausible in 万元; it was probably written in 元"));
    AddCell(&f, r, "t2.fees.amount_wan_yuan");
    f.set_expected("an amount in 万元");
  }
}

// Whether the organ can make 规章: only the State Council's departments and the governments of provinces
// and cities with districts can. Conservative: only organs that clearly cannot are named.
bool CannotMakeRules(absl::string_view agency) {
  if (agency.empty()) return false;
  for (absl::string_view national : {"国务院", "国家", "中华人民共和国", "海关总署", "中国人民银行"}) {
    if (absl::StartsWith(agency, national)) return false;
  }
  // Township level and county level.
  for (absl::string_view low : {"镇", "乡", "街道", "县", "片区", "管委会办公室", "开发区"}) {
    if (Contains(agency, low)) return true;
  }
  // A district government (区人民政府) or a department of a local government.
  if (Contains(agency, "区人民政府") && !absl::EndsWith(agency, "办公厅")) return true;
  for (absl::string_view dept : {"局", "委员会", "委", "中心", "所", "办公室"}) {
    if (absl::EndsWith(agency, dept)) return true;
  }
  return false;
}

void CheckRulesAuthority(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (!r.table2().present() || !CannotMakeRules(r.agency())) return;
  std::vector<std::string> nonzero;
  for (const v1::Cell& cell : r.table2().cells()) {
    if (!absl::StartsWith(cell.key(), "t2.rules.")) continue;
    std::optional<int64_t> v = IntValue(r, cell.key());
    if (v && *v > 0) nonzero.push_back(cell.key());
  }
  if (nonzero.empty()) return;
  v1::Finding& f = sink.Fail(
      absl::StrCat("“", r.agency(), "”无权制定规章，但表二“规章”一行填有非零数字；规范性文件应填在“行政规范性文件”一行"),
      absl::StrCat(r.agency(), " cannot make 规章, yet the 规章 row holds non-zero counts"));
  for (const std::string& key : nonzero) AddCell(&f, r, key);
  f.set_expected("0");
}

}  // namespace

void RegisterTable2Rules(RuleRegistry& registry) {
  registry.Add({"t2.fee_unit", v1::SEVERITY_WARNING, "收费金额的单位不是“万元”，或金额只在按“元”计时才合理",
                "the fee label's unit is not 万元, or the amount is only plausible in 元", CheckFeeUnit, nullptr});
  registry.Add({"t2.rules_authority", v1::SEVERITY_WARNING, "无权制定规章的机关（县级及以下、地方政府部门）填报了规章数",
                "规章 counts are non-zero for an organ that cannot make 规章", CheckRulesAuthority, nullptr});
}

}  // namespace gongkai::validator
