#include "tools/corpus/report_text.h"

#include <iconv.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"

namespace gongkai::corpus {
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

std::string Encode(const std::string& utf8, const std::string& charset) {
  iconv_t cd = iconv_open(charset.c_str(), "UTF-8");
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t out_left = out.size();
  iconv(cd, &in, &in_left, &o, &out_left);
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

std::string RenderHtml(const std::map<std::string, std::string>& cells, v1::TemplateVersion version,
                       const std::string& agency, int year) {
  bool v2019 = version == v1::TEMPLATE_VERSION_V2019;
  auto value = [&](const std::string& key) {
    auto it = cells.find(key);
    std::string v = it == cells.end() ? std::string("-") : it->second;
    return absl::StrCat("<td><p class=\"MsoNormal\"><span style=\"font-family:Calibri\">", v,
                        "&nbsp;</span></p></td>");
  };
  auto td = [](const std::string& text, int rowspan = 1, int colspan = 1) {
    std::string attrs;
    if (rowspan > 1) absl::StrAppend(&attrs, " rowspan=\"", rowspan, "\"");
    if (colspan > 1) absl::StrAppend(&attrs, " colspan=\"", colspan, "\"");
    return absl::StrCat("<td", attrs, "><p>", text, "</p></td>");
  };
  std::string out = absl::StrCat(
      "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">",
      "<title>", agency, year, "年政府信息公开工作年度报告_政府信息公开年报_某某网</title>",
      "<style>td{border:1px solid #000}</style><script>var nav = '一、总体情况 <table>';</script></head><body>",
      "<div class=\"nav\"><a href=\"/\">首页</a> | <a>政府信息公开</a> | <a>政府工作报告</a></div>",
      "<table class=\"layout\"><tr><td class=\"side\">栏目导航</td><td class=\"main\">",
      "<h1>", agency, year, "年政府信息公开工作年度报告</h1>",
      "<p>本报告所列数据的统计期限自", year, "年1月1日起至", year, "年12月31日止。</p>",
      "<p>一、总体情况</p><p>", year, "年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。</p>",
      "<p>二、主动公开政府信息情况</p><table border=\"1\"><tbody>");
  // Table 二.
  for (const RowSpec& row : TableRows(TableId::kT2, version)) {
    if (row.key == "t2.rules") {
      absl::StrAppend(&out, "<tr>", td("第二十条第（一）项", 1, 4), "</tr><tr>", td("信息内容"),
                      v2019 ? td("本年新制作数量") + td("本年新公开数量") + td("对外公开总数量")
                            : td("本年制发件数") + td("本年<br/>废止件数") + td("现行有效件数"),
                      "</tr>");
    }
    if (row.key == "t2.licensing") {
      absl::StrAppend(&out, "<tr>", td("第二十条第（五）项", 1, 4), "</tr><tr>", td("信息内容"),
                      v2019 ? td("上一年项目数量") + td("本年增/减") + td("处理决定数量") : td("本年处理决定数量", 1, 3),
                      "</tr>");
    }
    if (row.key == "t2.fees") {
      absl::StrAppend(&out, "<tr>", td("第二十条第（八）项", 1, 4), "</tr><tr>", td("信息内容"),
                      v2019 ? td("上一年项目数量") + td("本年增/减") : td("本年收费金额（单位：万元）", 1, 3), "</tr>");
    }
    if (row.key == "t2.procurement") {
      absl::StrAppend(&out, "<tr>", td("第二十条第（九）项", 1, 4), "</tr><tr>", td("信息内容"), td("采购项目数量"),
                      td("采购总金额"), "</tr>");
    }
    absl::StrAppend(&out, "<tr>", td(row.label));
    for (const std::string& col : row.columns) absl::StrAppend(&out, value(absl::StrCat(row.key, ".", col)));
    absl::StrAppend(&out, "</tr>");
  }
  absl::StrAppend(&out, "</tbody></table><p>三、收到和处理政府信息公开申请情况</p><table border=\"1\">");
  absl::StrAppend(&out, "<tr>", td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
                  td("申请人情况", 1, 7), "</tr><tr>", td("自/然/人", 2), td("法人或其他组织", 1, 5), td("总计", 2),
                  "</tr><tr>", td("商业<br/>企业"), td("科研<br/>机构"), td("社会公益组织"), td("法律服务机构"), td("其他"),
                  "</tr>");
  const auto& rows = TableRows(TableId::kT3, version);
  for (const RowSpec& row : rows) {
    std::string lead;
    if (row.key == "t3.received_new" || row.key == "t3.carried_over" || row.key == "t3.carried_forward") {
      lead = td(row.label, 1, 3);
    } else if (row.key == "t3.granted") {
      lead = td("三、<br/>本<br/>年<br/>度<br/>办<br/>理<br/>结<br/>果", v2019 ? 20 : 22) + td(row.label, 1, 2);
    } else if (row.key == "t3.partially_granted" || row.key == "t3.total" || row.key == "t3.other_processing") {
      lead = td(row.label, 1, 2);
    } else if (row.key == "t3.denied_state_secret") {
      lead = td("（三）不予公开", 8) + td(row.label);
    } else if (row.key == "t3.unable_not_held") {
      lead = td("（四）无法提供", 3) + td(row.label);
    } else if (row.key == "t3.rejected_petition") {
      lead = td("（五）不予处理", 5) + td(row.label);
    } else if (row.key == "t3.other_overdue_correction") {
      lead = td("（六）其他处理", 3) + td(row.label);
    } else {
      lead = td(row.label);
    }
    absl::StrAppend(&out, "<tr>", lead);
    for (const std::string& col : row.columns) absl::StrAppend(&out, value(absl::StrCat(row.key, ".", col)));
    absl::StrAppend(&out, "</tr>");
  }
  absl::StrAppend(&out, "</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table border=\"1\"><tr>", td("行政复议", 1, 5),
                  td("行政诉讼", 1, 10), "</tr><tr>", td("结果维持", 2), td("结果<br/>纠正", 2), td("其他<br/>结果", 2),
                  td("尚未<br/>审结", 2), td("总计", 2), td("未经复议直接起诉", 1, 5), td("复议后起诉", 1, 5), "</tr><tr>");
  for (int i = 0; i < 2; ++i) {
    absl::StrAppend(&out, td("结果<br/>维持"), td("结果<br/>纠正"), td("其他<br/>结果"), td("尚未<br/>审结"), td("总计"));
  }
  absl::StrAppend(&out, "</tr><tr>");
  for (const std::string& g : Table4Groups()) {
    for (const std::string& r : Table4Results()) absl::StrAppend(&out, value(absl::StrCat("t4.", g, ".", r)));
  }
  absl::StrAppend(&out, "</tr></table>",
                  "<p>五、存在的主要问题及改进情况</p><p>一是公开内容不够全面。下一步将加强培训，提升公开质量。</p>",
                  "<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>",
                  "</td></tr></table><div class=\"footer\">主办单位：某某县人民政府办公室 联系电话：0591-12345678</div>",
                  "</body></html>");
  return out;
}

}  // namespace gongkai::corpus
