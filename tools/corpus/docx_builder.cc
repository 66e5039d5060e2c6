#include "tools/corpus/docx_builder.h"

#include <zip.h>

#include "absl/strings/str_cat.h"
#include "common/schema.h"

namespace gongkai::corpus {
namespace {

std::string Run(const std::string& text) { return absl::StrCat("<w:r><w:t xml:space=\"preserve\">", text, "</w:t></w:r>"); }

// A label split into runs of two characters, as Word does after edits.
std::string SplitRuns(const std::string& text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t len = 0, chars = 0;
    while (pos + len < text.size() && chars < 2) {
      unsigned char c = static_cast<unsigned char>(text[pos + len]);
      len += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      ++chars;
    }
    out += Run(text.substr(pos, len));
    pos += len;
  }
  return out;
}

std::string P(const std::string& runs) { return absl::StrCat("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>", runs, "</w:p>"); }

std::string Tc(const std::string& text, int span = 1, const char* vmerge = nullptr) {
  std::string props;
  if (span > 1) absl::StrAppend(&props, "<w:gridSpan w:val=\"", span, "\"/>");
  if (vmerge != nullptr) absl::StrAppend(&props, std::string(vmerge) == "restart" ? "<w:vMerge w:val=\"restart\"/>" : "<w:vMerge/>");
  return absl::StrCat("<w:tc><w:tcPr>", props, "</w:tcPr>", P(text.empty() ? "" : SplitRuns(text)), "</w:tc>");
}

}  // namespace

std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  zip_source_keep(buffer);
  for (const auto& [name, content] : entries) {
    // libzip copies nothing until close; keep the data alive by giving it a copy it frees.
    void* data = malloc(content.size());
    memcpy(data, content.data(), content.size());
    zip_source_t* s = zip_source_buffer(zip, data, content.size(), 1);
    zip_file_add(zip, name.c_str(), s, ZIP_FL_ENC_UTF_8);
  }
  zip_close(zip);
  zip_source_open(buffer);
  zip_source_seek(buffer, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  std::string out(static_cast<size_t>(size), '\0');
  zip_source_read(buffer, out.data(), size);
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

std::string RenderDocumentXml(const std::map<std::string, std::string>& cells, v1::TemplateVersion version,
                              const std::string& agency, int year) {
  bool v2019 = version == v1::TEMPLATE_VERSION_V2019;
  auto value = [&](const std::string& key) {
    auto it = cells.find(key);
    return Tc(it == cells.end() ? "-" : it->second);
  };
  std::string body = P(absl::StrCat("<w:bookmarkStart w:id=\"0\" w:name=\"_GoBack\"/>", SplitRuns(agency),
                                    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> DATE \\@ \"yyyy\" </w:instrText></w:r>"
                                    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
                                    Run(absl::StrCat(year)), "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
                                    SplitRuns("年政府信息公开工作年度报告"), "<w:bookmarkEnd w:id=\"0\"/>"));
  absl::StrAppend(&body, P(Run(absl::StrCat("本报告所列数据的统计期限自", year, "年1月1日起至", year, "年12月31日止。"))));
  absl::StrAppend(&body, P(SplitRuns("一、总体情况")), P(Run("本机关认真贯彻落实政府信息公开条例，全面推进政务公开工作。")));
  absl::StrAppend(&body, P(SplitRuns("二、主动公开政府信息情况")), "<w:tbl>");
  for (const RowSpec& row : TableRows(TableId::kT2, version)) {
    if (row.key == "t2.rules") {
      absl::StrAppend(&body, "<w:tr>", Tc("第二十条第（一）项", 4), "</w:tr><w:tr>", Tc("信息内容"),
                      v2019 ? Tc("本年新制作数量") + Tc("本年新公开数量") + Tc("对外公开总数量")
                            : Tc("本年制发件数") + Tc("本年废止件数") + Tc("现行有效件数"),
                      "</w:tr>");
    }
    if (row.key == "t2.licensing") {
      absl::StrAppend(&body, "<w:tr>", Tc("第二十条第（五）项", 4), "</w:tr><w:tr>", Tc("信息内容"),
                      v2019 ? Tc("上一年项目数量") + Tc("本年增/减") + Tc("处理决定数量") : Tc("本年处理决定数量", 3), "</w:tr>");
    }
    if (row.key == "t2.fees") {
      absl::StrAppend(&body, "<w:tr>", Tc("第二十条第（八）项", 4), "</w:tr><w:tr>", Tc("信息内容"),
                      v2019 ? Tc("上一年项目数量") + Tc("本年增/减") : Tc("本年收费金额（单位：万元）", 3), "</w:tr>");
    }
    if (row.key == "t2.procurement") {
      absl::StrAppend(&body, "<w:tr>", Tc("第二十条第（九）项", 4), "</w:tr><w:tr>", Tc("信息内容"), Tc("采购项目数量"),
                      Tc("采购总金额"), "</w:tr>");
    }
    absl::StrAppend(&body, "<w:tr>", Tc(row.label));
    for (const std::string& col : row.columns) absl::StrAppend(&body, value(absl::StrCat(row.key, ".", col)));
    absl::StrAppend(&body, "</w:tr>");
  }
  absl::StrAppend(&body, "</w:tbl>", P(SplitRuns("三、收到和处理政府信息公开申请情况")), "<w:tbl>");
  absl::StrAppend(&body, "<w:tr>", Tc("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 2),
                  Tc("申请人情况", 7), "</w:tr><w:tr>", Tc("", 2), Tc("自然人"), Tc("商业企业"), Tc("科研机构"),
                  Tc("社会公益组织"), Tc("法律服务机构"), Tc("其他"), Tc("总计"), "</w:tr>");
  for (const RowSpec& row : TableRows(TableId::kT3, version)) {
    std::string lead;
    bool first_result = row.key == "t3.granted";
    bool in_results = !(row.key == "t3.received_new" || row.key == "t3.carried_over" || row.key == "t3.carried_forward");
    if (!in_results) {
      lead = Tc(row.label, 2);
    } else {
      lead = Tc(first_result ? "三、本年度办理结果" : "", 1, first_result ? "restart" : "continue") + Tc(row.label);
    }
    absl::StrAppend(&body, "<w:tr>", lead);
    for (const std::string& col : row.columns) absl::StrAppend(&body, value(absl::StrCat(row.key, ".", col)));
    absl::StrAppend(&body, "</w:tr>");
  }
  absl::StrAppend(&body, "</w:tbl>", P(SplitRuns("四、政府信息公开行政复议、行政诉讼情况")), "<w:tbl><w:tr>",
                  Tc("行政复议", 5), Tc("行政诉讼", 10), "</w:tr><w:tr>");
  for (const char* h : {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}) absl::StrAppend(&body, Tc(h, 1, "restart"));
  absl::StrAppend(&body, Tc("未经复议直接起诉", 5), Tc("复议后起诉", 5), "</w:tr><w:tr>");
  for (int i = 0; i < 5; ++i) absl::StrAppend(&body, Tc("", 1, "continue"));
  for (int g = 0; g < 2; ++g) {
    for (const char* h : {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}) absl::StrAppend(&body, Tc(h));
  }
  absl::StrAppend(&body, "</w:tr><w:tr>");
  for (const std::string& g : Table4Groups()) {
    for (const std::string& r : Table4Results()) absl::StrAppend(&body, value(absl::StrCat("t4.", g, ".", r)));
  }
  absl::StrAppend(&body, "</w:tr></w:tbl>", P(SplitRuns("五、存在的主要问题及改进情况")),
                  P(Run("一是公开内容不够全面。下一步将加强培训，提升公开质量。")), P(SplitRuns("六、其他需要报告的事项")),
                  P(Run("本年度未收取信息处理费。")));
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
      body, "<w:sectPr/></w:body></w:document>");
}

std::string RenderDocx(const std::map<std::string, std::string>& cells, v1::TemplateVersion version,
                       const std::string& agency, int year, const std::function<std::string(std::string)>& transform) {
  std::string xml = RenderDocumentXml(cells, version, agency, year);
  if (transform) xml = transform(std::move(xml));
  return MakeZip({{"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"}, {"word/document.xml", std::move(xml)}});
}

}  // namespace gongkai::corpus
