// year.consistent, text.table_agree, section6.fee_reported, section5.substance: the report's words
// against its tables.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"
#include "common/text.h"
#include "services/validator/registry.h"

namespace gongkai::validator {
namespace {

using v1::AnnualReport;

void CheckYear(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  struct Y {
    int year;
    const char* zh;
    const char* en;
  };
  std::vector<Y> known, unknown;
  for (const Y& y : {Y{r.title_year(), "标题年度", "title year"}, Y{r.period_year(), "统计期限年度", "statistical period"},
                     Y{r.metadata().expected_year(), "报送要求的年度", "requested year"}}) {
    (y.year > 0 ? known : unknown).push_back(y);
  }
  if (known.empty()) {
    sink.Unverifiable("标题、统计期限均未写明年度，也未指定报送年度，年度无法核对",
                      "no year is stated in the title or the statistical period, nor was one requested");
    return;
  }
  // With one year stated there is nothing it could disagree with.
  for (size_t i = 1; i < known.size(); ++i) {
    if (known[i].year == known[0].year) continue;
    std::vector<std::string> parts, parts_en;
    for (const Y& y : known) {
      parts.push_back(absl::StrCat(y.zh, " ", y.year));
      parts_en.push_back(absl::StrCat(y.en, " ", y.year));
    }
    v1::Finding& f = sink.Fail(absl::StrCat("年度不一致：", absl::StrJoin(parts, "，"), "；可能沿用了往年报告"),
                               absl::StrCat("the years disagree: ", absl::StrJoin(parts_en, ", ")));
    f.set_expected(absl::StrCat(known[0].year));
    if (r.title_position().line() > 0) *f.add_positions() = r.title_position();
    for (const Y& y : known) (*f.mutable_args())[y.en] = absl::StrCat(y.year);
    return;
  }
}

// ---- text.table_agree --------------------------------------------------------------------------------

// A figure the text can state, the words that name it, and the cells that hold it.
struct Statement {
  const char* what;  // English name
  std::vector<absl::string_view> endings;  // the words right before the number (after fillers are dropped)
  std::vector<std::string> cells;    // summed
  bool also_with_carried_over = false;  // "受理 N 件" may include last year's carried-over applications
};

// A table figure, exactly, or as a lower bound when it is blank: a row's 总计 from the applicant cells that
// are filled in, a table 四 总计 from its filled results (counts are never negative).
struct Bound {
  int64_t value = 0;
  bool exact = false;
};

Bound BoundOf(const AnnualReport& r, const std::string& key) {
  std::optional<int64_t> v = IntValue(r, key);
  if (v) return {*v, true};
  Bound b;
  if (!absl::EndsWith(key, ".total")) return b;
  std::string row = key.substr(0, key.size() - std::string(".total").size());
  std::vector<std::string> parts;
  if (absl::StartsWith(key, "t3.")) {
    for (const std::string& col : Table3Columns()) {
      if (col != "total") parts.push_back(absl::StrCat(row, ".", col));
    }
  } else if (absl::StartsWith(key, "t4.")) {
    for (const std::string& res : Table4Results()) {
      if (res != "total") parts.push_back(absl::StrCat(row, ".", res));
    }
  }
  b.exact = !parts.empty();
  for (const std::string& part : parts) {
    std::optional<int64_t> p = IntValue(r, part);
    if (p) {
      b.value += *p;
    } else {
      b.exact = false;
    }
  }
  return b;
}

std::vector<std::string> RowTotals(const std::vector<std::string>& rows) {
  std::vector<std::string> out;
  for (const std::string& r : rows) out.push_back(absl::StrCat(r, ".total"));
  return out;
}

std::vector<std::string> GroupTotals(v1::TemplateVersion version, absl::string_view prefix) {
  std::vector<std::string> rows;
  for (const std::string& row : Table3ResultRows(version)) {
    if (absl::StartsWith(row, prefix)) rows.push_back(row);
  }
  return RowTotals(rows);
}

std::vector<Statement> MakeStatements(v1::TemplateVersion version) {
  return {
      {"applications received",
       {"收到政府信息公开申请", "受理政府信息公开申请", "新收政府信息公开申请", "收到依申请公开申请", "收到信息公开申请",
        "受理信息公开申请", "受理公开申请", "收到公开申请", "收到各类政府信息公开申请", "收到申请", "受理申请"},
       {"t3.received_new.total"},
       true},
      {"carried over", {"上年结转政府信息公开申请", "上年结转", "上年度结转", "上一年度结转"}, {"t3.carried_over.total"}},
      {"granted or partly granted", {"予以公开及部分公开", "予以公开和部分公开", "公开及部分公开"},
       {"t3.granted.total", "t3.partially_granted.total"}},
      {"granted", {"予以公开"}, {"t3.granted.total"}},
      {"partly granted", {"部分公开"}, {"t3.partially_granted.total"}},
      {"denied", {"不予公开"}, GroupTotals(version, "t3.denied_")},
      {"unable", {"无法提供"}, GroupTotals(version, "t3.unable_")},
      {"not processed", {"不予处理"}, GroupTotals(version, "t3.rejected_")},
      {"other processing", {"其他处理"}, GroupTotals(version, "t3.other_")},
      {"carried forward", {"结转下年度继续办理", "结转下年度办理", "结转至下年度", "结转下年度", "转下一年度办理答复的有",
                           "转下一年度办理"},
       {"t3.carried_forward.total"}},
      {"administrative review", {"被申请行政复议", "行政复议案件", "行政复议"}, {"t4.review.total"}},
      {"litigation", {"提起行政诉讼", "行政诉讼案件", "行政诉讼"},
       {"t4.litigation_direct.total", "t4.litigation_after_review.total"}},
  };
}

// The statements of a template version, built once (the cell keys differ between the versions).
const std::vector<Statement>& Statements(v1::TemplateVersion version) {
  static const auto* v2021 = new std::vector<Statement>(MakeStatements(v1::TEMPLATE_VERSION_V2021));
  static const auto* v2019 = new std::vector<Statement>(MakeStatements(v1::TEMPLATE_VERSION_V2019));
  return version == v1::TEMPLATE_VERSION_V2019 ? *v2019 : *v2021;
}

// Words that, before a figure in the same clause, say it covers another scope (a part, another unit).
constexpr absl::string_view kOtherScope[] = {"代表", "其中", "本级", "下属", "各部门", "各单位", "乡镇", "街道",
                                             "同比", "较上年", "比上年", "去年", "上年度共", "累计"};
// Fillers between the naming words and the number.
constexpr absl::string_view kFillers[] = {"共计", "合计", "总计", "共", "了", "为", "达", "有", "的", "数", "量"};

// A code point that ends a clause: a figure's lead never reaches back past one. "、" is not among them: it
// separates the items of one list ("予以公开、部分公开共N件").
bool IsClauseEnd(char32_t cp) {
  switch (cp) {
    case U'。': case U'，': case U'；': case U'：': case U'！': case U'？': case U',': case U';': case U':':
    case U'\n': case U'（': case U'）': case U'(': case U')':
      return true;
    default:
      return false;
  }
}

struct NumberInText {
  int64_t value;
  std::string lead;  // the clause text before the number, spaces removed
};

// Numbers followed by 件 in `text`, each with the text of its clause before it.
std::vector<NumberInText> CountsInText(absl::string_view text) {
  std::vector<NumberInText> out;
  std::string lead;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t here = pos;
    char32_t cp = NextCodepoint(text, &pos);
    absl::string_view ch = text.substr(here, pos - here);
    if (cp >= '0' && cp <= '9') {
      int64_t value = cp - '0';
      size_t p = pos;
      while (p < text.size()) {
        char c = text[p];
        if (c >= '0' && c <= '9') {
          value = value * 10 + (c - '0');
          if (value > 100'000'000) break;
        } else if (c == '\n' && p + 1 < text.size() && text[p + 1] >= '0' && text[p + 1] <= '9') {
          // A PDF line wrapped inside the number ("申请2\n7件"): found by `gongkai quality` on PDFs.
        } else if (c != ',') {
          break;
        }
        ++p;
      }
      size_t after = p;
      while (after < text.size() && text[after] == ' ') ++after;
      if (absl::StartsWith(text.substr(after), "件")) {
        out.push_back({value, lead});
        pos = after + std::string("件").size();
        lead.clear();  // the next figure's lead starts after this one
        continue;
      }
      lead.append(text.data() + here, p - here);
      pos = p;
      continue;
    }
    if (IsSpace(cp)) continue;
    if (IsClauseEnd(cp)) {
      lead.clear();
      continue;
    }
    lead.append(ch.data(), ch.size());
  }
  return out;
}

std::string StripFillers(std::string lead) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (absl::string_view f : kFillers) {
      if (absl::EndsWith(lead, f)) {
        lead.resize(lead.size() - f.size());
        changed = true;
      }
    }
  }
  return lead;
}

void CheckTextTable(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (!r.table3().present() || (r.version() != v1::TEMPLATE_VERSION_V2021 && r.version() != v1::TEMPLATE_VERSION_V2019)) {
    return;
  }
  const std::vector<Statement>& statements = Statements(r.version());
  std::optional<int64_t> received = IntValue(r, "t3.received_new.total");
  for (const v1::Section& section : r.sections()) {
    // "未收到申请" while the table counts new applications.
    absl::string_view text = section.text();
    for (absl::string_view none : {"未收到政府信息公开申请", "未收到依申请公开", "没有收到政府信息公开申请",
                                   "未收到和处理政府信息公开申请", "未收到申请", "未收到信息公开申请"}) {
      if (received && *received > 0 && Contains(text, none)) {
        v1::Finding& f = sink.Fail(
            absl::StrCat("第", section.number(), "部分说“", none, "”，但表三本年新收申请为 ", *received, " 件"),
            absl::StrCat("section ", section.number(), " says no application was received, table 3 counts ", *received));
        AddCell(&f, r, "t3.received_new.total");
        f.set_expected("0");
        *f.add_positions() = section.position();
        break;
      }
    }
    for (const NumberInText& n : CountsInText(text)) {
      bool other_scope = false;
      for (absl::string_view w : kOtherScope) {
        if (Contains(n.lead, w)) other_scope = true;
      }
      if (other_scope) continue;
      std::string lead = StripFillers(n.lead);
      const Statement* match = nullptr;
      absl::string_view matched_word;
      for (const Statement& s : statements) {
        for (absl::string_view word : s.endings) {
          if (!absl::EndsWith(lead, word)) continue;
          // "不予公开" ends with "予公开", not "予以公开"; "予以公开及部分公开" is matched before "部分公开".
          if (match == nullptr || word.size() > matched_word.size()) {
            match = &s;
            matched_word = word;
          }
        }
      }
      if (match == nullptr) continue;
      // The table's figure, or a lower bound on it when blank cells hide part of it.
      int64_t sum = 0;
      bool exact = true;
      for (const std::string& key : match->cells) {
        Bound b = BoundOf(r, key);
        sum += b.value;
        exact = exact && b.exact;
      }
      if (!exact) {
        if (n.value < sum) {
          v1::Finding& f = sink.Fail(
              absl::StrCat("第", section.number(), "部分正文说“", matched_word, n.value, "件”，但表格中已填写的数字合计至少 ", sum,
                           " 件（部分格为空白）"),
              absl::StrCat("section ", section.number(), " states ", match->what, " = ", n.value,
                           " but the table's filled cells alone add up to ", sum));
          for (const std::string& key : match->cells) AddCell(&f, r, key);
          f.set_expected(absl::StrCat(">= ", sum));
          (*f.mutable_args())["text_value"] = absl::StrCat(n.value);
          *f.add_positions() = section.position();
        } else {
          v1::Finding& f = sink.Unverifiable(
              absl::StrCat("正文说“", matched_word, n.value, "件”，但表中对应的数值缺失，无法核对"),
              absl::StrCat("the text states ", match->what, " = ", n.value, " but the table's cells are missing"));
          for (const std::string& key : match->cells) AddCell(&f, r, key);
        }
        continue;
      }
      if (n.value == sum) continue;
      std::optional<int64_t> carried = IntValue(r, "t3.carried_over.total");
      if (match->also_with_carried_over && carried && n.value == sum + *carried) continue;
      v1::Finding& f = sink.Fail(
          absl::StrCat("第", section.number(), "部分正文说“", matched_word, n.value, "件”，但表格中为 ", sum, " 件"),
          absl::StrCat("section ", section.number(), " states ", match->what, " = ", n.value, " but the tables give ", sum));
      for (const std::string& key : match->cells) AddCell(&f, r, key);
      f.set_expected(absl::StrCat(sum));
      (*f.mutable_args())["text_value"] = absl::StrCat(n.value);
      (*f.mutable_args())["phrase"] = std::string(matched_word);
      *f.add_positions() = section.position();
    }
  }
}

// ---- section 五 and 六 -------------------------------------------------------------------------------

const v1::Section* FindSection(const AnnualReport& r, int number) {
  for (const v1::Section& s : r.sections()) {
    if (s.number() == number) return &s;
  }
  return nullptr;
}

void CheckFeeReported(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  if (r.version() != v1::TEMPLATE_VERSION_V2021) return;
  const v1::Section* six = FindSection(r, 6);
  if (six == nullptr) {
    sink.Unverifiable("没有第六部分，无法核对是否说明信息处理费收取情况",
                      "there is no section 6; whether 信息处理费 was charged cannot be checked");
    return;
  }
  std::string norm = NormalizeLabel(six->text());
  bool reported = Contains(norm, "处理费") || Contains(norm, "收费") || Contains(norm, "收取费用");
  if (reported) return;
  std::optional<int64_t> overdue_fee = IntValue(r, "t3.other_overdue_fee.total");
  bool mandatory = overdue_fee && *overdue_fee > 0;
  v1::Finding& f = sink.Fail(
      mandatory ? absl::StrCat("表三有 ", *overdue_fee,
                               " 件因逾期未缴费不再处理的申请，第六部分却未说明信息处理费收取情况（国办函〔2020〕109号）")
                : "第六部分未说明信息处理费收取情况（国办函〔2020〕109号要求在年报中说明）",
      mandatory ? "table 3 counts applications dropped for unpaid fees, yet section 6 does not report 信息处理费"
                : "section 6 does not say whether 信息处理费 was charged");
  if (mandatory) AddCell(&f, r, "t3.other_overdue_fee.total");
  f.set_expected("a statement on 信息处理费");
  *f.add_positions() = six->position();
}

void CheckSubstance(const RuleContext& ctx, FindingSink& sink) {
  const AnnualReport& r = ctx.report;
  const v1::Section* five = FindSection(r, 5);
  if (five == nullptr) {
    sink.Unverifiable("没有第五部分，无法核对", "there is no section 5 to check");
    return;
  }
  std::string norm = NormalizeLabel(five->text());
  auto any = [&](std::initializer_list<absl::string_view> words) {
    for (absl::string_view w : words) {
      if (Contains(norm, w)) return true;
    }
    return false;
  };
  bool problems = any({"问题", "不足", "差距", "短板", "薄弱", "欠缺", "有待", "不够", "不到位", "滞后", "单一",
                       "不强", "不高", "参差不齐", "不及时", "不规范", "不全面", "不平衡", "缺乏", "较弱", "偏少"});
  bool improvements = any({"改进", "加强", "提升", "下一步", "推进", "完善", "措施", "强化", "提高", "加大", "优化"});
  size_t chars = static_cast<size_t>(CountCodepoints(norm));
  if (chars >= 20 && problems && improvements) return;
  std::string why = chars < 20 ? "内容过少" : !problems ? "未指出存在的问题" : "未说明改进措施";
  v1::Finding& f = sink.Fail(absl::StrCat("第五部分“存在的主要问题及改进情况”", why, "，应具体说明问题和改进措施"),
                             absl::StrCat("section 5 ", chars < 20 ? "is nearly empty" : !problems ? "names no problem" : "names no improvement"));
  *f.add_positions() = five->position();
  f.set_expected("problems and improvements");
}

}  // namespace

void RegisterTextRules(RuleRegistry& registry) {
  registry.Add({"year.consistent", v1::SEVERITY_ERROR, "标题年度、统计期限和报送要求的年度一致",
                "the year in the title, the statistical period and the requested report year agree", CheckYear, nullptr});
  registry.Add({"text.table_agree", v1::SEVERITY_WARNING, "正文所述件数（收到申请、予以公开、行政复议、结转等）与表格一致",
                "numbers stated in the text agree with the tables", CheckTextTable, nullptr});
  registry.Add({"section6.fee_reported", v1::SEVERITY_WARNING, "第六部分说明信息处理费收取情况（v2021）",
                "v2021: section 6 says whether 信息处理费 was charged", CheckFeeReported, nullptr});
  registry.Add({"section5.substance", v1::SEVERITY_WARNING, "第五部分具体说明存在的问题和改进情况",
                "section 5 names problems and improvements", CheckSubstance, nullptr});
}

}  // namespace gongkai::validator
