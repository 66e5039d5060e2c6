// structure.sections, structure.tables, structure.shape, structure.version, cell.missing, cell.number.
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"
#include "services/validator/registry.h"

namespace gongkai::validator {
namespace {

using v1::AnnualReport;

const char* kSectionNames[] = {"", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                               "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                               "六、其他需要报告的事项"};

bool HasTables(const AnnualReport& r) {
  return r.version() == v1::TEMPLATE_VERSION_V2021 || r.version() == v1::TEMPLATE_VERSION_V2019 ||
         r.version() == v1::TEMPLATE_VERSION_UNKNOWN;
}

// Section numbers outside 1..6 can only come from a caller's own AnnualReport (the parser never makes
// them); they are not one of the six and are left out here (found by tests/fuzz/validator_fuzzer.cc).
bool IsSixSectionNumber(int n) { return n >= 1 && n <= 6; }

void CheckSections(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  std::map<int, int> count;
  for (const v1::Section& s : r.sections()) {
    if (IsSixSectionNumber(s.number())) ++count[s.number()];
  }
  std::vector<std::string> missing, missing_en;
  for (int n = 1; n <= 6; ++n) {
    if (count[n] == 0) {
      missing.push_back(kSectionNames[n]);
      missing_en.push_back(absl::StrCat(n));
    }
  }
  if (!missing.empty()) {
    v1::Finding& f = sink.Fail(absl::StrCat("缺少第", absl::StrJoin(missing_en, "、"), "部分：", absl::StrJoin(missing, "；")),
                               absl::StrCat("sections missing: ", absl::StrJoin(missing_en, ", ")));
    f.set_expected("六个部分各出现一次，按顺序排列");
  }
  for (const auto& [n, c] : count) {
    if (c > 1) {
      v1::Finding& f = sink.Fail(absl::StrCat("“", kSectionNames[n], "”出现了 ", c, " 次"),
                                 absl::StrCat("section ", n, " appears ", c, " times"));
      for (const v1::Section& s : r.sections()) {
        if (s.number() == n) *f.add_positions() = s.position();
      }
    }
  }
  int last = 0;
  for (const v1::Section& s : r.sections()) {
    if (!IsSixSectionNumber(s.number())) continue;
    if (s.number() < last && count[s.number()] == 1) {
      v1::Finding& f = sink.Fail(absl::StrCat("“", kSectionNames[s.number()], "”（第 ", s.position().line(),
                                              " 行）排在第", last, "部分之后，顺序不对"),
                                 absl::StrCat("section ", s.number(), " (line ", s.position().line(),
                                              ") comes after section ", last));
      *f.add_positions() = s.position();
    }
    last = std::max(last, s.number());
  }
}

void CheckTables(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (r.version() == v1::TEMPLATE_VERSION_PRE2019) return;  // no standard tables before 2019
  struct T {
    const v1::Table& table;
    const char* zh;
    const char* en;
  };
  for (const T& t : {T{r.table2(), "表二（主动公开政府信息情况）", "table 2"},
                     T{r.table3(), "表三（收到和处理政府信息公开申请情况）", "table 3"},
                     T{r.table4(), "表四（政府信息公开行政复议、行政诉讼情况）", "table 4"}}) {
    if (!t.table.present()) {
      sink.Fail(absl::StrCat("报告中没有找到", t.zh), absl::StrCat(t.en, " was not found in the report"));
    }
  }
}

void CheckShape(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (!HasTables(r)) return;
  // Rows the parser could not read, with their lines and values.
  std::set<std::string> noted_rows;
  for (const v1::ParseNote& note : r.notes()) {
    v1::Finding& f = sink.Fail(note.message(), note.message_en());
    if (!note.row_key().empty()) {
      noted_rows.insert(note.row_key());
      const std::vector<RowSpec>& rows =
          TableRows(TableOfKey(note.row_key()), r.version());
      for (const RowSpec& row : rows) {
        if (row.key != note.row_key()) continue;
        for (const std::string& col : row.columns) AddCell(&f, r, absl::StrCat(row.key, ".", col));
      }
    }
    f.set_expected(note.expected_count() > 0 ? absl::StrCat(note.expected_count(), " values") : "");
    (*f.mutable_args())["raw_values"] = absl::StrJoin(note.values(), " ");
    if (note.position().line() > 0) *f.add_positions() = note.position();
  }
  if (r.table4().present()) {
    for (const v1::ParseNote& note : r.notes()) {
      if (note.table() == "t4") noted_rows.insert("t4");
    }
  }
  // A group printed as one row with numbers of its own ((六)其他处理 without its three items): one finding
  // for the group, not one per missing item.
  for (const char* group : {"denied", "unable", "rejected", "other"}) {
    bool has_subtotal = false;
    for (const v1::Cell& c : r.subtotals()) {
      if (absl::StartsWith(c.key(), absl::StrCat("t3.", group, "_subtotal."))) has_subtotal = true;
    }
    if (!has_subtotal) continue;
    std::vector<std::string> items;
    bool all_missing = true;
    for (const std::string& row : Table3ResultRows(r.version())) {
      if (!absl::StartsWith(row, absl::StrCat("t3.", group, "_"))) continue;
      items.push_back(row);
      for (const std::string& col : Table3Columns()) {
        const v1::Cell* c = FindCell(r, absl::StrCat(row, ".", col));
        if (c != nullptr && c->state() != v1::CELL_STATE_MISSING) all_missing = false;
      }
    }
    if (items.empty() || !all_missing) continue;
    std::string name = RowName(absl::StrCat("t3.", group, "_subtotal"));
    v1::Finding& f = sink.Fail(
        absl::StrCat("表三“", name, "”印成一行，缺少其下 ", items.size(), " 个分项（", VersionName(r.version()),
                     " 模板要求分项填报）；合计数已用于核对"),
        absl::StrCat(name, " is printed as one row without its ", items.size(), " items"));
    for (const std::string& row : items) {
      noted_rows.insert(row);
      for (const std::string& col : Table3Columns()) AddCell(&f, r, absl::StrCat(row, ".", col));
    }
    f.set_expected(absl::StrCat(items.size(), " rows"));
    *f.add_positions() = r.table3().position();
  }
  // Rows not found at all in a table that is present.
  for (TableId t : {TableId::kT2, TableId::kT3, TableId::kT4}) {
    const v1::Table& table = t == TableId::kT2 ? r.table2() : t == TableId::kT3 ? r.table3() : r.table4();
    if (!table.present()) continue;
    // Most tables have every cell: nothing to look up row by row.
    bool any_missing = false;
    for (const v1::Cell& c : table.cells()) any_missing = any_missing || c.state() == v1::CELL_STATE_MISSING;
    if (!any_missing) continue;
    for (const RowSpec& row : TableRows(t, r.version())) {
      if (noted_rows.count(row.key) || (t == TableId::kT4 && noted_rows.count("t4"))) continue;
      std::vector<std::string> missing;
      for (const std::string& col : row.columns) {
        const v1::Cell* c = FindCell(r, absl::StrCat(row.key, ".", col));
        if (c != nullptr && c->state() == v1::CELL_STATE_MISSING) missing.push_back(c->key());
      }
      if (missing.empty()) continue;
      std::string what = t == TableId::kT4 ? GroupName(row.key.substr(3)) : RowName(row.key);
      v1::Finding& f = sink.Fail(absl::StrCat("未找到“", what, "”一行的数值（", missing.size(), " 格）"),
                                 absl::StrCat(row.key, ": ", missing.size(), " cells were not found"));
      for (const std::string& key : missing) AddCell(&f, r, key);
      *f.add_positions() = table.position();
    }
  }
}

void CheckVersion(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  int year = r.report_year();
  if (year == 0) {
    sink.Unverifiable("报告年度未知，无法核对模板版本", "the report year is unknown; the template version cannot be checked");
    return;
  }
  if (r.version() == v1::TEMPLATE_VERSION_UNKNOWN || r.version() == v1::TEMPLATE_VERSION_PRE2019) return;
  // A version read from the year itself agrees with the year by construction.
  if (absl::StartsWith(r.version_evidence(), "report year")) return;
  v1::TemplateVersion expected = year >= 2021   ? v1::TEMPLATE_VERSION_V2021
                                 : year >= 2019 ? v1::TEMPLATE_VERSION_V2019
                                                : v1::TEMPLATE_VERSION_PRE2019;
  if (expected == r.version()) return;
  const char* want = expected == v1::TEMPLATE_VERSION_V2021   ? "国办公开办函〔2021〕30号（v2021）"
                     : expected == v1::TEMPLATE_VERSION_V2019 ? "国办公开办函〔2019〕60号（v2019）"
                                                              : "2019 年以前的格式";
  v1::Finding& f = sink.Fail(
      absl::StrCat(year, " 年度报告应使用", want, "模板，但表格是 ", VersionName(r.version()), " 格式（依据：",
                   r.version_evidence(), "），可能套用了旧模板或年份有误"),
      absl::StrCat("a ", year, " report should use the ", VersionName(expected), " template but its tables are ",
                   VersionName(r.version()), " (from ", r.version_evidence(), ")"));
  f.set_expected(std::string(VersionName(expected)));
  (*f.mutable_args())["version"] = std::string(VersionName(r.version()));
  if (r.table2().present()) *f.add_positions() = r.table2().position();
}

void CheckMissing(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  // One finding per row that holds blanks or placeholders.
  for (const v1::Table* table : {&r.table2(), &r.table3(), &r.table4()}) {
    std::string row_key;
    v1::Finding* current = nullptr;
    for (const v1::Cell& cell : table->cells()) {
      if (cell.state() != v1::CELL_STATE_PLACEHOLDER) continue;
      std::string row(cell.key().substr(0, cell.key().rfind('.')));
      if (row != row_key || current == nullptr) {
        row_key = row;
        std::string name = absl::StartsWith(row, "t4.") ? GroupName(row.substr(3)) : RowName(row);
        current = &sink.Fail(absl::StrCat("“", name, "”一行有空白或占位符（如“/”“-”），应填写数字（没有的填 0）"),
                             absl::StrCat(row, " holds blanks or placeholders where numbers belong"));
        current->set_expected("a number (0 when there is none)");
      }
      AddCell(current, r, cell.key());
      current->set_message(absl::StrCat("“", absl::StartsWith(row, "t4.") ? GroupName(row.substr(3)) : RowName(row),
                                        "”一行有 ", current->cells_size(),
                                        " 格为空白或占位符（如“/”“-”），应填写数字（没有的填 0）"));
    }
  }
}

void CheckNumber(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  for (const v1::Table* table : {&r.table2(), &r.table3(), &r.table4()}) {
    for (const v1::Cell& cell : table->cells()) {
      if (cell.state() != v1::CELL_STATE_PRESENT) continue;
      bool decimal_cell = IsDecimalCell(cell.key());
      bool negative = cell.has_decimal_value() ? cell.decimal_value().units() < 0 : cell.int_value() < 0;
      // "3.0" is a whole number written oddly; "3.5" is not a count.
      bool fractional = false;
      if (cell.has_decimal_value() && cell.decimal_value().scale() > 18) {
        fractional = cell.decimal_value().units() != 0;  // 10^19 and up exceed int64: every digit is a fraction
      } else if (cell.has_decimal_value() && cell.decimal_value().scale() > 0) {
        int64_t pow = 1;
        for (int i = 0; i < cell.decimal_value().scale(); ++i) pow *= 10;
        fractional = cell.decimal_value().units() % pow != 0;
      }
      int64_t magnitude_units = cell.has_decimal_value() ? cell.decimal_value().units() : cell.int_value();
      if (magnitude_units > kMaxCount || magnitude_units < -kMaxCount) {
        v1::Finding& f = sink.Fail(absl::StrCat("“", cell.key(), "”的数值（", cell.raw(), "）大得不合常理"),
                                   absl::StrCat(cell.key(), " holds an implausibly large number (", cell.raw(), ")"));
        AddCell(&f, r, cell.key());
        f.set_expected("a count below 10^15");
      } else if (negative && !IsSignedCell(cell.key())) {
        v1::Finding& f = sink.Fail(absl::StrCat("“", cell.key(), "”为负数（", cell.raw(), "），件数和金额不能为负"),
                                   absl::StrCat(cell.key(), " is negative (", cell.raw(), ")"));
        AddCell(&f, r, cell.key());
        f.set_expected(">= 0");
      } else if (fractional && !decimal_cell) {
        v1::Finding& f = sink.Fail(absl::StrCat("“", cell.key(), "”为小数（", cell.raw(), "），件数应为整数"),
                                   absl::StrCat(cell.key(), " is not a whole number (", cell.raw(), ")"));
        AddCell(&f, r, cell.key());
        f.set_expected("a whole number");
      }
    }
  }
}

}  // namespace

void RegisterStructureRules(RuleRegistry& registry) {
  registry.Add({"structure.sections", v1::SEVERITY_WARNING, "六个部分齐全、各出现一次且顺序正确",
                "the six sections are present, once each, in order", CheckSections, nullptr});
  registry.Add({"structure.tables", v1::SEVERITY_ERROR, "表二、表三、表四齐全", "tables 2, 3 and 4 are present",
                CheckTables, nullptr});
  registry.Add({"structure.shape", v1::SEVERITY_ERROR, "所用模板的每一格都已读到；数值个数不对的行注明所在行",
                "every cell of the detected version was found; rows with too few or too many values are "
                "reported with their line",
                CheckShape, nullptr});
  registry.Add({"structure.version", v1::SEVERITY_ERROR, "表格模板与报告年度相符（2021 年起 v2021；2019–2020 年 v2019）",
                "the table structure matches the report year (2021+ v2021; 2019-2020 v2019)", CheckVersion, nullptr});
  registry.Add({"cell.missing", v1::SEVERITY_WARNING, "应填数字的格为空白或占位符（/、-、无）",
                "a blank or placeholder (/, -, 无) where a number belongs", CheckMissing, nullptr});
  registry.Add({"cell.number", v1::SEVERITY_ERROR, "件数为非负整数（v2019 的“本年增/减”可为负）；收费金额为非负小数",
                "counts are integers >= 0 (v2019 本年增/减 may be negative); the fee is a decimal >= 0",
                CheckNumber, nullptr});
}

}  // namespace gongkai::validator
