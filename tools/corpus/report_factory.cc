#include "tools/corpus/report_factory.h"

#include <algorithm>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/schema.h"

namespace gongkai::corpus {

void SetCellText(v1::AnnualReport* report, const std::string& key, const std::string& value) {
  v1::Cell* cell = FindMutableCell(report, key);
  if (cell == nullptr) return;
  cell->clear_value();
  cell->set_raw(value);
  if (value == "null") {
    cell->set_state(v1::CELL_STATE_MISSING);
    cell->clear_raw();
  } else if (value == "/" || value == "-" || value == "无" || value.empty()) {
    cell->set_state(v1::CELL_STATE_PLACEHOLDER);
  } else if (value.find('.') != std::string::npos) {
    cell->set_state(v1::CELL_STATE_PRESENT);
    size_t dot = value.find('.');
    std::string digits = value.substr(0, dot) + value.substr(dot + 1);
    cell->mutable_decimal_value()->set_units(std::stoll(digits));
    cell->mutable_decimal_value()->set_scale(static_cast<int>(value.size() - dot - 1));
  } else {
    cell->set_state(v1::CELL_STATE_PRESENT);
    if (IsDecimalCell(key)) {
      cell->mutable_decimal_value()->set_units(std::stoll(value));
      cell->mutable_decimal_value()->set_scale(0);
    } else {
      cell->set_int_value(std::stoll(value));
    }
  }
}

std::string CellText(const v1::AnnualReport& report, const std::string& key) {
  const v1::Cell* cell = FindCell(report, key);
  return cell == nullptr ? "null" : CellValueText(*cell);
}

v1::AnnualReport ConsistentReport(uint32_t seed, v1::TemplateVersion version, int year, const std::string& agency,
                                  int applications_scale) {
  std::mt19937 rng(seed);
  auto small = [&](int max) { return static_cast<int64_t>(rng() % static_cast<uint32_t>(max + 1)); };
  v1::AnnualReport report;
  report.set_agency(agency);
  report.set_title(absl::StrCat(agency, year, "年政府信息公开工作年度报告"));
  report.set_report_year(year);
  report.set_title_year(year);
  report.set_period_year(year);
  report.set_version(version);
  report.set_version_evidence("table 二 column labels");
  report.set_fee_unit("万元");
  InitTables(version, &report);
  for (v1::Table* t : {report.mutable_table2(), report.mutable_table3(), report.mutable_table4()}) t->set_present(true);
  const char* headings[] = {"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                            "六、其他需要报告的事项"};
  std::string texts[] = {
      absl::StrCat(year, "年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，围绕第", seed % 97,
                   "项重点工作推进政务公开，主动公开各类信息", 100 + seed % 900, "条。"),
      "", "", "",
      absl::StrCat("一是公开内容的针对性有待加强，二是政策解读形式较为单一。下一步将加强培训，丰富解读形式，提升公开质量（编号",
                   seed, "）。"),
      "本年度未收取政府信息公开信息处理费。"};
  for (int i = 0; i < 6; ++i) {
    v1::Section* s = report.add_sections();
    s->set_number(i + 1);
    s->set_heading(headings[i]);
    s->set_text(texts[i]);
    s->mutable_position()->set_line(10 * (i + 1));
  }
  // Table 二.
  for (const RowSpec& row : TableRows(TableId::kT2, version)) {
    for (const std::string& col : row.columns) {
      std::string key = absl::StrCat(row.key, ".", col);
      int64_t v = row.key == "t2.rules" ? 0 : small(40);
      SetCellText(&report, key, IsDecimalCell(key) ? absl::StrCat(small(900), ".5") : absl::StrCat(v));
    }
  }
  if (version != v1::TEMPLATE_VERSION_V2019) {
    int64_t issued = small(5), repealed = small(3), in_force = 10 + small(40);
    SetCellText(&report, "t2.normative_docs.issued", absl::StrCat(issued));
    SetCellText(&report, "t2.normative_docs.repealed", absl::StrCat(repealed));
    SetCellText(&report, "t2.normative_docs.in_force", absl::StrCat(in_force));
  }
  // Table 三: per applicant column, results then totals; the total column adds the six.
  const auto& cols = Table3Columns();
  const auto& results = Table3ResultRows(version);
  std::map<std::string, int64_t> col_total;
  for (size_t c = 0; c + 1 < cols.size(); ++c) {
    int scale = c == 0 ? applications_scale : applications_scale / 7;
    int64_t total = 0;
    for (const std::string& row : results) {
      int64_t v = small(scale);
      if (rng() % 3 == 0) v = 0;
      total += v;
      SetCellText(&report, absl::StrCat(row, ".", cols[c]), absl::StrCat(v));
    }
    int64_t carried_over = small(scale / 2 + 1);
    int64_t carried_forward = small(static_cast<int>(std::min<int64_t>(total + carried_over, scale / 2 + 1)));
    if (carried_forward > total + carried_over) carried_forward = total + carried_over;
    int64_t received_new = total + carried_forward - carried_over;
    if (received_new < 0) {
      carried_over += received_new;
      received_new = 0;
    }
    SetCellText(&report, absl::StrCat("t3.total.", cols[c]), absl::StrCat(total));
    SetCellText(&report, absl::StrCat("t3.carried_over.", cols[c]), absl::StrCat(carried_over));
    SetCellText(&report, absl::StrCat("t3.carried_forward.", cols[c]), absl::StrCat(carried_forward));
    SetCellText(&report, absl::StrCat("t3.received_new.", cols[c]), absl::StrCat(received_new));
  }
  for (const RowSpec& row : TableRows(TableId::kT3, version)) {
    int64_t sum = 0;
    for (size_t c = 0; c + 1 < cols.size(); ++c) sum += FindCell(report, absl::StrCat(row.key, ".", cols[c]))->int_value();
    SetCellText(&report, absl::StrCat(row.key, ".total"), absl::StrCat(sum));
  }
  // Table 四.
  for (const std::string& g : Table4Groups()) {
    int64_t sum = 0;
    for (const std::string& r : Table4Results()) {
      if (r == "total") continue;
      int64_t v = small(3);
      sum += v;
      SetCellText(&report, absl::StrCat("t4.", g, ".", r), absl::StrCat(v));
    }
    SetCellText(&report, absl::StrCat("t4.", g, ".total"), absl::StrCat(sum));
  }
  return report;
}

}  // namespace gongkai::corpus
