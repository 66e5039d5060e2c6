#include "services/aggregator/exports.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"
#include "google/protobuf/util/json_util.h"
#include "services/aggregator/summary.h"

namespace gongkai::aggregator {
namespace {

int64_t SumOf(const v1::NodeAggregate& n, const std::string& key) {
  auto s = n.sums().find("v2021");
  if (s == n.sums().end()) return 0;
  auto c = s->second.cells().find(key);
  return c == s->second.cells().end() ? 0 : c->second;
}

std::string SumText(const v1::NodeAggregate& n, const std::string& key) {
  return IsDecimalCell(key) ? AmountText(SumOf(n, key)) : absl::StrCat(SumOf(n, key));
}

std::string Percent(double share) { return absl::StrFormat("%.1f%%", share * 100); }

std::string Html(absl::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

const char* SeverityText(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_ERROR:
      return "ERROR";
    case v1::SEVERITY_WARNING:
      return "WARNING";
    default:
      return "INFO";
  }
}

// The v2021 table rows and their columns, with the template's labels.
struct TableLayout {
  const char* title;
  TableId table;
  std::vector<std::string> headers;
};

std::vector<TableLayout> Layouts() {
  return {
      {"表二 主动公开政府信息情况", TableId::kT2, {"信息内容", "本年制发件数 / 本年处理决定数量 / 本年收费金额（万元）", "本年废止件数", "现行有效件数"}},
      {"表三 收到和处理政府信息公开申请情况", TableId::kT3,
       {"申请情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}},
      {"表四 政府信息公开行政复议、行政诉讼情况", TableId::kT4, {"类别", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}},
  };
}

std::string RowLabel(const RowSpec& row, TableId table) {
  if (table != TableId::kT4) return row.label;
  return row.label;
}

}  // namespace

std::string CsvField(const std::string& text) {
  bool quote = text.find_first_of(",\"\n\r") != std::string::npos;
  if (!quote) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  out += "\"";
  return out;
}

std::string SummaryJson(const v1::Summary& summary) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(summary, &json, options);
  return json;
}

std::string RegionsCsv(const v1::Summary& summary) {
  const auto& keys = AllCellKeys(v1::TEMPLATE_VERSION_V2021);
  std::string out = "region_code,name,level,reports,reports_with_errors,reports_with_warnings,reports_clean,"
                    "reports_excluded,applications_received,granted_share,partially_granted_share,"
                    "review_correction_rate,litigation_correction_rate,fees_wan_yuan";
  for (const std::string& k : keys) absl::StrAppend(&out, ",", k);
  out += "\n";
  std::vector<const v1::SummaryNode*> nodes = {&summary.total()};
  for (const v1::SummaryNode& n : summary.nodes()) nodes.push_back(&n);
  for (const v1::SummaryNode* n : nodes) {
    const v1::NodeAggregate& t = n->totals();
    const v1::Indicators& ind = n->indicators();
    absl::StrAppend(&out, CsvField(n->code()), ",", CsvField(n->name()), ",", n->level(), ",", t.reports(), ",",
                    t.reports_with_errors(), ",", t.reports_with_warnings(), ",", t.reports_clean(), ",",
                    t.reports_excluded(), ",", ind.applications_received(), ",",
                    absl::StrFormat("%.6f,%.6f,%.6f,%.6f", ind.granted_share(), ind.partially_granted_share(),
                                    ind.review_correction_rate(), ind.litigation_correction_rate()),
                    ",", ind.fees_wan_yuan());
    for (const std::string& k : keys) absl::StrAppend(&out, ",", SumText(t, k));
    out += "\n";
  }
  return out;
}

std::string ReportsCsv::Header() {
  std::string out = "file,agency,region_code,level,scope,year,version,errors,warnings";
  for (const std::string& k : AllCellKeys(v1::TEMPLATE_VERSION_V2021)) absl::StrAppend(&out, ",", k);
  return out + "\n";
}

std::string ReportsCsv::Row(const std::string& file, const v1::AnnualReport& report,
                            const std::vector<v1::Finding>& findings, const Placement& place) {
  int errors = 0, warnings = 0;
  for (const v1::Finding& f : findings) {
    if (f.outcome() != v1::OUTCOME_FAILED) continue;
    if (f.severity() == v1::SEVERITY_ERROR) ++errors;
    if (f.severity() == v1::SEVERITY_WARNING) ++warnings;
  }
  std::string out = absl::StrCat(CsvField(file), ",", CsvField(report.agency()), ",", place.region, ",", place.level, ",",
                                 place.area ? "area" : "organ", ",", report.report_year(), ",",
                                 VersionName(report.version()), ",", errors, ",", warnings);
  for (const std::string& k : AllCellKeys(v1::TEMPLATE_VERSION_V2021)) {
    const v1::Cell* cell = FindCell(report, k);
    std::string v = cell == nullptr ? "" : CellValueText(*cell);
    absl::StrAppend(&out, ",", v == "null" ? "" : v);
  }
  return out + "\n";
}

absl::Status WriteXlsx(const v1::Summary& summary, const std::vector<FindingRow>& findings, const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot create the workbook"));
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  format_set_border(bold, LXW_BORDER_THIN);
  lxw_format* cell_fmt = workbook_add_format(workbook);
  format_set_border(cell_fmt, LXW_BORDER_THIN);
  const v1::NodeAggregate& total = summary.total().totals();
  for (const TableLayout& layout : Layouts()) {
    std::string sheet_name = std::string(layout.title).substr(0, std::string(layout.title).find(' '));
    lxw_worksheet* ws = workbook_add_worksheet(workbook, sheet_name.c_str());
    worksheet_write_string(ws, 0, 0, layout.title, bold);
    worksheet_write_string(ws, 1, 0, absl::StrCat("汇总报告数（v2021，已剔除有错误的报告）：",
                                                  total.sums().count("v2021") ? total.sums().at("v2021").reports() : 0)
                                         .c_str(),
                           nullptr);
    for (size_t c = 0; c < layout.headers.size(); ++c) {
      worksheet_write_string(ws, 3, static_cast<lxw_col_t>(c), layout.headers[c].c_str(), bold);
    }
    worksheet_set_column(ws, 0, 0, 48, nullptr);
    lxw_row_t r = 4;
    for (const RowSpec& row : TableRows(layout.table, v1::TEMPLATE_VERSION_V2021)) {
      worksheet_write_string(ws, r, 0, RowLabel(row, layout.table).c_str(), cell_fmt);
      for (size_t c = 0; c < row.columns.size(); ++c) {
        std::string key = absl::StrCat(row.key, ".", row.columns[c]);
        if (IsDecimalCell(key)) {
          worksheet_write_number(ws, r, static_cast<lxw_col_t>(c + 1), static_cast<double>(SumOf(total, key)) / 1e6,
                                 cell_fmt);
        } else {
          worksheet_write_number(ws, r, static_cast<lxw_col_t>(c + 1), static_cast<double>(SumOf(total, key)), cell_fmt);
        }
      }
      ++r;
    }
  }
  lxw_worksheet* regions = workbook_add_worksheet(workbook, "地区汇总");
  const char* headers[] = {"地区代码", "地区", "层级", "报告数", "有错误", "仅有警告", "无问题", "未计入汇总", "收到申请",
                           "予以公开占比", "行政复议纠错率", "收费（万元）"};
  for (int c = 0; c < 12; ++c) worksheet_write_string(regions, 0, static_cast<lxw_col_t>(c), headers[c], bold);
  lxw_row_t r = 1;
  std::vector<const v1::SummaryNode*> nodes = {&summary.total()};
  for (const v1::SummaryNode& n : summary.nodes()) nodes.push_back(&n);
  for (const v1::SummaryNode* n : nodes) {
    const v1::NodeAggregate& t = n->totals();
    worksheet_write_string(regions, r, 0, n->code().c_str(), nullptr);
    worksheet_write_string(regions, r, 1, n->name().c_str(), nullptr);
    worksheet_write_string(regions, r, 2, n->level().c_str(), nullptr);
    worksheet_write_number(regions, r, 3, static_cast<double>(t.reports()), nullptr);
    worksheet_write_number(regions, r, 4, static_cast<double>(t.reports_with_errors()), nullptr);
    worksheet_write_number(regions, r, 5, static_cast<double>(t.reports_with_warnings()), nullptr);
    worksheet_write_number(regions, r, 6, static_cast<double>(t.reports_clean()), nullptr);
    worksheet_write_number(regions, r, 7, static_cast<double>(t.reports_excluded()), nullptr);
    worksheet_write_number(regions, r, 8, static_cast<double>(n->indicators().applications_received()), nullptr);
    worksheet_write_number(regions, r, 9, n->indicators().granted_share(), nullptr);
    worksheet_write_number(regions, r, 10, n->indicators().review_correction_rate(), nullptr);
    worksheet_write_string(regions, r, 11, n->indicators().fees_wan_yuan().c_str(), nullptr);
    ++r;
  }
  lxw_worksheet* list = workbook_add_worksheet(workbook, "问题清单");
  const char* fheaders[] = {"文件", "机关", "地区代码", "规则", "级别", "单元格", "数值", "应为", "说明", "位置（行）"};
  for (int c = 0; c < 10; ++c) worksheet_write_string(list, 0, static_cast<lxw_col_t>(c), fheaders[c], bold);
  r = 1;
  for (const FindingRow& row : findings) {
    const v1::Finding& f = row.finding;
    worksheet_write_string(list, r, 0, row.file.c_str(), nullptr);
    worksheet_write_string(list, r, 1, row.agency.c_str(), nullptr);
    worksheet_write_string(list, r, 2, row.region.c_str(), nullptr);
    worksheet_write_string(list, r, 3, f.rule_id().c_str(), nullptr);
    worksheet_write_string(list, r, 4, f.outcome() == v1::OUTCOME_UNVERIFIABLE ? "UNCHECKED" : SeverityText(f.severity()),
                           nullptr);
    worksheet_write_string(list, r, 5, absl::StrJoin(f.cells(), " ").c_str(), nullptr);
    worksheet_write_string(list, r, 6, absl::StrJoin(f.values(), " ").c_str(), nullptr);
    worksheet_write_string(list, r, 7, f.expected().c_str(), nullptr);
    worksheet_write_string(list, r, 8, f.message().c_str(), nullptr);
    if (f.positions_size() > 0) worksheet_write_number(list, r, 9, f.positions(0).line(), nullptr);
    ++r;
  }
  lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat(path, ": the workbook could not be written: ", lxw_strerror(error)));
  }
  return absl::OkStatus();
}

std::string SummaryHtml(const v1::Summary& summary, const std::vector<FindingRow>& findings) {
  const v1::NodeAggregate& total = summary.total().totals();
  std::string out =
      "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>政府信息公开工作年度报告 汇总</title><style>"
      "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
      "td,th{border:1px solid #999;padding:2px 6px;text-align:right}td:first-child,th:first-child{text-align:left}"
      ".error{color:#b00}.warning{color:#a60}svg text{font-size:11px}</style></head><body>";
  absl::StrAppend(&out, "<h1>政府信息公开工作年度报告 汇总</h1><p>报告 ", total.reports(), " 份：有错误 ",
                  total.reports_with_errors(), "，仅有警告 ", total.reports_with_warnings(), "，无问题 ",
                  total.reports_clean(), "；未计入汇总 ", total.reports_excluded(), " 份（有错误）。</p>");
  const v1::Indicators& ind = summary.total().indicators();
  absl::StrAppend(&out, "<p>收到申请 ", ind.applications_received(), " 件，办理 ", ind.applications_handled(),
                  " 件；予以公开 ", Percent(ind.granted_share()), "，部分公开 ", Percent(ind.partially_granted_share()),
                  "；行政复议纠错率 ", Percent(ind.review_correction_rate()), "，行政诉讼纠错率 ",
                  Percent(ind.litigation_correction_rate()), "；行政事业性收费 ", Html(ind.fees_wan_yuan()), " 万元。</p>");
  for (const TableLayout& layout : Layouts()) {
    absl::StrAppend(&out, "<h2>", Html(layout.title), "</h2><table><tr>");
    for (const std::string& h : layout.headers) absl::StrAppend(&out, "<th>", Html(h), "</th>");
    out += "</tr>";
    for (const RowSpec& row : TableRows(layout.table, v1::TEMPLATE_VERSION_V2021)) {
      absl::StrAppend(&out, "<tr><td>", Html(row.label), "</td>");
      for (const std::string& col : row.columns) absl::StrAppend(&out, "<td>", SumText(total, absl::StrCat(row.key, ".", col)), "</td>");
      out += "</tr>";
    }
    out += "</table>";
  }
  // Regions with stacked bars: errors, warnings only, clean.
  out += "<h2>各地区</h2>";
  int64_t widest = 1;
  for (const v1::SummaryNode& n : summary.nodes()) widest = std::max<int64_t>(widest, n.totals().reports());
  int height = 18 * std::max(1, summary.nodes_size()) + 10;
  absl::StrAppend(&out, "<svg width=\"760\" height=\"", height, "\">");
  int y = 4;
  for (const v1::SummaryNode& n : summary.nodes()) {
    const v1::NodeAggregate& t = n.totals();
    double scale = 400.0 / static_cast<double>(widest);
    double x = 320;
    absl::StrAppend(&out, "<text x=\"0\" y=\"", y + 12, "\">", Html(n.name().substr(0, 90)), "</text>");
    for (auto [count, color] : {std::pair{t.reports_with_errors(), "#c33"}, std::pair{t.reports_with_warnings(), "#e93"},
                                std::pair{t.reports_clean(), "#4a4"}}) {
      double w = static_cast<double>(count) * scale;
      absl::StrAppend(&out, absl::StrFormat("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>", x, y, w, color));
      x += w;
    }
    absl::StrAppend(&out, absl::StrFormat("<text x=\"%.1f\" y=\"%d\">%d</text>", x + 4, y + 12, t.reports()));
    y += 18;
  }
  out += "</svg><p><span class=\"error\">■</span> 有错误 <span class=\"warning\">■</span> 仅有警告 <span style=\"color:#4a4\">■</span> 无问题</p>";
  out += "<h2>最常见的问题</h2><table><tr><th>规则</th><th>次数</th></tr>";
  for (const std::string& rule : summary.top_rules()) {
    size_t colon = rule.rfind(": ");
    absl::StrAppend(&out, "<tr><td>", Html(rule.substr(0, colon)), "</td><td>", Html(rule.substr(colon + 2)), "</td></tr>");
  }
  out += "</table>";
  if (summary.coverage_size() > 0) {
    out += "<h2>应报未报、重复报送</h2><table><tr><th>机关</th><th>地区代码</th><th>报送份数</th></tr>";
    for (const v1::CoverageGap& gap : summary.coverage()) {
      absl::StrAppend(&out, "<tr><td>", Html(gap.agency()), "</td><td>", Html(gap.region_code()), "</td><td>", gap.filed(),
                      "</td></tr>");
    }
    out += "</table>";
  }
  if (summary.rollup_size() > 0) {
    out += "<h2>汇总报告与机关报告之和不一致（rollup.sum）</h2><table><tr><th>说明</th><th>单元格</th><th>汇总报告</th><th>应为</th></tr>";
    for (const v1::Finding& f : summary.rollup()) {
      absl::StrAppend(&out, "<tr><td>", Html(f.message()), "</td><td>", Html(absl::StrJoin(f.cells(), ", ")), "</td><td>",
                      Html(absl::StrJoin(f.values(), " ")), "</td><td>", Html(f.expected()), "</td></tr>");
    }
    out += "</table>";
  }
  // Findings by region, then rule.
  std::map<std::string, std::map<std::string, std::vector<const FindingRow*>>> grouped;
  for (const FindingRow& row : findings) {
    if (row.finding.outcome() != v1::OUTCOME_FAILED) continue;
    grouped[row.region][row.finding.rule_id()].push_back(&row);
  }
  out += "<h2>问题清单（按地区、规则）</h2>";
  for (const auto& [region, rules] : grouped) {
    absl::StrAppend(&out, "<details><summary>", Html(region.empty() ? "地区未知" : region), "</summary>");
    for (const auto& [rule, rows] : rules) {
      absl::StrAppend(&out, "<h3>", Html(rule), "（", rows.size(), "）</h3><ul>");
      for (const FindingRow* row : rows) {
        absl::StrAppend(&out, "<li class=\"", row->finding.severity() == v1::SEVERITY_ERROR ? "error" : "warning", "\">",
                        Html(row->agency.empty() ? row->file : row->agency), "：", Html(row->finding.message()), "</li>");
      }
      out += "</ul>";
    }
    out += "</details>";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace gongkai::aggregator
