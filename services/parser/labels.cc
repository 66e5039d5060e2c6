#include "services/parser/labels.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "common/text.h"

namespace gongkai::parser {
namespace {

struct Form {
  std::string normalized;
  RowLabel row;
  bool table3_context_only = false;
};

std::vector<Form> MakeForms() {
  struct Raw {
    const char* key;
    TableId table;
    std::vector<const char*> forms;
    bool t3_only = false;
  };
  const std::vector<Raw> raw = {
      // Table 二 (both versions).
      {"t2.rules", TableId::kT2, {"规章"}},
      {"t2.normative_docs", TableId::kT2, {"行政规范性文件", "规范性文件"}},
      {"t2.licensing", TableId::kT2, {"行政许可"}},
      {"t2.other_services", TableId::kT2, {"其他对外管理服务事项"}},
      {"t2.punishment", TableId::kT2, {"行政处罚"}},
      {"t2.coercion", TableId::kT2, {"行政强制"}},
      {"t2.fees", TableId::kT2, {"行政事业性收费"}},
      {"t2.procurement", TableId::kT2, {"政府集中采购"}},
      // Table 三.
      {"t3.received_new", TableId::kT3,
       {"本年新收政府信息公开申请数量", "本年新收政府信息公开申请", "本年新收申请数量"}},
      {"t3.carried_over", TableId::kT3,
       {"上年结转政府信息公开申请数量", "上年结转政府信息公开申请", "上年结转申请数量"}},
      {"t3.granted", TableId::kT3, {"予以公开"}},
      {"t3.partially_granted", TableId::kT3,
       {"部分公开", "部分公开区分处理的只计这一情形不计其他情形"}},
      {"t3.denied_state_secret", TableId::kT3, {"属于国家秘密"}},
      {"t3.denied_prohibited_by_law", TableId::kT3, {"其他法律行政法规禁止公开", "法律行政法规禁止公开"}},
      {"t3.denied_security_stability", TableId::kT3, {"危及三安全一稳定"}},
      {"t3.denied_third_party", TableId::kT3, {"保护第三方合法权益"}},
      {"t3.denied_internal_affairs", TableId::kT3, {"属于三类内部事务信息"}},
      {"t3.denied_process_info", TableId::kT3, {"属于四类过程性信息"}},
      {"t3.denied_enforcement_file", TableId::kT3, {"属于行政执法案卷"}},
      {"t3.denied_query_item", TableId::kT3, {"属于行政查询事项"}},
      {"t3.unable_not_held", TableId::kT3, {"本机关不掌握相关政府信息"}},
      {"t3.unable_needs_creation", TableId::kT3, {"没有现成信息需要另行制作"}},
      {"t3.unable_unclear", TableId::kT3, {"补正后申请内容仍不明确"}},
      {"t3.rejected_petition", TableId::kT3, {"信访举报投诉类申请"}},
      {"t3.rejected_repeated", TableId::kT3, {"重复申请"}},
      {"t3.rejected_publication", TableId::kT3, {"要求提供公开出版物"}},
      {"t3.rejected_excessive", TableId::kT3, {"无正当理由大量反复申请"}},
      {"t3.rejected_confirmation", TableId::kT3, {"要求行政机关确认或重新出具已获取信息"}},
      {"t3.other_overdue_correction", TableId::kT3,
       {"申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请"}},
      {"t3.other_overdue_fee", TableId::kT3,
       {"申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请"}},
      {"t3.other_other", TableId::kT3, {"3其他"}},
      {"t3.other_processing", TableId::kT3, {"六其他处理"}},
      // Group headings that carry numbers of their own are subtotal rows.
      {"t3.denied_subtotal", TableId::kT3, {"三不予公开"}},
      {"t3.unable_subtotal", TableId::kT3, {"四无法提供"}},
      {"t3.rejected_subtotal", TableId::kT3, {"五不予处理"}},
      {"t3.total", TableId::kT3, {"七总计"}},
      {"t3.total", TableId::kT3, {"总计"}, /*t3_only=*/true},
      {"t3.carried_forward", TableId::kT3, {"结转下年度继续办理"}},
  };
  std::vector<Form> forms;
  for (const Raw& r : raw) {
    for (const char* f : r.forms) {
      forms.push_back(Form{NormalizeLabel(f), RowLabel{r.key, r.table}, r.t3_only});
    }
  }
  return forms;
}

const std::vector<Form>& Forms() {
  static const auto* forms = new std::vector<Form>(MakeForms());
  return *forms;
}

// The last UTF-8 character of `s` (empty for an empty string).
absl::string_view LastChar(absl::string_view s) {
  size_t i = s.size();
  while (i > 0 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) --i;
  if (i > 0) --i;
  return s.substr(i);
}

// The forms by their last character: a label can only end with a form that ends as it does.
const absl::flat_hash_map<std::string, std::vector<const Form*>>& FormsByLastChar() {
  static const auto* index = [] {
    auto* map = new absl::flat_hash_map<std::string, std::vector<const Form*>>();
    for (const Form& form : Forms()) (*map)[std::string(LastChar(form.normalized))].push_back(&form);
    return map;
  }();
  return *index;
}

}  // namespace

std::optional<LabelMatch> MatchRowLabel(absl::string_view normalized, absl::string_view last_cell,
                                        bool in_table3) {
  const Form* best = nullptr;
  const auto& index = FormsByLastChar();
  auto candidates = index.find(LastChar(normalized));
  if (candidates == index.end()) return std::nullopt;
  for (const Form* form : candidates->second) {
    if (form->table3_context_only) {
      // A bare "总计" names the total row only when it is the whole last label cell.
      if (!in_table3 || last_cell != form->normalized) continue;
    }
    if (!absl::EndsWith(normalized, form->normalized)) continue;
    if (best == nullptr || form->normalized.size() > best->normalized.size()) best = form;
  }
  if (best == nullptr) return std::nullopt;
  return LabelMatch{&best->row, normalized.size() - best->normalized.size()};
}

namespace {

std::u32string ToU32(absl::string_view s) {
  std::u32string out;
  size_t pos = 0;
  while (pos < s.size()) out.push_back(NextCodepoint(s, &pos));
  return out;
}

}  // namespace

bool IsLabelPrefix(absl::string_view prefix) {
  static const std::u32string* allowed = new std::u32string(ToU32(
      "一二三四五六七八九十0123456789本年度办理结果不予公开无法提供处理其他"));
  size_t pos = 0;
  while (pos < prefix.size()) {
    char32_t cp = NextCodepoint(prefix, &pos);
    if (allowed->find(cp) == std::u32string::npos) return false;
  }
  return true;
}

std::optional<LabelMatch> MatchDamagedRowLabel(absl::string_view cell) {
  std::u32string text = ToU32(cell);
  if (text.size() > 80) text.erase(0, text.size() - 80);  // labels are short; look at the end only
  size_t skipped_bytes = cell.size() - [&] {
    std::string tail;
    for (char32_t cp : text) AppendUtf8(cp, &tail);
    return tail.size();
  }();
  constexpr int kMaxEdits = 3;
  const Form* best = nullptr;
  size_t best_start = 0;
  int best_edits = kMaxEdits + 1;
  bool tie = false;
  for (const Form& form : Forms()) {
    if (form.table3_context_only) continue;
    std::u32string f = ToU32(form.normalized);
    if (f.size() < 8) continue;
    for (size_t j = 0; j < text.size(); ++j) {
      if (text[j] != f[0]) continue;
      // Insertion/deletion distance between text[j:] and a prefix of f of at least 8 characters: the
      // rest of the form may be missing (cut short), a few characters may be dropped or inserted.
      size_t n = text.size() - j, m = f.size();
      if (n + kMaxEdits < 8) continue;
      std::vector<int> prev(m + 1), cur(m + 1);
      for (size_t b = 0; b <= m; ++b) prev[b] = static_cast<int>(b);
      for (size_t a = 1; a <= n; ++a) {
        cur[0] = static_cast<int>(a);
        int row_min = cur[0];
        for (size_t b = 1; b <= m; ++b) {
          int v = std::min(prev[b], cur[b - 1]) + 1;
          if (text[j + a - 1] == f[b - 1]) v = std::min(v, prev[b - 1]);
          cur[b] = v;
          row_min = std::min(row_min, v);
        }
        std::swap(prev, cur);
        if (row_min > kMaxEdits) break;
      }
      int edits = kMaxEdits + 1;
      for (size_t b = std::min<size_t>(8, m); b <= m; ++b) edits = std::min(edits, prev[b]);
      if (edits > kMaxEdits) continue;
      // The end of the text must be the end of the label as far as it goes: its last character is a
      // character of the form.
      if (f.find(text.back()) == std::u32string::npos) continue;
      if (edits < best_edits) {
        best = &form;
        best_start = j;
        best_edits = edits;
        tie = false;
      } else if (edits == best_edits && best != nullptr && best->row.row_key != form.row.row_key) {
        tie = true;
      }
      break;  // the earliest anchor of this form is the longest reading
    }
  }
  if (best == nullptr || tie) return std::nullopt;
  std::string before;
  for (size_t i = 0; i < best_start; ++i) AppendUtf8(text[i], &before);
  return LabelMatch{&best->row, skipped_bytes + before.size()};
}

VersionHint VersionHintOf(absl::string_view normalized) {
  static const auto* v2019 = new std::vector<std::string>{
      NormalizeLabel("本年新制作数量"), NormalizeLabel("本年新公开数量"), NormalizeLabel("对外公开总数量"),
      NormalizeLabel("上一年项目数量"), NormalizeLabel("政府集中采购"), NormalizeLabel("采购总金额"),
      NormalizeLabel("其他对外管理服务事项")};
  static const auto* v2021 = new std::vector<std::string>{
      NormalizeLabel("制发件数"), NormalizeLabel("废止件数"), NormalizeLabel("有效件数")};
  for (const std::string& m : *v2019) {
    if (Contains(normalized, m)) return VersionHint::kV2019;
  }
  for (const std::string& m : *v2021) {
    if (Contains(normalized, m)) return VersionHint::kV2021;
  }
  return VersionHint::kNone;
}

int NextTable4Slot(absl::string_view normalized, size_t* pos) {
  struct SlotForm {
    const char* text;
    int slot;
  };
  static constexpr SlotForm kForms[] = {
      {"结果维持", 0}, {"结果纠正", 1}, {"其他结果", 2}, {"尚未审结", 3}, {"总计", 4},
      {"维持", 0},     {"纠正", 1},     {"其他", 2},     {"尚未", 3},
  };
  absl::string_view rest = normalized.substr(*pos);
  for (const SlotForm& f : kForms) {
    if (absl::StartsWith(rest, f.text)) {
      *pos += absl::string_view(f.text).size();
      return f.slot;
    }
  }
  NextCodepoint(normalized, pos);
  return -1;
}

}  // namespace gongkai::parser
