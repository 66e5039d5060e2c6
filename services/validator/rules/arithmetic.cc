// t3.balance, t3.row_sum, t3.results_sum, t3.subtotal, t4.group_sum: the tables' own equations.
// Each failing equation names the reported sum, the computed sum and every contributor (Arelle's way).
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"
#include "services/validator/registry.h"

namespace gongkai::validator {
namespace {

using v1::AnnualReport;

const std::string& KeyOf(const std::string& key) { return key; }
const std::string& KeyOf(const std::string* key) { return *key; }

// Sum of the cells (keys, or pointers to keys); nullopt (and the missing keys in *missing) when any is not a
// present integer.
template <typename Keys>
std::optional<int64_t> Sum(const AnnualReport& r, const Keys& keys, std::vector<std::string>* missing) {
  int64_t sum = 0;
  bool ok = true;
  for (const auto& k : keys) {
    const std::string& key = KeyOf(k);
    std::optional<int64_t> v = IntValue(r, key);
    if (!v) {
      ok = false;
      missing->push_back(key);
    } else {
      sum += *v;
    }
  }
  if (!ok) return std::nullopt;
  return sum;
}

std::optional<int64_t> SubtotalValue(const AnnualReport& r, absl::string_view key) {
  for (const v1::Cell& c : r.subtotals()) {
    if (c.key() == key && c.state() == v1::CELL_STATE_PRESENT && !c.has_decimal_value()) return c.int_value();
  }
  return std::nullopt;
}

bool TablesApply(const AnnualReport& r) {
  return (r.version() == v1::TEMPLATE_VERSION_V2021 || r.version() == v1::TEMPLATE_VERSION_V2019) &&
         r.table3().present();
}

// One "could not be checked" finding per rule per report, listing what was missing.
void ReportUnverifiable(FindingSink& sink, const AnnualReport& r, const std::vector<std::string>& what,
                        const std::vector<std::string>& missing) {
  if (what.empty()) return;
  std::vector<std::string> unique_missing;
  for (const std::string& k : missing) {
    if (std::find(unique_missing.begin(), unique_missing.end(), k) == unique_missing.end()) unique_missing.push_back(k);
  }
  v1::Finding& f = sink.Unverifiable(
      absl::StrCat("有 ", what.size(), " 个等式因缺少数值无法核对：", absl::StrJoin(what, "；")),
      absl::StrCat(what.size(), " equations could not be checked because cells are missing: ", absl::StrJoin(what, "; ")));
  for (const std::string& k : unique_missing) AddCell(&f, r, k);
}

std::string Join(const AnnualReport& r, const std::vector<std::string>& keys) {
  std::vector<std::string> parts;
  for (const std::string& k : keys) parts.push_back(absl::StrCat(IntValue(r, k).value_or(0)));
  return absl::StrJoin(parts, "+");
}

void CheckBalance(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (!TablesApply(r)) return;
  std::vector<std::string> unverifiable, missing;
  for (const std::string& col : Table3Columns()) {
    std::vector<std::string> left = {absl::StrCat("t3.received_new.", col), absl::StrCat("t3.carried_over.", col)};
    std::vector<std::string> right = {absl::StrCat("t3.total.", col), absl::StrCat("t3.carried_forward.", col)};
    std::optional<int64_t> l = Sum(r, left, &missing);
    std::optional<int64_t> rr = Sum(r, right, &missing);
    if (!l || !rr) {
      unverifiable.push_back(absl::StrCat(ColumnName(col), "列"));
      continue;
    }
    if (*l == *rr) continue;
    v1::Finding& f = sink.Fail(
        absl::StrCat("表三“", ColumnName(col), "”列不符合勾稽关系：第一项加第二项之和 ", Join(r, left), "=", *l,
                     "，第三项加第四项之和 ", Join(r, right), "=", *rr, "，相差 ", *l - *rr),
        absl::StrCat("table 3 column ", col, ": received_new + carried_over = ", *l, " but total + carried_forward = ",
                     *rr));
    for (const std::string& k : left) AddCell(&f, r, k);
    for (const std::string& k : right) AddCell(&f, r, k);
    f.set_expected(absl::StrCat("received_new + carried_over = ", Join(r, left), " = ", *l,
                                "; total + carried_forward = ", Join(r, right), " = ", *rr));
    (*f.mutable_args())["left"] = absl::StrCat(*l);
    (*f.mutable_args())["right"] = absl::StrCat(*rr);
  }
  ReportUnverifiable(sink, r, unverifiable, missing);
}

// The cell keys of table 三's row and column equations for one template version, built once: the rules
// run on every report and the keys only depend on the version.
struct Table3Equations {
  struct Row {
    std::string key;                 // "t3.granted"
    std::vector<std::string> parts;  // its six applicant cells
    std::string total;               // "t3.granted.total"
  };
  struct Group {
    std::vector<std::string> items;  // the group's result cells in this column
    std::string subtotal;            // "t3.denied_subtotal.<col>", the printed subtotal that may stand in
  };
  struct Column {
    std::string key;                   // "natural_person"
    std::vector<std::string> singles;  // result cells outside the four groups (予以公开, 部分公开)
    std::vector<Group> groups;         // denied, unable, rejected, other
    std::string total;                 // "t3.total.<col>"
  };
  std::vector<Row> rows;
  std::vector<Column> columns;
  size_t result_rows = 0;
};

Table3Equations MakeTable3Equations(v1::TemplateVersion version) {
  Table3Equations eq;
  const auto& cols = Table3Columns();
  for (const RowSpec& row : TableRows(TableId::kT3, version)) {
    Table3Equations::Row r{row.key, {}, absl::StrCat(row.key, ".total")};
    for (size_t c = 0; c + 1 < cols.size(); ++c) r.parts.push_back(absl::StrCat(row.key, ".", cols[c]));
    eq.rows.push_back(std::move(r));
  }
  const std::vector<std::string>& results = Table3ResultRows(version);
  eq.result_rows = results.size();
  constexpr absl::string_view kGroups[] = {"denied", "unable", "rejected", "other"};
  for (const std::string& col : cols) {
    Table3Equations::Column c{col, {}, {}, absl::StrCat("t3.total.", col)};
    for (absl::string_view group : kGroups) {
      Table3Equations::Group g{{}, absl::StrCat("t3.", group, "_subtotal.", col)};
      for (const std::string& row : results) {
        if (absl::StartsWith(row, absl::StrCat("t3.", group, "_"))) g.items.push_back(absl::StrCat(row, ".", col));
      }
      c.groups.push_back(std::move(g));
    }
    for (const std::string& row : results) {
      bool grouped = false;
      for (absl::string_view group : kGroups) grouped = grouped || absl::StartsWith(row, absl::StrCat("t3.", group, "_"));
      if (!grouped) c.singles.push_back(absl::StrCat(row, ".", col));
    }
    eq.columns.push_back(std::move(c));
  }
  return eq;
}

const Table3Equations& EquationsOf(v1::TemplateVersion version) {
  static const auto* v2021 = new Table3Equations(MakeTable3Equations(v1::TEMPLATE_VERSION_V2021));
  static const auto* v2019 = new Table3Equations(MakeTable3Equations(v1::TEMPLATE_VERSION_V2019));
  return version == v1::TEMPLATE_VERSION_V2019 ? *v2019 : *v2021;
}

void CheckRowSum(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (!TablesApply(r)) return;
  std::vector<std::string> unverifiable, missing;
  for (const Table3Equations::Row& row : EquationsOf(r.version()).rows) {
    std::optional<int64_t> sum = Sum(r, row.parts, &missing);
    std::optional<int64_t> total = IntValue(r, row.total);
    if (!total) missing.push_back(row.total);
    if (!sum || !total) {
      unverifiable.push_back(RowName(row.key));
      continue;
    }
    if (*sum == *total) continue;
    v1::Finding& f = sink.Fail(absl::StrCat("表三“", RowName(row.key), "”一行：总计 ", *total, " 不等于六类申请人之和 ",
                                            Join(r, row.parts), "=", *sum),
                               absl::StrCat(row.key, ": total ", *total, " but the six applicant columns add up to ", *sum));
    AddCell(&f, r, row.total);
    for (const std::string& k : row.parts) AddCell(&f, r, k);
    f.set_expected(absl::StrCat(*sum));
  }
  ReportUnverifiable(sink, r, unverifiable, missing);
}

void CheckResultsSum(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (!TablesApply(r)) return;
  const Table3Equations& eq = EquationsOf(r.version());
  std::vector<std::string> unverifiable, missing;
  for (const Table3Equations::Column& col : eq.columns) {
    // The equation's cells, pointing into the equations built once (no key is copied for each report).
    std::vector<const std::string*> parts;
    parts.reserve(col.singles.size() + eq.result_rows);
    for (const std::string& single : col.singles) parts.push_back(&single);
    int64_t subtotal_sum = 0;
    for (const Table3Equations::Group& group : col.groups) {
      bool all_there = true;
      for (const std::string& item : group.items) {
        if (!IntValue(r, item)) {
          all_there = false;
          break;
        }
      }
      // A printed group subtotal stands in for its items when they are not there (a v2021 table that
      // prints （六）其他处理 as one row, say).
      std::optional<int64_t> sub = all_there ? std::nullopt : SubtotalValue(r, group.subtotal);
      if (sub) {
        subtotal_sum += *sub;
      } else {
        for (const std::string& item : group.items) parts.push_back(&item);
      }
    }
    std::optional<int64_t> sum = Sum(r, parts, &missing);
    if (sum) *sum += subtotal_sum;
    std::optional<int64_t> total = IntValue(r, col.total);
    if (!total) missing.push_back(col.total);
    if (!sum || !total) {
      unverifiable.push_back(absl::StrCat(ColumnName(col.key), "列"));
      continue;
    }
    if (*sum == *total) continue;
    v1::Finding& f = sink.Fail(
        absl::StrCat("表三“", ColumnName(col.key), "”列：（七）总计 ", *total, " 不等于各项办理结果之和 ", *sum, "（",
                     eq.result_rows, " 行）"),
        absl::StrCat("table 3 column ", col.key, ": total ", *total, " but the ", parts.size(), " result rows add up to ",
                     *sum));
    AddCell(&f, r, col.total);
    for (const std::string* k : parts) AddCell(&f, r, *k);
    f.set_expected(absl::StrCat(*sum));
  }
  ReportUnverifiable(sink, r, unverifiable, missing);
}

void CheckSubtotal(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (!TablesApply(r)) return;
  // Printed group subtotal rows ((三)不予公开 … with their own numbers) equal their items.
  std::set<std::string> unverifiable_groups;
  for (const v1::Cell& sub : r.subtotals()) {
    if (sub.state() != v1::CELL_STATE_PRESENT) continue;
    // "t3.denied_subtotal.natural_person" → group "denied", column "natural_person".
    absl::string_view key = sub.key();
    size_t a = key.find('.'), b = key.rfind('.');
    std::string group(key.substr(a + 1, b - a - 1 - std::string("_subtotal").size()));
    std::string col(key.substr(b + 1));
    std::vector<std::string> parts;
    for (const std::string& row : Table3ResultRows(r.version())) {
      if (absl::StartsWith(row, absl::StrCat("t3.", group, "_"))) parts.push_back(absl::StrCat(row, ".", col));
    }
    if (group == "other" && r.version() == v1::TEMPLATE_VERSION_V2021) {
      parts = {absl::StrCat("t3.other_overdue_correction.", col), absl::StrCat("t3.other_overdue_fee.", col),
               absl::StrCat("t3.other_other.", col)};
    }
    if (parts.empty()) continue;
    std::vector<std::string> missing;
    std::optional<int64_t> sum = Sum(r, parts, &missing);
    int64_t printed = sub.has_decimal_value() ? sub.decimal_value().units() : sub.int_value();
    if (!sum) {
      if (unverifiable_groups.insert(group).second) {
        sink.Unverifiable(absl::StrCat("小计行“", RowName(absl::StrCat("t3.", group, "_subtotal")), "”因缺少分项无法核对"),
                          absl::StrCat("subtotal t3.", group, "_subtotal cannot be checked: its items are missing"));
      }
      continue;
    }
    if (*sum == printed) continue;
    v1::Finding& f = sink.Fail(absl::StrCat("表三小计行“", sub.key(), "”为 ", printed, "，分项之和为 ", *sum),
                               absl::StrCat("subtotal ", sub.key(), " is ", printed, " but its items add up to ", *sum));
    f.add_cells(sub.key());
    f.add_values(absl::StrCat(printed));
    *f.add_positions() = sub.position();
    for (const std::string& k : parts) AddCell(&f, r, k);
    f.set_expected(absl::StrCat(*sum));
  }
}

void CheckGroupSum(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (!r.table4().present() || r.table4().cells_size() == 0) return;
  std::vector<std::string> unverifiable, missing;
  for (const std::string& g : Table4Groups()) {
    std::vector<std::string> parts;
    for (const std::string& res : Table4Results()) {
      if (res != "total") parts.push_back(absl::StrCat("t4.", g, ".", res));
    }
    std::string total_key = absl::StrCat("t4.", g, ".total");
    std::optional<int64_t> sum = Sum(r, parts, &missing);
    std::optional<int64_t> total = IntValue(r, total_key);
    if (!total) missing.push_back(total_key);
    if (!sum || !total) {
      unverifiable.push_back(GroupName(g));
      continue;
    }
    if (*sum == *total) continue;
    v1::Finding& f = sink.Fail(
        absl::StrCat("表四“", GroupName(g), "”：总计 ", *total, " 不等于结果维持、结果纠正、其他结果、尚未审结之和 ",
                     Join(r, parts), "=", *sum),
        absl::StrCat("table 4 ", g, ": total ", *total, " but upheld + corrected + other + pending = ", *sum));
    AddCell(&f, r, total_key);
    for (const std::string& k : parts) AddCell(&f, r, k);
    f.set_expected(absl::StrCat(*sum));
  }
  ReportUnverifiable(sink, r, unverifiable, missing);
}

}  // namespace

void RegisterArithmeticRules(RuleRegistry& registry) {
  registry.Add({"t3.balance", v1::SEVERITY_ERROR, "表三每列：第一项加第二项之和等于第三项加第四项之和（勾稽关系）",
                "per column: received_new + carried_over = total + carried_forward", CheckBalance, nullptr});
  registry.Add({"t3.row_sum", v1::SEVERITY_ERROR, "表三每行：总计等于六类申请人之和",
                "per row: total = the six applicant columns", CheckRowSum, nullptr});
  registry.Add({"t3.results_sum", v1::SEVERITY_ERROR, "表三每列：（七）总计等于各项办理结果之和（v2021 21 行，v2019 19 行）",
                "per column: total = the sum of the result rows (21 in v2021, 19 in v2019)", CheckResultsSum, nullptr});
  registry.Add({"t3.subtotal", v1::SEVERITY_ERROR, "表三印出的小计行等于其分项之和",
                "printed subtotal rows equal the sum of their parts", CheckSubtotal, nullptr});
  registry.Add({"t4.group_sum", v1::SEVERITY_ERROR, "表四每组：总计等于结果维持、结果纠正、其他结果、尚未审结之和",
                "per group: total = upheld + corrected + other + pending", CheckGroupSum, nullptr});
}

}  // namespace gongkai::validator
