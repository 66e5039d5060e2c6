#include "services/aggregator/aggregate.h"

#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"
#include "common/text.h"

namespace gongkai::aggregator {
namespace {

constexpr int kAmountScale = 6;  // amounts are summed in millionths of their unit
// No cell of one report is summed beyond this magnitude (a trillion applications, or 10^7 万元 in
// millionths): a corpus of millions of reports then stays inside int64, whatever callers send.
constexpr int64_t kMaxSummand = 1'000'000'000'000;
constexpr int64_t kMaxAmountSummand = 10'000'000'000'000;

// Adds without undefined behaviour: a sum that would leave int64 (only hostile Merge requests get there)
// stops at the limit.
int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? INT64_MAX : INT64_MIN;
}

void AddSums(const v1::CellSums& from, v1::CellSums* into) {
  into->set_reports(SaturatingAdd(into->reports(), from.reports()));
  for (const auto& [key, value] : from.cells()) {
    int64_t& sum = (*into->mutable_cells())[key];
    sum = SaturatingAdd(sum, value);
  }
}

void AddCounts(const google::protobuf::Map<std::string, int64_t>& from, google::protobuf::Map<std::string, int64_t>* into) {
  for (const auto& [key, value] : from) {
    int64_t& sum = (*into)[key];
    sum = SaturatingAdd(sum, value);
  }
}

}  // namespace

bool SumValue(const v1::Cell& cell, int64_t* value) {
  if (cell.state() != v1::CELL_STATE_PRESENT) return false;
  if (!IsDecimalCell(cell.key())) {
    if (cell.has_decimal_value()) return false;  // a fractional count is not summed (cell.number flags it)
    if (cell.int_value() > kMaxSummand || cell.int_value() < -kMaxSummand) return false;
    *value = cell.int_value();
    return true;
  }
  int64_t units = cell.has_decimal_value() ? cell.decimal_value().units() : cell.int_value();
  int scale = cell.has_decimal_value() ? cell.decimal_value().scale() : 0;
  if (scale > kAmountScale || scale < 0) return false;
  for (int i = scale; i < kAmountScale; ++i) {
    if (units > kMaxAmountSummand || units < -kMaxAmountSummand) return false;  // before it could overflow
    units *= 10;
  }
  if (units > kMaxAmountSummand || units < -kMaxAmountSummand) return false;
  *value = units;
  return true;
}

bool IsAreaReport(const v1::AnnualReport& report) {
  if (report.metadata().scope() == "area") return true;
  if (report.metadata().scope() == "organ") return false;
  for (const v1::Section& s : report.sections()) {
    for (absl::string_view w : {"全区汇总", "全市汇总", "全县汇总", "全省汇总", "全旗汇总", "汇总全区", "汇总全市", "汇总全县"}) {
      if (Contains(s.text(), w)) return true;
    }
  }
  return false;
}

Placement PlaceReport(const v1::AnnualReport& report, const RegionTable& regions) {
  Placement p;
  p.area = IsAreaReport(report);
  p.level = report.metadata().level().empty() ? OrganLevel(report.agency()) : report.metadata().level();
  if (!report.metadata().region_code().empty()) {
    p.region = report.metadata().region_code();
    return p;
  }
  RegionInference inferred = regions.Infer(report.agency());
  switch (inferred.kind) {
    case RegionInference::Kind::kFound:
      p.region = inferred.code;
      break;
    case RegionInference::Kind::kAmbiguous:
      p.region_note = absl::StrCat("“", inferred.matched, "”可指 ", inferred.candidates.size(), " 个地区（",
                                   absl::StrJoin(inferred.candidates, "、"), "），未推断");
      break;
    case RegionInference::Kind::kUnknown:
      p.region_note = report.agency().empty() ? "报告未写明机关名称" : absl::StrCat("“", report.agency(), "”中没有可识别的地名");
      break;
  }
  return p;
}

namespace {

// A report's class as its failed findings make it: with an ERROR (and which rules gave one), with
// warnings only, or clean. AddReport and AmendReport count reports by it.
struct ReportClass {
  bool error = false, warning = false;
  std::vector<std::string> error_rules;  // each once, in the order met

  // Folds `findings` in; each failed one also counts in `node`'s rule counts when `node` is not null.
  void Fold(const google::protobuf::RepeatedPtrField<v1::Finding>& findings, v1::NodeAggregate* node) {
    for (const v1::Finding& f : findings) {
      if (f.outcome() != v1::OUTCOME_FAILED) continue;
      if (node != nullptr) (*node->mutable_rule_counts())[f.rule_id()] += 1;
      if (f.severity() == v1::SEVERITY_ERROR) {
        error = true;
        if (std::find(error_rules.begin(), error_rules.end(), f.rule_id()) == error_rules.end()) {
          error_rules.push_back(f.rule_id());
        }
      } else if (f.severity() == v1::SEVERITY_WARNING) {
        warning = true;
      }
    }
  }

  // Adds `delta` to `node`'s count of reports of this class.
  void Count(v1::NodeAggregate* node, int64_t delta) const {
    if (error) {
      node->set_reports_with_errors(node->reports_with_errors() + delta);
    } else if (warning) {
      node->set_reports_with_warnings(node->reports_with_warnings() + delta);
    } else {
      node->set_reports_clean(node->reports_clean() + delta);
    }
  }
};

}  // namespace

void AddReport(const v1::CheckedReport& checked, v1::Aggregate* aggregate, const RegionTable& regions) {
  const v1::AnnualReport& r = checked.report();
  Placement place = PlaceReport(r, regions);
  v1::NodeAggregate& node = (*aggregate->mutable_nodes())[place.region];
  node.set_reports(node.reports() + 1);
  std::string version(VersionName(r.version()));
  (*node.mutable_versions())[version] += 1;
  if (!place.level.empty()) (*node.mutable_levels())[place.level] += 1;
  ReportClass cls;
  cls.Fold(checked.findings(), &node);
  cls.Count(&node, +1);
  (*aggregate->mutable_filings())[absl::StrCat(place.region, "|", r.agency(), "|", r.report_year())] += 1;
  bool summable = r.version() == v1::TEMPLATE_VERSION_V2021 || r.version() == v1::TEMPLATE_VERSION_V2019;
  if (cls.error && !aggregate->options().include_reports_with_errors()) {
    node.set_reports_excluded(node.reports_excluded() + 1);
    for (const std::string& rule : cls.error_rules) (*node.mutable_excluded_by_rule())[rule] += 1;
    return;
  }
  if (!summable) return;
  v1::CellSums& sums = place.area ? (*node.mutable_area_sums())[version] : (*node.mutable_sums())[version];
  sums.set_reports(sums.reports() + 1);
  for (const v1::Table* t : {&r.table2(), &r.table3(), &r.table4()}) {
    for (const v1::Cell& cell : t->cells()) {
      int64_t value;
      if (!SumValue(cell, &value)) continue;
      int64_t& sum = (*sums.mutable_cells())[cell.key()];
      sum = SaturatingAdd(sum, value);
    }
  }
}

absl::Status AmendReport(const v1::CheckedReport& checked, v1::Aggregate* aggregate, const RegionTable& regions) {
  ReportClass before;
  before.Fold(checked.findings(), nullptr);
  ReportClass after = before;
  after.Fold(checked.added_findings(), nullptr);
  const bool with_errors = aggregate->options().include_reports_with_errors();
  const bool excluded_before = before.error && !with_errors, excluded_after = after.error && !with_errors;
  const v1::AnnualReport& r = checked.report();
  const bool summable = r.version() == v1::TEMPLATE_VERSION_V2021 || r.version() == v1::TEMPLATE_VERSION_V2019;
  if (excluded_after && !excluded_before && summable) {
    return absl::FailedPreconditionError(
        "a finding added later takes the report out of the sums; add the reports up again");
  }
  v1::NodeAggregate& node = (*aggregate->mutable_nodes())[PlaceReport(r, regions).region];
  ReportClass().Fold(checked.added_findings(), &node);  // rule counts only
  before.Count(&node, -1);
  after.Count(&node, +1);
  if (excluded_after) {
    if (!excluded_before) node.set_reports_excluded(node.reports_excluded() + 1);
    for (const std::string& rule : after.error_rules) {
      if (!excluded_before || std::find(before.error_rules.begin(), before.error_rules.end(), rule) ==
                                  before.error_rules.end()) {
        (*node.mutable_excluded_by_rule())[rule] += 1;
      }
    }
  }
  return absl::OkStatus();
}

void MergeNode(const v1::NodeAggregate& from, v1::NodeAggregate* into) {
  into->set_reports(SaturatingAdd(into->reports(), from.reports()));
  into->set_reports_with_errors(SaturatingAdd(into->reports_with_errors(), from.reports_with_errors()));
  into->set_reports_with_warnings(SaturatingAdd(into->reports_with_warnings(), from.reports_with_warnings()));
  into->set_reports_clean(SaturatingAdd(into->reports_clean(), from.reports_clean()));
  into->set_reports_excluded(SaturatingAdd(into->reports_excluded(), from.reports_excluded()));
  AddCounts(from.excluded_by_rule(), into->mutable_excluded_by_rule());
  AddCounts(from.rule_counts(), into->mutable_rule_counts());
  AddCounts(from.versions(), into->mutable_versions());
  AddCounts(from.levels(), into->mutable_levels());
  for (const auto& [v, s] : from.sums()) AddSums(s, &(*into->mutable_sums())[v]);
  for (const auto& [v, s] : from.area_sums()) AddSums(s, &(*into->mutable_area_sums())[v]);
}

void Merge(const v1::Aggregate& from, v1::Aggregate* into) {
  for (const auto& [code, node] : from.nodes()) MergeNode(node, &(*into->mutable_nodes())[code]);
  AddCounts(from.filings(), into->mutable_filings());
  if (from.options().include_reports_with_errors()) into->mutable_options()->set_include_reports_with_errors(true);
}

}  // namespace gongkai::aggregator
