#include "tests/testing/report_text.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"

namespace gongkai::testing {
namespace {

std::string Row(const std::vector<std::string>& cells, Layout layout) {
  switch (layout) {
    case Layout::kTabs:
      return absl::StrJoin(cells, "\t") + "\n";
    case Layout::kPipes: {
      std::string out;
      for (const std::string& c : cells) absl::StrAppend(&out, c, " |\n");
      return out;
    }
    case Layout::kCellPerLine: {
      std::string out;
      for (const std::string& c : cells) absl::StrAppend(&out, "\t", c, "\n");
      return out + "\n";
    }
    case Layout::kMarkdown:
      return absl::StrCat("| ", absl::StrJoin(cells, " | "), " |\n");
    case Layout::kSpaces:
      return absl::StrJoin(cells, " ") + "\n";
  }
  return "";
}

std::string Sep(size_t n, Layout layout) {
  if (layout != Layout::kMarkdown) return "";
  std::vector<std::string> dashes(n, "---");
  return absl::StrCat("|", absl::StrJoin(dashes, "|"), "|\n");
}

}  // namespace

std::map<std::string, std::string> DistinctValues(v1::TemplateVersion version) {
  std::map<std::string, std::string> out;
  const auto& keys = AllCellKeys(version);
  for (size_t i = 0; i < keys.size(); ++i) {
    out[keys[i]] = IsDecimalCell(keys[i]) ? absl::StrCat((i * 7) % 97, ".25") : absl::StrCat((i * 7) % 97);
  }
  return out;
}

std::string RenderReport(const std::map<std::string, std::string>& cells, v1::TemplateVersion version,
                         Layout layout, const std::string& agency, int year) {
  bool v2019 = version == v1::TEMPLATE_VERSION_V2019;
  auto value = [&](const std::string& key) {
    auto it = cells.find(key);
    return it == cells.end() ? std::string("-") : it->second;
  };
  std::string out = absl::StrCat(agency, year, "年政府信息公开工作年度报告\n\n");
  absl::StrAppend(&out, "本报告所列数据的统计期限自", year, "年1月1日起至", year, "年12月31日止。\n\n");
  absl::StrAppend(&out, "一、总体情况\n", year, "年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。\n\n");
  absl::StrAppend(&out, "二、主动公开政府信息情况\n\n");
  // Table 二.
  std::vector<std::string> t2_header =
      v2019 ? std::vector<std::string>{"信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"}
            : std::vector<std::string>{"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"};
  for (const RowSpec& row : TableRows(TableId::kT2, version)) {
    std::vector<std::string> line = {row.label};
    if (row.key == "t2.rules") {
      absl::StrAppend(&out, Row({"第二十条第（一）项"}, layout), Row(t2_header, layout), Sep(t2_header.size(), layout));
    }
    if (row.key == "t2.licensing") {
      std::vector<std::string> h = v2019 ? std::vector<std::string>{"信息内容", "上一年项目数量", "本年增/减", "处理决定数量"}
                                         : std::vector<std::string>{"信息内容", "本年处理决定数量"};
      absl::StrAppend(&out, Row({"第二十条第（五）项"}, layout), Row(h, layout), Sep(h.size(), layout));
    }
    if (row.key == "t2.fees") {
      std::vector<std::string> h = v2019 ? std::vector<std::string>{"信息内容", "上一年项目数量", "本年增/减"}
                                         : std::vector<std::string>{"信息内容", "本年收费金额（单位：万元）"};
      absl::StrAppend(&out, Row({"第二十条第（八）项"}, layout), Row(h, layout), Sep(h.size(), layout));
    }
    if (row.key == "t2.procurement") {
      std::vector<std::string> h = {"信息内容", "采购项目数量", "采购总金额"};
      absl::StrAppend(&out, Row({"第二十条第（九）项"}, layout), Row(h, layout), Sep(h.size(), layout));
    }
    for (const std::string& col : row.columns) line.push_back(value(absl::StrCat(row.key, ".", col)));
    absl::StrAppend(&out, Row(line, layout));
  }
  absl::StrAppend(&out, "\n三、收到和处理政府信息公开申请情况\n\n");
  std::vector<std::string> t3_header = {"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                                        "申请人情况", "自然人", "法人或其他组织", "总计"};
  std::vector<std::string> t3_header2 = {"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"};
  absl::StrAppend(&out, Row(t3_header, layout), Sep(t3_header.size(), layout), Row(t3_header2, layout));
  for (const RowSpec& row : TableRows(TableId::kT3, version)) {
    std::vector<std::string> line;
    if (row.key == "t3.granted") line.push_back("三、本年度办理结果");
    if (row.key == "t3.denied_state_secret") line.push_back("（三）不予公开");
    if (row.key == "t3.unable_not_held") line.push_back("（四）无法提供");
    if (row.key == "t3.rejected_petition") line.push_back("（五）不予处理");
    if (row.key == "t3.other_overdue_correction") line.push_back("（六）其他处理");
    line.push_back(row.label);
    for (const std::string& col : row.columns) line.push_back(value(absl::StrCat(row.key, ".", col)));
    absl::StrAppend(&out, Row(line, layout));
  }
  absl::StrAppend(&out, "\n四、政府信息公开行政复议、行政诉讼情况\n\n");
  absl::StrAppend(&out, Row({"行政复议", "行政诉讼"}, layout), Row({"未经复议直接起诉", "复议后起诉"}, layout));
  std::vector<std::string> results = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
  std::vector<std::string> header, values;
  for (const std::string& g : Table4Groups()) {
    for (size_t r = 0; r < results.size(); ++r) {
      header.push_back(results[r]);
      values.push_back(value(absl::StrCat("t4.", g, ".", Table4Results()[r])));
    }
  }
  absl::StrAppend(&out, Row(header, layout), Sep(header.size(), layout), Row(values, layout));
  absl::StrAppend(&out, "\n五、存在的主要问题及改进情况\n一是公开内容不够全面。下一步将加强培训，提升公开质量。\n\n");
  absl::StrAppend(&out, "六、其他需要报告的事项\n本年度未收取信息处理费。\n");
  return out;
}

}  // namespace gongkai::testing
