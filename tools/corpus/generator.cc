#include "tools/corpus/generator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/schema.h"
#include "services/aggregator/regions.h"
#include "tools/corpus/docx_builder.h"
#include "tools/corpus/pdf_writer.h"
#include "tools/corpus/report_factory.h"
#include "tools/corpus/report_text.h"

namespace gongkai::corpus {
namespace {

using aggregator::DefaultRegionTable;
using aggregator::Division;

// The sentences the renderers write, which the generator replaces with each report's own narrative.
constexpr char kSection1Text[] = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。";
constexpr char kSection1Docx[] = "本机关认真贯彻落实政府信息公开条例，全面推进政务公开工作。";
constexpr char kSection5[] = "一是公开内容不够全面。下一步将加强培训，提升公开质量。";
constexpr char kSection6[] = "本年度未收取信息处理费。";

const char* const kDepartments[] = {
    "发展和改革局", "教育局", "科学技术局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局",
    "文化广电和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局",
    "统计局", "医疗保障局", "林业局", "城市管理局", "行政审批局", "信访局", "民族宗教事务局",
    "工业和信息化局", "体育局", "档案局", "机关事务管理局", "人民防空办公室", "乡村振兴局", "数据资源管理局",
    "粮食和物资储备局", "国有资产监督管理委员会", "住房公积金管理中心", "政务服务管理局", "外事办公室",
    "地方金融监督管理局", "营商环境建设监督局", "不动产登记中心", "林业和草原局", "能源局", "文物局",
    "知识产权局", "人民政府办公室"};

const char* const kOverview[] = {
    "坚持以公开为常态、不公开为例外，持续深化政务公开。", "围绕优化营商环境，及时公开惠企政策和办事指南。",
    "加强政府网站和政务新媒体管理，信息发布更加规范。", "严格落实公开属性源头认定，做到应公开尽公开。",
    "做好重大决策预公开，广泛听取公众意见。", "加强政策解读，采用图解、视频等形式解读政策文件。",
    "规范依申请公开办理流程，按时答复申请人。", "推进基层政务公开标准化规范化建设。",
    "及时回应社会关切，做好舆情处置工作。", "完善政府信息公开保密审查机制，防止泄密。",
    "公开财政预决算和部门预决算信息，接受社会监督。", "加强政务公开专区建设，方便群众查阅。",
    "聚焦民生领域，公开教育、医疗、社保等信息。", "落实政府信息管理制度，开展规范性文件清理。",
    "开展政务公开业务培训，提升工作人员业务能力。", "公开重点项目建设进展，回应群众关切。",
    "全面梳理行政权力事项，动态更新权责清单。", "公开“双随机、一公开”抽查结果，规范执法行为。",
    "在政府门户网站开设专题专栏，集中发布重点工作信息。", "落实政府开放日制度，邀请群众走进机关。",
    "做好人大代表建议和政协委员提案办理结果公开。", "公开行政许可、行政处罚等执法信息，接受社会监督。",
    "加强政务服务事项公开，推进办事指南标准化。", "做好乡村振兴政策措施公开，助力农民增收。",
    "公开安全生产和应急管理信息，提升公众防范意识。", "公开生态环境质量信息，回应群众环保诉求。",
    "规范政府公报编辑发行工作，方便公众获取权威文本。", "建立健全政策文件解读回应机制，做到应解读尽解读。",
    "推进决策、执行、管理、服务、结果“五公开”。", "及时公开招商引资、项目审批等经济信息。",
    "完善网站栏目设置，提升信息检索便利性。", "加强政务新媒体矩阵建设，扩大信息传播覆盖面。"};
const char* const kProblems[] = {
    "政策解读的形式还不够丰富", "部分栏目信息更新不够及时", "基层政务公开标准化建设有待深化",
    "公众参与的渠道还不够多", "依申请公开答复的规范性有待提升", "工作人员业务水平参差不齐",
    "信息公开的针对性和实效性不强", "政务新媒体互动回应不够"};
const char* const kImprovements[] = {
    "加强业务培训，提升答复质量", "丰富解读形式，提高政策知晓度", "健全信息发布审核机制，确保及时准确",
    "拓展公众参与渠道，做好意见征集和反馈", "加强栏目巡查，及时更新信息", "完善工作考核，压实工作责任"};

std::mt19937_64 Rng(uint64_t seed, int index, uint64_t salt) {
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32), static_cast<uint32_t>(index),
                    static_cast<uint32_t>(salt)};
  return std::mt19937_64(seq);
}

template <typename T, size_t N>
const char* Pick(std::mt19937_64& rng, const T (&items)[N]) {
  return items[rng() % N];
}

std::string ChangeBy(const std::string& text, int64_t delta) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(text, &v)) return text;
  return absl::StrCat(v + delta);
}

bool IsTextFormat(Format f) { return f != Format::kHtml && f != Format::kDocx && f != Format::kPdf; }

}  // namespace

const char* FormatName(Format format) {
  switch (format) {
    case Format::kTabs: return "tabs";
    case Format::kPipes: return "pipes";
    case Format::kCellPerLine: return "cell-per-line";
    case Format::kMarkdown: return "markdown";
    case Format::kSpaces: return "spaces";
    case Format::kHtml: return "html";
    case Format::kDocx: return "docx";
    case Format::kPdf: return "pdf";
  }
  return "?";
}

const char* FormatExtension(Format format) {
  switch (format) {
    case Format::kMarkdown: return "md";
    case Format::kHtml: return "html";
    case Format::kDocx: return "docx";
    case Format::kPdf: return "pdf";
    default: return "txt";
  }
}

const std::vector<Format>& AllFormats() {
  static const auto* all = new std::vector<Format>{Format::kTabs, Format::kPipes, Format::kCellPerLine, Format::kMarkdown,
                                                   Format::kSpaces, Format::kHtml, Format::kDocx, Format::kPdf};
  return *all;
}

const std::vector<std::string>& InjectableRules() {
  static const auto* rules = new std::vector<std::string>{
      "t3.row_sum", "t3.results_sum", "t3.balance", "t4.group_sum", "cell.missing", "cell.number",
      "year.consistent", "structure.tables", "structure.version", "t2.fee_unit", "t2.rules_authority",
      "section5.substance", "section6.fee_reported", "text.table_agree", "batch.copied"};
  return *rules;
}

Generator::Generator(CorpusOptions options) : options_(std::move(options)) {
  if (options_.formats.empty()) options_.formats = AllFormats();
  const auto& divisions = DefaultRegionTable().divisions();
  for (size_t i = 0; i < divisions.size(); ++i) {
    const Division& d = divisions[i];
    if (d.code.size() == 6 && d.code.substr(4) != "00" && d.name != "市辖区" &&
        d.code.compare(0, options_.region.size(), options_.region) == 0) {
      counties_.push_back(i);
    }
  }
  for (const Division& d : divisions) {
    if (d.code.size() == 9) towns_[d.parent].push_back(&d);
  }
  if (counties_.empty()) {  // an unknown prefix: the whole country rather than nothing
    for (size_t i = 0; i < divisions.size(); ++i) {
      const Division& d = divisions[i];
      if (d.code.size() == 6 && d.code.substr(4) != "00" && d.name != "市辖区") counties_.push_back(i);
    }
  }
}

GeneratedReport Generator::Next() {
  const int index = index_++;
  std::mt19937_64 rng = Rng(options_.seed, index, 0x9e3779b9);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const aggregator::RegionTable& table = DefaultRegionTable();
  GeneratedReport out;

  // Who files: a township, a county or city government, or one of their departments; names kept unique.
  for (int attempt = 0; attempt < 50; ++attempt) {
    const Division& county = table.divisions()[counties_[rng() % counties_.size()]];
    const Division* city = table.Find(county.parent);
    double kind = std::uniform_real_distribution<double>(0, 1)(rng);
    auto it = towns_.find(county.code);
    if (kind < 0.2 && it != towns_.end() && !it->second.empty()) {
      const Division* town = it->second[rng() % it->second.size()];
      out.agency = absl::StrCat(county.name, town->name, "人民政府");
      out.region_code = town->code;
      out.level = "township";
    } else if (kind < 0.3) {
      out.agency = absl::StrCat(county.name, "人民政府");
      out.region_code = county.code;
      out.level = "county";
    } else if (kind < 0.4 && city != nullptr && city->name != "市辖区" && city->name != "省直辖县级行政区划") {
      out.agency = absl::StrCat(city->name, Pick(rng, kDepartments));
      out.region_code = city->code;
      out.level = "city";
    } else {
      out.agency = absl::StrCat(county.name, Pick(rng, kDepartments));
      out.region_code = county.code;
      out.level = "county";
    }
    if (!used_.contains(out.agency) || attempt == 49) break;
  }
  used_.insert(out.agency);

  // The template and figures. Most organs receive few or no applications; a few receive thousands.
  out.version = chance(options_.v2019_share) ? v1::TEMPLATE_VERSION_V2019 : v1::TEMPLATE_VERSION_V2021;
  out.year = out.version == v1::TEMPLATE_VERSION_V2019 ? 2020 : options_.year;
  double volume = std::uniform_real_distribution<double>(0, 1)(rng);
  int scale = volume < 0.4 ? 0 : volume < 0.8 ? 3 : volume < 0.95 ? 30 : volume < 0.99 ? 600 : 3000;
  out.format = options_.formats[index % options_.formats.size()];

  std::string injected;
  if (chance(options_.error_share)) {
    std::vector<std::string> candidates;
    for (const std::string& rule : InjectableRules()) {
      if (rule == "structure.tables" && !IsTextFormat(out.format)) continue;
      if ((rule == "t2.fee_unit" || rule == "section6.fee_reported" || rule == "structure.version") &&
          out.version != v1::TEMPLATE_VERSION_V2021) continue;
      if (rule == "t2.rules_authority" && (out.agency.find("人民政府") != std::string::npos)) continue;
      if (rule == "batch.copied" && last_narrative1_.empty()) continue;
      candidates.push_back(rule);
    }
    injected = candidates[rng() % candidates.size()];
  }
  if (injected == "structure.version") out.version = v1::TEMPLATE_VERSION_V2019;  // the old template in 2024

  v1::AnnualReport report = ConsistentReport(static_cast<uint32_t>(rng()), out.version, out.year, out.agency, scale);
  for (const std::string& key : AllCellKeys(out.version)) out.cells[key] = CellText(report, key);

  // The narrative: section 一 states the applications received; section 五 names problems and remedies.
  std::string received = out.cells["t3.received_new.total"];
  std::string narrative1 = out.agency;  // the renderers write "YEAR年，" before it
  {  // 8 to 13 distinct sentences, as long as a real section 一
    std::vector<const char*> sentences(std::begin(kOverview), std::end(kOverview));
    std::shuffle(sentences.begin(), sentences.end(), rng);
    for (size_t i = 0, n = 8 + rng() % 6; i < n; ++i) absl::StrAppend(&narrative1, sentences[i]);
  }
  absl::StrAppend(&narrative1, "全年共收到政府信息公开申请", received, "件。");
  std::string narrative5 = absl::StrCat("一是", Pick(rng, kProblems), "；二是", Pick(rng, kProblems), "。下一步，将",
                                        Pick(rng, kImprovements), "，", Pick(rng, kImprovements), "。");
  std::string section6 = kSection6;

  // The injected error.
  auto d = static_cast<int64_t>(1 + rng() % 9);
  const auto& results = Table3ResultRows(out.version);
  const auto& cols = Table3Columns();
  std::string row = results[rng() % results.size()];
  std::string col = cols[rng() % (cols.size() - 1)];
  std::string group = Table4Groups()[rng() % Table4Groups().size()];
  int period_year = out.year;
  bool drop_table4 = false;
  if (injected == "t3.row_sum") {
    std::string key = absl::StrCat(row, ".total");
    out.injected_detail = absl::StrCat(key, " ", out.cells[key], " → ", ChangeBy(out.cells[key], d));
    out.cells[key] = ChangeBy(out.cells[key], d);
  } else if (injected == "t3.results_sum") {
    std::string key = absl::StrCat(row, ".", col), total = absl::StrCat(row, ".total");
    out.injected_detail = absl::StrCat(key, " and ", total, " both +", d);
    out.cells[key] = ChangeBy(out.cells[key], d);
    out.cells[total] = ChangeBy(out.cells[total], d);
  } else if (injected == "t3.balance") {
    std::string key = absl::StrCat("t3.received_new.", col);
    out.injected_detail = absl::StrCat(key, " and t3.received_new.total both +", d);
    out.cells[key] = ChangeBy(out.cells[key], d);
    out.cells["t3.received_new.total"] = ChangeBy(out.cells["t3.received_new.total"], d);
  } else if (injected == "t4.group_sum") {
    std::string key = absl::StrCat("t4.", group, ".total");
    out.injected_detail = absl::StrCat(key, " ", out.cells[key], " → ", ChangeBy(out.cells[key], d));
    out.cells[key] = ChangeBy(out.cells[key], d);
  } else if (injected == "cell.missing") {
    std::string key = absl::StrCat(row, ".", col);
    out.injected_detail = absl::StrCat(key, " left as “/”");
    out.cells[key] = "/";
  } else if (injected == "cell.number") {
    std::string key = absl::StrCat("t4.", group, ".", Table4Results()[rng() % 4]);
    out.injected_detail = absl::StrCat(key, " ", out.cells[key], " → -", d);
    out.cells[key] = absl::StrCat("-", d);
  } else if (injected == "year.consistent") {
    period_year = out.year - 1;  // the period left as last year's, as when last year's report is reused
    out.injected_detail = absl::StrCat("title says ", out.year, ", period says ", period_year);
  } else if (injected == "structure.tables") {
    drop_table4 = true;
    out.injected_detail = "table 四 left out";
  } else if (injected == "structure.version") {
    out.injected_detail = absl::StrCat("v2019 template in a ", out.year, " report");
  } else if (injected == "t2.fee_unit") {
    out.cells["t2.fees.amount_wan_yuan"] = absl::StrCat(1 + rng() % 90, ".", 10000 + rng() % 89999, "3");
    out.injected_detail = absl::StrCat("fee written in 元: ", out.cells["t2.fees.amount_wan_yuan"], " 万元");
  } else if (injected == "t2.rules_authority") {
    std::string key = absl::StrCat("t2.rules.", TableRows(TableId::kT2, out.version).front().columns.front());
    out.cells[key] = absl::StrCat(d);
    out.injected_detail = absl::StrCat(key, " = ", d, " for an organ that cannot make 规章");
  } else if (injected == "section5.substance") {
    narrative5 = "无。";
    out.injected_detail = "section 五 says only 无";
  } else if (injected == "section6.fee_reported") {
    section6 = "无。";
    out.injected_detail = "section 六 does not say whether fees were charged";
  } else if (injected == "text.table_agree") {
    int64_t r = 0, carried = 0;
    (void)absl::SimpleAtoi(received, &r);
    (void)absl::SimpleAtoi(out.cells["t3.carried_over.total"], &carried);
    d += carried;  // neither the new applications nor new plus carried over, which the rule also accepts
    narrative1 = absl::StrReplaceAll(narrative1, {{absl::StrCat("申请", received, "件"), absl::StrCat("申请", r + d, "件")}});
    out.injected_detail = absl::StrCat("section 一 says ", r + d, " applications, table 三 ", r);
  } else if (injected == "batch.copied") {
    narrative1 = last_narrative1_;
    narrative5 = last_narrative5_;
    out.copied_from = last_file_;
    out.format = last_format_;  // copied documents keep the source's layout, and its boilerplate
    out.injected_detail = absl::StrCat("narrative copied from ", last_file_);
  }
  out.injected_rule = injected;

  // Render, then put this report's narrative in place of the renderers' fixed sentences.
  auto finish = [&](std::string doc) {
    doc = absl::StrReplaceAll(doc, {{kSection1Text, narrative1}, {kSection1Docx, narrative1},
                                    {kSection5, narrative5}, {kSection6, section6}});
    if (period_year != out.year) {
      doc = absl::StrReplaceAll(
          doc, {{absl::StrCat("统计期限自", out.year, "年1月1日起至", out.year, "年12月31日止"),
                 absl::StrCat("统计期限自", period_year, "年1月1日起至", period_year, "年12月31日止")}});
    }
    return doc;
  };
  switch (out.format) {
    case Format::kHtml:
      out.content = finish(RenderHtml(out.cells, out.version, out.agency, out.year));
      break;
    case Format::kDocx:
      out.content = RenderDocx(out.cells, out.version, out.agency, out.year, finish);
      break;
    case Format::kPdf:  // the tab layout's rows, written as a PDF text layer
      out.content = RenderPdf(finish(RenderReport(out.cells, out.version, Layout::kTabs, out.agency, out.year)));
      break;
    default: {
      static const Layout kLayouts[] = {Layout::kTabs, Layout::kPipes, Layout::kCellPerLine, Layout::kMarkdown,
                                        Layout::kSpaces};
      out.content = finish(RenderReport(out.cells, out.version, kLayouts[static_cast<int>(out.format)], out.agency, out.year));
      if (drop_table4) {
        size_t from = out.content.find("四、政府信息公开行政复议");
        size_t to = out.content.find("五、存在的主要问题");
        if (from != std::string::npos && to != std::string::npos) out.content.erase(from, to - from);
        out.cells.clear();
      }
    }
  }
  out.file_name = absl::StrFormat("%06d-%s.%s", index, FormatName(out.format), FormatExtension(out.format));
  if (injected != "batch.copied") {
    last_narrative1_ = narrative1;
    last_narrative5_ = narrative5;
    last_file_ = out.file_name;
    last_format_ = out.format;
  }
  return out;
}

absl::Status WriteCorpus(const CorpusOptions& options, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(fs::path(dir) / "reports", error);
  if (error) return absl::InvalidArgumentError(absl::StrCat("cannot create ", dir, "/reports: ", error.message()));
  std::ofstream manifest(fs::path(dir) / "manifest.tsv");
  std::ofstream organs(fs::path(dir) / "organs.csv");
  if (!manifest || !organs) return absl::InvalidArgumentError(absl::StrCat("cannot write into ", dir));
  manifest << "file\tformat\tversion\tyear\tagency\tregion_code\tlevel\tinjected_rule\tdetail\tcopied_from\n";
  organs << "name,region_code,level\n";
  Generator generator(options);
  for (int i = 0; i < options.reports; ++i) {
    GeneratedReport r = generator.Next();
    std::ofstream file(fs::path(dir) / "reports" / r.file_name, std::ios::binary);
    file.write(r.content.data(), static_cast<std::streamsize>(r.content.size()));
    if (!file) return absl::InternalError(absl::StrCat("cannot write ", dir, "/reports/", r.file_name));
    manifest << r.file_name << '\t' << FormatName(r.format) << '\t'
             << (r.version == v1::TEMPLATE_VERSION_V2019 ? "v2019" : "v2021") << '\t' << r.year << '\t' << r.agency
             << '\t' << r.region_code << '\t' << r.level << '\t' << (r.injected_rule.empty() ? "-" : r.injected_rule)
             << '\t' << (r.injected_detail.empty() ? "-" : r.injected_detail) << '\t'
             << (r.copied_from.empty() ? "-" : r.copied_from) << '\n';
    organs << r.agency << ',' << r.region_code << ',' << r.level << '\n';
  }
  if (!manifest || !organs) return absl::InternalError(absl::StrCat("cannot write the manifest into ", dir));
  return absl::OkStatus();
}

}  // namespace gongkai::corpus
