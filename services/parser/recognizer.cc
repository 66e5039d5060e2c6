#include "services/parser/recognizer.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"
#include "common/text.h"
#include "services/parser/digit_split.h"
#include "services/parser/labels.h"
#include "services/parser/values.h"

namespace gongkai::parser {

// The section a heading run into its text starts (defined below, with DetectSectionHeading).
int DetectGluedHeading(absl::string_view start);

namespace {

using v1::AnnualReport;
using v1::ParseNote;
using v1::TemplateVersion;

// Label cells longer than this are prose: they never name a row and end the label context.
constexpr size_t kMaxLabelCellBytes = 240;
// How many normalised bytes of a cell may stand before the matched row label ("三本年度办理结果一").
constexpr size_t kMaxLabelPrefixBytes = 60;
// How many label cells are kept as the context of the next row.
constexpr size_t kMaxPendingCells = 12;

struct PendingLabel {
  const StreamCell* cell;
  std::string normalized;  // computed on first use
  bool normalized_done;
  bool prose;  // too long to be a label
};

// A row as read, before the template version is known.
struct RawRow {
  absl::string_view key;  // row key prefix ("t3.granted"), a static string; empty for values with no label
  TableId table = TableId::kT3;
  std::vector<const StreamCell*> values;
  Pos label_pos;
  Pos first_value_pos;
  bool inline_row = false;  // the label and its values share a line
  int32_t last_value_line = 0;
  std::vector<std::string> ambiguous_between;  // two row keys the values could belong to
};

const char* kDigitsCn[] = {"", "一", "二", "三", "四", "五", "六"};

absl::string_view StripMarkup(absl::string_view line) {
  while (!line.empty() && (line.front() == '#' || line.front() == '*' || line.front() == '>' ||
                           line.front() == ' ' || line.front() == '\t')) {
    line.remove_prefix(1);
  }
  return TrimSpace(line);
}

class Recognizer {
 public:
  Recognizer(const CellStream& stream, AnnualReport* report) : stream_(stream), report_(report) {}

  absl::Status Run() {
    report_->set_format(stream_.format);
    for (size_t i = 0; i < stream_.lines.size(); ++i) ReadLine(i);
    CloseRow();
    FinishTable4();
    ExtractIdentity();
    if (sections_found_ == 0 && rows_.empty() && t4_values_.empty() && !MentionsDisclosure()) {
      return absl::InvalidArgumentError(
          "the text is not a 政府信息公开工作年度报告: it has none of the six section headings, no table "
          "row, and does not mention 政府信息公开");
    }
    DetectVersion();
    Assemble();
    // Notes in line order. The pointers are sorted, not the messages (moving a message off its arena
    // copies it), and only when the notes are out of order.
    auto by_line = [](const ParseNote* a, const ParseNote* b) { return a->position().line() < b->position().line(); };
    auto* notes = report_->mutable_notes();
    if (!std::is_sorted(notes->pointer_begin(), notes->pointer_end(), by_line)) {
      std::stable_sort(notes->pointer_begin(), notes->pointer_end(), by_line);
    }
    return absl::OkStatus();
  }

 private:
  // ---- Reading ----------------------------------------------------------------------------------

  void ReadLine(size_t index) {
    const StreamLine& line = stream_.lines[index];
    if (line.cell_count == 0) return;
    int heading = DetectSectionHeading(line.text, section_);
    if (heading > 0) {
      StartSection(heading, line, index);
      // A heading run into its section's text ("六、其他需要报告的事项2025年度本机关未收取信息处理费。"):
      // the text is the section's, and the line's cells are read as usual.
      bool carries_text = line.text.size() > 60 || Contains(line.text, "。");
      if (carries_text) AppendNarrative(line);
      if (line.cell_count == 1) return;
      if (carries_text) narrative_done_ = index;
    }
    if (first_heading_line_ < 0 && index < 400) title_lines_.push_back(index);
    bool line_has_value = false;
    bool line_has_number = false;
    bool line_has_label = false;
    for (const StreamCell& cell : stream_.CellsOf(line)) {
      if (cell.value.is_value()) line_has_value = true;
      if (cell.value.is_value() && cell.value.kind != CellValue::Kind::kPlaceholder) line_has_number = true;
      if (!cell.value.is_value()) line_has_label = true;
    }
    if (in_t4_ && line.table_row) {
      // A real table row of table 四: the row holding numbers (or only blanks, in a blank template) gives
      // the values in order, blanks included; other rows are its header.
      bool value_row = line_has_number || (!line_has_label && line_has_value);
      for (const StreamCell& cell : stream_.CellsOf(line)) {
        if (value_row && cell.value.is_value()) {
          t4_values_.push_back(&cell);
        } else if (!value_row && t4_values_.empty() && !cell.blank && cell.text.size() <= kMaxLabelCellBytes) {
          AppendNormalizedLabel(cell.text, &t4_header_);
        }
      }
      return;
    }
    for (const StreamCell& cell : stream_.CellsOf(line)) {
      const CellValue& value = cell.value;
      if (in_t4_) {
        ReadTable4Cell(cell, value);
        continue;
      }
      if (cell.blank) {
        ReadBlank(cell, line.pos.line);
      } else if (value.is_value()) {
        ReadValue(cell, line.pos.line);
      } else {
        ReadLabel(cell);
      }
    }
    // Narrative: lines without values, and prose lines that hold numbers ("全年收取信息处理费 3940 元。").
    if (narrative_done_ != index &&
        (!line_has_value || Contains(line.text, "，") || Contains(line.text, "。") || Contains(line.text, "；"))) {
      AppendNarrative(line);
    }
  }

  void StartSection(int number, const StreamLine& line, size_t index) {
    CloseRow();
    pending_.clear();
    if (in_t4_ && number != 4) FinishTable4();
    if (first_heading_line_ < 0) first_heading_line_ = static_cast<int>(index);
    section_ = number;
    if (number == 2) t2_open_ = true;
    ++sections_found_;
    v1::Section* section = report_->add_sections();
    section->set_number(number);
    section->set_heading(std::string(StripMarkup(line.text)));
    line.pos.ToProto(section->mutable_position());
    current_section_ = section;
    if (number == 4 && !t4_done_) {
      in_t4_ = true;
      t4_pos_ = line.pos;
    }
  }

  void AppendNarrative(const StreamLine& line) {
    if (current_section_ == nullptr || line.text.empty()) return;
    // In the table sections only prose lines are narrative; short lines are table labels.
    int n = current_section_->number();
    if ((n == 2 || n == 3 || n == 4) && line.text.size() < 60) return;
    std::string* text = current_section_->mutable_text();
    if (!text->empty()) text->push_back('\n');
    text->append(line.text.data(), line.text.size());
  }

  void ReadLabel(const StreamCell& cell) {
    CloseRow();
    PendingLabel label{&cell, std::string(), false, cell.text.size() > kMaxLabelCellBytes};
    if (!label.prose) {
      // Cheap byte tests first; a label is normalised only when a row or a marker may hang on it.
      absl::string_view raw = cell.text;
      if (Contains(raw, "单位") || Contains(raw, "單位")) CaptureFeeUnit(cell);
      // A table 四 with no heading of its own: its label after table 三's rows starts it.
      if (!t4_done_ && !in_t4_ && section_ != 5 && section_ != 6 && t3_rows_ > 0 &&
          (Contains(raw, "复议") || Contains(raw, "復議") || Contains(raw, "複議")) &&
          Contains(NormalizeLabel(raw), "行政复议") && raw.size() <= 120) {
        in_t4_ = true;
        t4_pos_ = cell.pos;
        pending_.clear();
        return;
      }
    }
    if (!t2_open_ && !label.prose && (Contains(cell.text, "第二十条") || Contains(cell.text, "信息内容"))) t2_open_ = true;
    pending_.push_back(std::move(label));
    if (pending_.size() > kMaxPendingCells) pending_.erase(pending_.begin());
  }

  const std::string& Normalized(PendingLabel& label) {
    if (!label.normalized_done) {
      label.normalized = NormalizeLabel(label.cell->text);
      label.normalized_done = true;
    }
    return label.normalized;
  }

  void ReadValue(const StreamCell& cell, int32_t line_no) {
    if (!pending_.empty()) {
      CloseRow();
      ambiguous_key_.clear();
      OpenRow(ResolvePending(line_no, cell.pos.page), cell, line_no);
      pending_.clear();
    } else if (open_) {
      if (row_.inline_row && line_no != row_.last_value_line) {
        // A second line of values under an inline row: values with no label of their own.
        CloseRow();
        OpenRow(std::nullopt, cell, line_no);
      }
    } else {
      OpenRow(std::nullopt, cell, line_no);
    }
    row_.values.push_back(&cell);
    row_.last_value_line = line_no;
  }

  // An empty table cell is a placeholder only where a value belongs: right after a row label, or within a
  // row on the row's own line. Elsewhere (header corners, spanned gaps) it means nothing.
  void ReadBlank(const StreamCell& cell, int32_t line_no) {
    if (!pending_.empty()) {
      std::optional<LabelMatch> match = ResolvePending(line_no, cell.pos.page);
      if (!match) return;  // keep the labels for the values that follow
      CloseRow();
      OpenRow(match, cell, line_no);
      pending_.clear();
      row_.values.push_back(&cell);
      row_.last_value_line = line_no;
      return;
    }
    if (open_ && !row_.key.empty() && row_.last_value_line == line_no) {
      row_.values.push_back(&cell);
    }
  }

  std::optional<LabelMatch> ResolvePending(int32_t value_line, int32_t value_page) {
    // Concatenate the normalised tails of the last label cells, stopping at prose.
    std::string& tail = tail_buffer_;  // reused from label to label
    tail.clear();
    std::vector<size_t>& starts = starts_buffer_;  // offset of each cell in tail, from the first used cell
    starts.clear();
    size_t first = pending_.size();
    size_t bytes = 0;
    while (first > 0 && !pending_[first - 1].prose && bytes < 200) {
      --first;
      bytes += Normalized(pending_[first]).size();
    }
    for (size_t i = first; i < pending_.size(); ++i) {
      starts.push_back(tail.size());
      tail += pending_[i].normalized;
    }
    if (tail.empty()) return std::nullopt;
    if (t3_rows_ == 0) NoteVersionHint(tail);
    bool in_t3 = t3_rows_ > 0 && !t3_done_;
    std::optional<LabelMatch> match = MatchRowLabel(tail, pending_.back().normalized, in_t3);
    if ((!match || !PrefixAllowed(tail, starts, *match)) && in_t3) {
      // A label a layout damaged: cut short by its own values, characters dropped, a vertical group label
      // run into it. Tried on the last cell alone, then with the one or two before it.
      match.reset();
      for (size_t k = 1; k <= 3 && k <= starts.size() && !match; ++k) {
        size_t from = starts[starts.size() - k];
        match = MatchDamagedRowLabel(absl::string_view(tail).substr(from));
        if (match) match->start += from;
        if (match && !PrefixAllowed(tail, starts, *match)) match.reset();
      }
    }
    if (!match) return std::nullopt;
    size_t cell_start = 0;
    for (size_t s : starts) {
      if (s <= match->start) cell_start = s;
    }
    size_t start_cell = first + static_cast<size_t>(std::find(starts.begin(), starts.end(), cell_start) -
                                                    starts.begin());
    label_pos_ = pending_[start_cell].cell->pos;
    if (label_pos_.line != value_line && label_pos_.page == value_page) {
      // The label stands on its own line. When another row's label, not read yet, stands right before
      // it (a broken extraction printing two labels over one row of values), the values could belong
      // to either: leave both rows alone and say so.
      std::optional<std::string> rival = RivalLabel(first, start_cell, match->row->row_key);
      if (rival) {
        ambiguous_rival_ = *rival;
        ambiguous_key_ = match->row->row_key;
        return std::nullopt;
      }
    }
    return match;
  }

  // The label must start near the start of the cell it starts in (prose ending in a label is not one):
  // after numbering and group words only ("三、本年度办理结果（一）", "（四）无法提供 1."), and a table 二
  // label alone in its cell.
  static bool PrefixAllowed(absl::string_view tail, const std::vector<size_t>& starts, const LabelMatch& match) {
    size_t cell_start = 0;
    for (size_t s : starts) {
      if (s <= match.start) cell_start = s;
    }
    absl::string_view prefix = tail.substr(cell_start, match.start - cell_start);
    if (match.row->table == TableId::kT2) return prefix.empty();
    return prefix.size() <= kMaxLabelPrefixBytes && IsLabelPrefix(prefix);
  }

  // A label of another unread row that ends at one of the pending cells in [first, end).
  std::optional<std::string> RivalLabel(size_t first, size_t end, absl::string_view key) {
    for (size_t b = end; b > first; --b) {
      std::string tail;
      size_t from = b >= first + 3 ? b - 3 : first;
      for (size_t i = from; i < b; ++i) tail += Normalized(pending_[i]);
      std::optional<LabelMatch> m = MatchRowLabel(tail, pending_[b - 1].normalized, false);
      if (!m || m->row->row_key == key || m->row->row_key == "t3.other_processing" ||
          absl::EndsWith(m->row->row_key, "_subtotal") ||
          m->row->table != TableId::kT3 || seen_keys_.count(m->row->row_key) > 0) {
        continue;
      }
      return m->row->row_key;
    }
    return std::nullopt;
  }

  void OpenRow(std::optional<LabelMatch> match, const StreamCell& first_value, int32_t line_no) {
    open_ = true;
    row_ = RawRow();
    row_.values.reserve(8);  // table 三 rows hold 7 values, table 二 rows up to 4
    if (match) {
      row_.key = match->row->row_key;
      row_.table = match->row->table;
      row_.label_pos = label_pos_;
      row_.inline_row = label_pos_.line == line_no && label_pos_.page == first_value.pos.page;
    } else {
      row_.label_pos = first_value.pos;
      row_.inline_row = true;
      if (!ambiguous_key_.empty()) {
        row_.ambiguous_between = {ambiguous_rival_, ambiguous_key_};
        row_.label_pos = label_pos_;
        ambiguous_key_.clear();
      }
    }
    row_.first_value_pos = first_value.pos;
  }

  void CloseRow() {
    if (!open_) return;
    open_ = false;
    if (row_.key.empty()) {
      // Values with no label inside table 三 are worth a note; elsewhere they are prose numbers.
      if (!row_.ambiguous_between.empty()) {
        AddAmbiguousNote(row_);
      } else if (t3_rows_ > 0 && !t3_done_) {
        AddOrphanNote(row_);
      }
      return;
    }
    seen_keys_.insert(row_.key);
    // Table 二 rows count only inside table 二: after section 二's heading or table 二's own headers
    // (第二十条, 信息内容), and before table 三 (a word like 规章 in prose is no row).
    if (row_.table == TableId::kT2 && (t3_rows_ > 0 || !t2_open_)) return;
    if (row_.table == TableId::kT3) {
      if (t3_done_) return;
      ++t3_rows_;
      if (row_.key == "t3.carried_forward") t3_done_ = true;
    }
    if (row_.key == "t2.procurement" || row_.key == "t2.other_services") ++v2019_evidence_;
    if (row_.key == "t3.other_processing") ++v2019_row_evidence_;
    if (absl::StartsWith(row_.key, "t3.other_overdue")) ++v2021_row_evidence_;
    rows_.push_back(std::move(row_));
  }

  void NoteVersionHint(absl::string_view normalized) {
    switch (VersionHintOf(normalized)) {
      case VersionHint::kV2019:
        ++v2019_evidence_;
        break;
      case VersionHint::kV2021:
        ++v2021_evidence_;
        break;
      case VersionHint::kNone:
        break;
    }
  }

  // The unit in the fee label "本年收费金额（单位：万元）".
  void CaptureFeeUnit(const StreamCell& cell) {
    absl::string_view text = cell.text;
    if (!Contains(text, "金额")) return;
    size_t at = Find(text, "单位");
    if (at == absl::string_view::npos) at = Find(text, "單位");
    if (at == absl::string_view::npos) return;
    absl::string_view rest = text.substr(at + std::string("单位").size());
    for (absl::string_view colon : {"：", ":"}) {
      if (absl::StartsWith(rest, colon)) rest.remove_prefix(colon.size());
    }
    for (absl::string_view close : {"）", ")"}) {
      size_t end = Find(rest, close);
      if (end != absl::string_view::npos) rest = rest.substr(0, end);
    }
    rest = TrimSpace(rest);
    if (rest.empty() || rest.size() > 30) return;
    report_->set_fee_unit(std::string(rest));
    cell.pos.ToProto(report_->mutable_fee_unit_position());
  }

  void AddOrphanNote(const RawRow& row) {
    ParseNote* note = report_->add_notes();
    note->set_kind(ParseNote::KIND_ORPHAN_VALUES);
    note->set_table("t3");
    for (const StreamCell* v : row.values) note->add_values(std::string(v->text));
    note->set_expected_count(7);
    row.first_value_pos.ToProto(note->mutable_position());
    note->set_message(absl::StrCat("表三第 ", row.first_value_pos.line, " 行有 ", row.values.size(),
                                   " 个数值，但没有行标签，无法归入任何一行"));
    note->set_message_en(absl::StrCat("table 3, line ", row.first_value_pos.line, ": ", row.values.size(),
                                      " values with no row label; they belong to no row"));
  }

  void AddAmbiguousNote(const RawRow& row) {
    ParseNote* note = report_->add_notes();
    note->set_kind(ParseNote::KIND_UNREADABLE);
    note->set_table("t3");
    note->set_row_key(row.ambiguous_between[1]);
    for (const StreamCell* v : row.values) note->add_values(std::string(v->text));
    note->set_expected_count(7);
    row.first_value_pos.ToProto(note->mutable_position());
    note->set_message(absl::StrCat("表三第 ", row.first_value_pos.line, " 行的数值前有两个行标签“",
                                   RowLabelOf(row.ambiguous_between[0]), "”和“", RowLabelOf(row.ambiguous_between[1]),
                                   "”，无法确定属于哪一行，两行均按缺失处理"));
    note->set_message_en(absl::StrCat("table 3, line ", row.first_value_pos.line, ": the values follow two row labels (",
                                      row.ambiguous_between[0], ", ", row.ambiguous_between[1],
                                      "); which row they belong to cannot be told, both are left missing"));
  }

  // ---- Table 四 ------------------------------------------------------------------------------------

  void ReadTable4Cell(const StreamCell& cell, const CellValue& value) {
    if (value.is_value()) {
      t4_values_.push_back(&cell);
    } else if (t4_values_.empty() && cell.text.size() <= kMaxLabelCellBytes) {
      AppendNormalizedLabel(cell.text, &t4_header_);
    }
  }

  void FinishTable4() {
    if (!in_t4_) return;
    in_t4_ = false;
    t4_done_ = true;
  }

  // ---- Identity ------------------------------------------------------------------------------------

  static int FindYear(absl::string_view text, size_t* begin, size_t* end) {
    for (size_t i = 0; i + 4 <= text.size(); ++i) {
      if (!absl::ascii_isdigit(text[i]) || (i > 0 && absl::ascii_isdigit(text[i - 1]))) continue;
      if (!absl::ascii_isdigit(text[i + 1]) || !absl::ascii_isdigit(text[i + 2]) ||
          !absl::ascii_isdigit(text[i + 3])) {
        continue;
      }
      if (i + 4 < text.size() && absl::ascii_isdigit(text[i + 4])) continue;
      int year = (text[i] - '0') * 1000 + (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 +
                 (text[i + 3] - '0');
      if (year < 1990 || year > 2100) continue;
      *begin = i;
      *end = i + 4;
      return year;
    }
    return 0;
  }

  static std::string RemoveSpaces(absl::string_view text) {
    std::string out;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t here = pos;
      char32_t cp = NextCodepoint(text, &pos);
      if (IsSpace(cp)) continue;
      out.append(text.data() + here, pos - here);
    }
    return out;
  }

  static absl::string_view CleanAgency(absl::string_view agency) {
    // A crawler's "标题: …" or any "label: " before the title.
    for (absl::string_view colon : {"：", ":"}) {
      size_t at = Find(agency, colon);
      if (at != absl::string_view::npos && at < 30) agency.remove_prefix(at + colon.size());
    }
    for (absl::string_view prefix : {"关于", "正文"}) {
      if (absl::StartsWith(agency, prefix)) agency.remove_prefix(prefix.size());
    }
    for (absl::string_view suffix : {"（", "(", "《", "\"", "“"}) {
      if (absl::EndsWith(agency, suffix)) agency.remove_suffix(suffix.size());
    }
    return agency;
  }

  void ExtractIdentity() {
    // The title: the first line before the first heading that says 报告, with the line before it when
    // the agency or the year stands there ("青同镇人民政府" / "2024年度…年度报告").
    std::vector<const StreamLine*> lines;
    for (size_t idx : title_lines_) {
      const StreamLine& line = stream_.lines[idx];
      if (!line.text.empty()) lines.push_back(&line);
      if (lines.size() >= 12) break;
    }
    // A title line names a year report: it says 年度报告, or a year and 报告 with 公开 / 工作报告
    // (navigation menus say 政府工作报告 and 政府信息公开 with no year).
    int k = -1;
    for (size_t i = 0; i < lines.size(); ++i) {
      absl::string_view t = lines[i]->text;
      if (t.size() > 300 || !Contains(t, "报告")) continue;
      size_t yb = 0, ye = 0;
      bool has_year = FindYear(RemoveSpaces(t), &yb, &ye) > 0;
      if (Contains(t, "年度报告") || (has_year && (Contains(t, "公开") || Contains(t, "工作报告")))) {
        k = static_cast<int>(i);
        break;
      }
    }
    if (k < 0 && !stream_.title_hint.empty()) {
      // The page's own title (HTML <meta name="ArticleTitle"> or <title>) when the body has none.
      hint_line_.text = stream_.title_hint;
      lines.push_back(&hint_line_);
      k = static_cast<int>(lines.size()) - 1;
    }
    if (k >= 0) {
      int j = k;
      std::string title = RemoveSpaces(StripMarkup(lines[k]->text));
      for (int step = 0; step < 2 && j > 0 && lines[k] != &hint_line_; ++step) {
        size_t yb = 0, ye = 0;
        int year = FindYear(title, &yb, &ye);
        bool need = year == 0 || (yb == 0 && !HasAgencyAfterYear(title, ye));
        absl::string_view prev = lines[j - 1]->text;
        if (!need || prev.size() > 90 || Contains(prev, "报告")) break;
        --j;
        title = RemoveSpaces(StripMarkup(prev)) + title;
      }
      report_->set_title(title);
      lines[j]->pos.ToProto(report_->mutable_title_position());
      size_t yb = 0, ye = 0;
      int year = FindYear(title, &yb, &ye);
      report_->set_title_year(year);
      absl::string_view t = title;
      absl::string_view agency;
      if (year > 0) {
        agency = CleanAgency(t.substr(0, yb));
        if (agency.empty()) agency = AgencyAfterYear(t, ye);
      } else {
        size_t cut = t.find("政府信息公开");
        if (cut != absl::string_view::npos) agency = CleanAgency(t.substr(0, cut));
      }
      report_->set_agency(std::string(agency));
    }
    report_->set_period_year(FindPeriodYear());
    report_->set_report_year(report_->title_year() > 0 ? report_->title_year() : report_->period_year());
  }

  static absl::string_view AgencyAfterYear(absl::string_view title, size_t year_end) {
    absl::string_view rest = title.substr(year_end);
    if (absl::StartsWith(rest, "年")) rest.remove_prefix(std::string("年").size());
    if (absl::StartsWith(rest, "度")) rest.remove_prefix(std::string("度").size());
    for (absl::string_view stop : {"政府信息公开", "政务公开", "信息公开"}) {
      size_t cut = rest.find(stop);
      if (cut != absl::string_view::npos) return rest.substr(0, cut);
    }
    return absl::string_view();
  }

  static bool HasAgencyAfterYear(absl::string_view title, size_t year_end) {
    return !AgencyAfterYear(title, year_end).empty();
  }

  int FindPeriodYear() {
    // "统计期限为2024年1月1日至…", "统计周期为 2024 年 1 月 1 日", "自2024年1月1日起".
    size_t limit = std::min<size_t>(stream_.lines.size(), 400);
    for (size_t i = 0; i < limit; ++i) {
      absl::string_view t = stream_.lines[i].text;
      if (t.empty() || t.size() > 4000) continue;
      // Both cues below need a 统 (of 统计) or a 月 (of 1月1日) in the line itself, spaced out or not:
      // other lines are passed over without removing their spaces.
      if (!Contains(t, "统") && !Contains(t, "月")) continue;
      // "统计期限/周期/时间/区间", not any "统计": a 统计局's title names its own year.
      std::string joined = RemoveSpaces(t);
      size_t from = std::string::npos;
      for (absl::string_view word : {"统计期限", "统计周期", "统计时间", "统计区间", "统计期", "统计范围"}) {
        from = std::min(from, joined.find(std::string(word)));
      }
      if (from == std::string::npos && !Contains(joined, "年度报告")) from = joined.find("统计");
      bool stat = from != std::string::npos;
      bool jan1 = Contains(t, "1月1日") || Contains(t, "1 月 1 日");
      if (!stat && !jan1) continue;
      if (i + 1 < stream_.lines.size()) joined += RemoveSpaces(stream_.lines[i + 1].text);
      if (!stat) from = 0;
      for (size_t at = joined.find("年1月1日", from); at != std::string::npos;
           at = joined.find("年1月1日", at + 1)) {
        if (at >= 4) {
          size_t yb = 0, ye = 0;
          int year = FindYear(absl::string_view(joined).substr(at - 4, 4), &yb, &ye);
          if (year > 0) return year;
        }
      }
      if (stat) {
        size_t yb = 0, ye = 0;
        absl::string_view window = absl::string_view(joined).substr(from, 80);
        int year = FindYear(window, &yb, &ye);
        if (year > 0) return year;
      }
    }
    return 0;
  }

  bool MentionsDisclosure() const {
    for (const StreamLine& line : stream_.lines) {
      if (Contains(line.text, "政府信息公开") || Contains(line.text, "政府資訊公開") ||
          Contains(line.text, "政府信息公開")) {
        return true;
      }
    }
    return false;
  }

  // ---- Version and assembly ------------------------------------------------------------------------

  void DetectVersion() {
    TemplateVersion version = v1::TEMPLATE_VERSION_UNKNOWN;
    std::string evidence;
    int year = report_->report_year();
    bool any_table = !rows_.empty() || !t4_values_.empty();
    if (v2019_evidence_ > v2021_evidence_) {
      version = v1::TEMPLATE_VERSION_V2019;
      evidence = "table 二 column labels (本年新制作数量 / 上一年项目数量 / 政府集中采购)";
    } else if (v2021_evidence_ > 0) {
      version = v1::TEMPLATE_VERSION_V2021;
      evidence = "table 二 column labels (本年制发件数 / 本年废止件数 / 现行有效件数)";
    } else if (v2021_row_evidence_ > 0) {
      version = v1::TEMPLATE_VERSION_V2021;
      evidence = "table 三 rows （六）其他处理 1./2./3.";
    } else if (v2019_row_evidence_ > 0) {
      version = v1::TEMPLATE_VERSION_V2019;
      evidence = "table 三 row （六）其他处理 without sub-items";
    } else if (year >= 2021) {
      version = v1::TEMPLATE_VERSION_V2021;
      evidence = absl::StrCat("report year ", year);
    } else if (year >= 2019) {
      version = v1::TEMPLATE_VERSION_V2019;
      evidence = absl::StrCat("report year ", year);
    } else if (year > 0) {
      version = v1::TEMPLATE_VERSION_PRE2019;
      evidence = absl::StrCat("report year ", year, " (before the 2019 template)");
    }
    if (version != v1::TEMPLATE_VERSION_PRE2019 && !any_table && year > 0 && year < 2019) {
      version = v1::TEMPLATE_VERSION_PRE2019;
      evidence = absl::StrCat("report year ", year, " and no standard tables");
    }
    report_->set_version(version);
    report_->set_version_evidence(evidence);
  }

  v1::Table* TableOf(TableId t) {
    switch (t) {
      case TableId::kT2:
        return report_->mutable_table2();
      case TableId::kT3:
        return report_->mutable_table3();
      case TableId::kT4:
        return report_->mutable_table4();
    }
    return nullptr;
  }

  void SetCell(v1::Cell* cell, const StreamCell& source) {
    const CellValue& v = source.value;
    cell->set_raw(std::string(source.text));
    source.pos.ToProto(cell->mutable_position());
    switch (v.kind) {
      case CellValue::Kind::kPlaceholder:
        cell->set_state(v1::CELL_STATE_PLACEHOLDER);
        break;
      case CellValue::Kind::kInteger:
        cell->set_state(v1::CELL_STATE_PRESENT);
        if (IsDecimalCell(cell->key())) {
          cell->mutable_decimal_value()->set_units(v.integer);
          cell->mutable_decimal_value()->set_scale(0);
        } else {
          cell->set_int_value(v.integer);
        }
        break;
      case CellValue::Kind::kDecimal:
        cell->set_state(v1::CELL_STATE_PRESENT);
        cell->mutable_decimal_value()->set_units(v.units);
        cell->mutable_decimal_value()->set_scale(v.scale);
        break;
      case CellValue::Kind::kNotValue:
      case CellValue::Kind::kDigitRun:
        break;
    }
  }

  // A cell from digits split by the table's equations.
  void SetSplitCell(v1::Cell* cell, int64_t value, const Pos& pos) {
    cell->set_raw(absl::StrCat(value));
    pos.ToProto(cell->mutable_position());
    cell->set_state(v1::CELL_STATE_PRESENT);
    if (IsDecimalCell(cell->key())) {
      cell->mutable_decimal_value()->set_units(value);
      cell->mutable_decimal_value()->set_scale(0);
    } else {
      cell->set_int_value(value);
    }
  }

  // Values that are digits run together: every value a run of digits, and at least one run longer than
  // one digit ("320000032", "0 00000"); single digits in their own cells are simply too few or too many.
  static bool AllDigitRuns(const std::vector<const StreamCell*>& values) {
    if (values.empty()) return false;
    bool run = false;
    for (const StreamCell* v : values) {
      if (v->blank || !IsDigitRun(std::string(v->text))) return false;
      if (v->text.size() > 1) run = true;
    }
    return run;
  }

  static std::vector<std::string> Tokens(const std::vector<const StreamCell*>& values) {
    std::vector<std::string> out;
    for (const StreamCell* v : values) out.emplace_back(v->text);
    return out;
  }

  // The position of each split value: its token's cell, moved along by the digits before it.
  static std::vector<Pos> SplitPositions(const std::vector<const StreamCell*>& values, const std::vector<int64_t>& split) {
    std::vector<Pos> out;
    size_t token = 0, used = 0;
    for (int64_t v : split) {
      size_t len = absl::StrCat(v).size();
      while (token < values.size() && used >= values[token]->text.size()) {
        ++token;
        used = 0;
      }
      Pos p = token < values.size() ? values[token]->pos : Pos();
      p.column += static_cast<int32_t>(used);
      p.byte_offset += static_cast<int64_t>(used);
      out.push_back(p);
      used += len;
    }
    return out;
  }

  void AddDigitsNote(const RawRow& row, size_t expected, size_t readings) {
    ParseNote* note = report_->add_notes();
    note->set_kind(ParseNote::KIND_AMBIGUOUS_DIGITS);
    note->set_table(std::string(row.key.substr(0, 2)));
    note->set_row_key(row.key == "t4" ? std::string() : std::string(row.key));
    for (const StreamCell* v : row.values) note->add_values(std::string(v->text));
    note->set_expected_count(static_cast<int32_t>(expected));
    row.label_pos.ToProto(note->mutable_position());
    std::string digits = absl::StrJoin(Tokens(row.values), " ");
    if (readings == 0) {
      note->set_message(absl::StrCat("“", RowLabelOf(row.key), "”一行（第 ", row.label_pos.line, " 行）的数字“", digits,
                                     "”连在一起，无法拆成符合该表等式的 ", expected, " 个数，该行按缺失处理"));
      note->set_message_en(absl::StrCat(row.key, " (line ", row.label_pos.line, "): the digits \"", digits,
                                        "\" run together and cannot be split into ", expected,
                                        " values that satisfy the table's equations"));
    } else {
      note->set_message(absl::StrCat("“", RowLabelOf(row.key), "”一行（第 ", row.label_pos.line, " 行）的数字“", digits,
                                     "”连在一起，有 ", readings, " 种拆法都符合该表等式，无法确定，该行按缺失处理"));
      note->set_message_en(absl::StrCat(row.key, " (line ", row.label_pos.line, "): the digits \"", digits,
                                        "\" run together and split ", readings,
                                        " ways that all satisfy the table's equations; left missing"));
    }
  }

  void AddCountNote(const RawRow& row, size_t expected, absl::string_view table_cn) {
    ParseNote* note = report_->add_notes();
    note->set_kind(ParseNote::KIND_ROW_VALUE_COUNT);
    note->set_table(std::string(row.key.substr(0, 2)));
    note->set_row_key(std::string(row.key));
    for (const StreamCell* v : row.values) note->add_values(std::string(v->text));
    note->set_expected_count(static_cast<int32_t>(expected));
    row.label_pos.ToProto(note->mutable_position());
    note->set_message(absl::StrCat(table_cn, "“", RowLabelOf(row.key), "”一行（第 ", row.label_pos.line,
                                   " 行）有 ", row.values.size(), " 个数值，应为 ", expected,
                                   " 个；该行各格按缺失处理，未移位填入"));
    note->set_message_en(absl::StrCat(row.key, " (line ", row.label_pos.line, ") holds ", row.values.size(),
                                      " values, expected ", expected,
                                      "; its cells are left missing rather than shifted"));
  }

  std::string RowLabelOf(absl::string_view key) {
    if (key == "t4") return "表四";
    if (key == "t3.denied_subtotal") return "（三）不予公开";
    if (key == "t3.unable_subtotal") return "（四）无法提供";
    if (key == "t3.rejected_subtotal") return "（五）不予处理";
    if (key == "t3.other_subtotal") return "（六）其他处理";
    for (TableId t : {TableId::kT2, TableId::kT3}) {
      for (TemplateVersion v : {v1::TEMPLATE_VERSION_V2021, v1::TEMPLATE_VERSION_V2019}) {
        for (const RowSpec& spec : TableRows(t, v)) {
          if (spec.key == key) return spec.label;
        }
      }
    }
    return std::string(key);
  }

  void Assemble() {
    TemplateVersion version = report_->version();
    if (version == v1::TEMPLATE_VERSION_PRE2019) {
      if (!rows_.empty()) {
        ParseNote* note = report_->add_notes();
        note->set_kind(ParseNote::KIND_UNREADABLE);
        note->set_message("报告年度早于 2019 年，没有标准表格，表格内容未读取");
        note->set_message_en("a report from before 2019 has no standard tables; its table rows were not read");
      }
      return;
    }
    InitTables(version, report_);
    absl::flat_hash_set<absl::string_view> seen;  // static row keys
    for (RawRow& row : rows_) {  // the rows are not read again after this
      // In v2021 （六）其他处理 with numbers of its own is the subtotal of its three items.
      if (row.key == "t3.other_processing" && version == v1::TEMPLATE_VERSION_V2021) row.key = "t3.other_subtotal";
      if (absl::EndsWith(row.key, "_subtotal")) {
        AddSubtotal(row);
        continue;
      }
      const std::vector<RowSpec>& specs = TableRows(row.table, version);
      const RowSpec* spec = nullptr;
      for (const RowSpec& s : specs) {
        if (s.key == row.key) spec = &s;
      }
      absl::string_view table_cn = row.table == TableId::kT2 ? "表二" : "表三";
      if (spec == nullptr) {
        ParseNote* note = report_->add_notes();
        note->set_kind(ParseNote::KIND_UNREADABLE);
        note->set_table(std::string(row.key.substr(0, 2)));
        note->set_row_key(std::string(row.key));
        for (const StreamCell* v : row.values) note->add_values(std::string(v->text));
        row.label_pos.ToProto(note->mutable_position());
        note->set_message(absl::StrCat(table_cn, "第 ", row.label_pos.line, " 行“", RowLabelOf(row.key),
                                       "”不属于", VersionName(version), "模板，未读取"));
        note->set_message_en(absl::StrCat(row.key, " (line ", row.label_pos.line, ") is not a row of the ",
                                          VersionName(version), " template; not read"));
        continue;
      }
      v1::Table* table = TableOf(row.table);
      if (!table->present()) {
        table->set_present(true);
        row.label_pos.ToProto(table->mutable_position());
      }
      if (!seen.insert(row.key).second) {
        ParseNote* note = report_->add_notes();
        note->set_kind(ParseNote::KIND_DUPLICATE_ROW);
        note->set_table(std::string(row.key.substr(0, 2)));
        note->set_row_key(std::string(row.key));
        for (const StreamCell* v : row.values) note->add_values(std::string(v->text));
        row.label_pos.ToProto(note->mutable_position());
        note->set_message(absl::StrCat(table_cn, "“", spec->label, "”一行在第 ", row.label_pos.line,
                                       " 行重复出现，保留首次出现的数值"));
        note->set_message_en(absl::StrCat(row.key, " is printed again at line ", row.label_pos.line,
                                          "; the first occurrence is kept"));
        continue;
      }
      if (row.values.size() != spec->columns.size() && AllDigitRuns(row.values)) {
        // Cells run together: split the digits by the row's equation (table 三: total = the six).
        bool t3 = row.table == TableId::kT3;
        auto accept = [t3](const std::vector<int64_t>& v) {
          if (!t3) return true;
          int64_t sum = 0;
          for (size_t i = 0; i + 1 < v.size(); ++i) sum += v[i];
          return sum == v.back();
        };
        auto none = [](const std::vector<int64_t>&) { return true; };
        // Only one way to cut the digits at all ("0000000" into 7): the cells are what they are, and the
        // validator judges the equations. Otherwise the equations choose.
        std::vector<std::vector<int64_t>> splits =
            SplitDigits(Tokens(row.values), static_cast<int>(spec->columns.size()), 0, none, none, 2);
        if (splits.size() != 1) {
          splits = SplitDigits(Tokens(row.values), static_cast<int>(spec->columns.size()), 0, none, accept);
        }
        if (splits.size() != 1) {
          if (t3 && splits.size() > 1) {
            ambiguous_.push_back({row, spec, std::move(splits)});
          } else {
            AddDigitsNote(row, spec->columns.size(), splits.size());
          }
          continue;
        }
        AssignSplit(row, *spec, splits[0]);
        continue;
      }
      if (row.values.size() != spec->columns.size()) {
        AddCountNote(row, spec->columns.size(), table_cn);
        continue;
      }
      // Cells are in FORMAT order: the row's first cell follows the columns of the rows before it.
      int base = 0;
      for (const RowSpec& s : specs) {
        if (&s == spec) break;
        base += static_cast<int>(s.columns.size());
      }
      for (size_t c = 0; c < spec->columns.size(); ++c) {
        SetCell(table->mutable_cells(base + static_cast<int>(c)), *row.values[c]);
      }
    }
    ResolveAmbiguousSplits();
    AssembleTable4();
  }

  void AssignSplit(const RawRow& row, const RowSpec& spec, const std::vector<int64_t>& split) {
    v1::Table* table = TableOf(row.table);
    if (!table->present()) {
      table->set_present(true);
      row.label_pos.ToProto(table->mutable_position());
    }
    const std::vector<RowSpec>& specs = TableRows(row.table, report_->version());
    int base = 0;
    for (const RowSpec& s : specs) {
      if (s.key == spec.key) break;
      base += static_cast<int>(s.columns.size());
    }
    std::vector<Pos> positions = SplitPositions(row.values, split);
    for (size_t c = 0; c < split.size(); ++c) {
      SetSplitCell(table->mutable_cells(base + static_cast<int>(c)), split[c], positions[c]);
    }
  }

  // Table 三 rows whose digits split several ways: keep the readings that agree with the column equations
  // (results sum, 勾稽关系) given the rows already read, until each row has one reading or nothing changes.
  void ResolveAmbiguousSplits() {
    const auto& cols = Table3Columns();
    auto column_value = [&](absl::string_view row_key, size_t col, const std::vector<int64_t>* values,
                            absl::string_view candidate_key) -> std::optional<int64_t> {
      if (row_key == candidate_key) return (*values)[col];
      for (const Ambiguous& a : ambiguous_) {
        if (a.row.key == row_key) return std::nullopt;  // still undecided
      }
      const v1::Cell* cell = FindCell(*report_, absl::StrCat(row_key, ".", cols[col]));
      if (cell == nullptr || cell->state() != v1::CELL_STATE_PRESENT || cell->has_decimal_value()) return std::nullopt;
      return cell->int_value();
    };
    auto consistent = [&](const Ambiguous& a, const std::vector<int64_t>& values) {
      for (size_t c = 0; c < cols.size(); ++c) {
        std::optional<int64_t> total = column_value("t3.total", c, &values, a.row.key);
        int64_t sum = 0;
        bool known = total.has_value();
        for (const std::string& r : Table3ResultRows(report_->version())) {
          std::optional<int64_t> v = column_value(r, c, &values, a.row.key);
          if (!v) {
            known = false;
          } else {
            sum += *v;
          }
        }
        if (known && sum != *total) return false;
        std::optional<int64_t> n = column_value("t3.received_new", c, &values, a.row.key);
        std::optional<int64_t> o = column_value("t3.carried_over", c, &values, a.row.key);
        std::optional<int64_t> t = column_value("t3.total", c, &values, a.row.key);
        std::optional<int64_t> f = column_value("t3.carried_forward", c, &values, a.row.key);
        if (n && o && t && f && *n + *o != *t + *f) return false;
      }
      return true;
    };
    bool changed = true;
    while (changed && !ambiguous_.empty()) {
      changed = false;
      for (size_t i = 0; i < ambiguous_.size(); ++i) {
        Ambiguous& a = ambiguous_[i];
        std::vector<std::vector<int64_t>> kept;
        for (const auto& values : a.splits) {
          if (consistent(a, values)) kept.push_back(values);
        }
        if (kept.size() == 1) {
          Ambiguous done = std::move(a);
          ambiguous_.erase(ambiguous_.begin() + static_cast<std::ptrdiff_t>(i));
          AssignSplit(done.row, *done.spec, kept[0]);
          changed = true;
          break;
        }
        if (!kept.empty() && kept.size() < a.splits.size()) {
          a.splits = std::move(kept);
          changed = true;
        }
      }
    }
    for (const Ambiguous& a : ambiguous_) AddDigitsNote(a.row, a.spec->columns.size(), a.splits.size());
    ambiguous_.clear();
  }

  void AddSubtotal(const RawRow& row) {
    const auto& cols = Table3Columns();
    if (row.values.size() != cols.size() && AllDigitRuns(row.values)) {
      auto all = [](const std::vector<int64_t>&) { return true; };
      auto row_sum = [](const std::vector<int64_t>& v) {
        int64_t sum = 0;
        for (size_t i = 0; i + 1 < v.size(); ++i) sum += v[i];
        return sum == v.back();
      };
      std::vector<std::vector<int64_t>> splits = SplitDigits(Tokens(row.values), 7, 0, all, all, 2);
      if (splits.size() != 1) splits = SplitDigits(Tokens(row.values), 7, 0, all, row_sum);
      if (splits.size() != 1) {
        AddDigitsNote(row, cols.size(), splits.size());
        return;
      }
      std::vector<Pos> positions = SplitPositions(row.values, splits[0]);
      for (size_t c = 0; c < cols.size(); ++c) {
        v1::Cell* cell = report_->add_subtotals();
        cell->set_key(absl::StrCat(row.key, ".", cols[c]));
        SetSplitCell(cell, splits[0][c], positions[c]);
      }
      return;
    }
    if (row.values.size() != cols.size()) {
      AddCountNote(row, cols.size(), "表三");
      return;
    }
    for (size_t c = 0; c < cols.size(); ++c) {
      v1::Cell* cell = report_->add_subtotals();
      cell->set_key(absl::StrCat(row.key, ".", cols[c]));
      SetCell(cell, *row.values[c]);
    }
  }

  void AssembleTable4() {
    if (t4_values_.empty()) return;
    v1::Table* table = report_->mutable_table4();
    table->set_present(true);
    t4_pos_.ToProto(table->mutable_position());
    const auto& groups = Table4Groups();
    const auto& results = Table4Results();
    std::vector<std::pair<int, int>> slots;  // (group, result) for each value
    if (t4_values_.size() != 15 && AllDigitRuns(t4_values_)) {
      // Cells run together: 15 numbers, each group's total the sum of its four results.
      auto group_ok = [](const std::vector<int64_t>& v) {
        size_t n = v.size();
        return v[n - 1] == v[n - 2] + v[n - 3] + v[n - 4] + v[n - 5];
      };
      auto all = [](const std::vector<int64_t>&) { return true; };
      std::vector<std::vector<int64_t>> splits = SplitDigits(Tokens(t4_values_), 15, 0, all, all, 2);
      if (splits.size() != 1) splits = SplitDigits(Tokens(t4_values_), 15, 5, group_ok, all);
      if (splits.size() == 1) {
        std::vector<Pos> positions = SplitPositions(t4_values_, splits[0]);
        for (int i = 0; i < 15; ++i) SetSplitCell(table->mutable_cells(i), splits[0][i], positions[i]);
      } else {
        RawRow row;
        row.key = "t4";
        row.table = TableId::kT4;
        row.values = t4_values_;
        row.label_pos = t4_values_.front()->pos;
        AddDigitsNote(row, 15, splits.size());
      }
      return;
    }
    if (t4_values_.size() == groups.size() * results.size()) {
      for (size_t g = 0; g < groups.size(); ++g) {
        for (size_t r = 0; r < results.size(); ++r) slots.emplace_back(g, r);
      }
    } else {
      // Map by the header's result labels, when they account for every value.
      std::vector<std::pair<int, int>> header;
      int group = 0, last = 99;
      size_t pos = 0;
      while (pos < t4_header_.size()) {
        int slot = NextTable4Slot(t4_header_, &pos);
        if (slot < 0) continue;
        if (slot <= last && last != 99) ++group;
        last = slot;
        header.emplace_back(group, slot);
      }
      bool usable = header.size() == t4_values_.size() && !header.empty() && header.back().first < 3;
      ParseNote* note = report_->add_notes();
      note->set_kind(ParseNote::KIND_ROW_VALUE_COUNT);
      note->set_table("t4");
      for (const StreamCell* v : t4_values_) note->add_values(std::string(v->text));
      note->set_expected_count(15);
      t4_values_.front()->pos.ToProto(note->mutable_position());
      note->set_message(absl::StrCat("表四（第 ", t4_values_.front()->pos.line, " 行）有 ", t4_values_.size(),
                                     " 个数值，应为 15 个；",
                                     usable ? "已按表头逐格对应，表头缺少的格按缺失处理"
                                            : "表头无法逐格对应，各格按缺失处理"));
      note->set_message_en(absl::StrCat("table 4 (line ", t4_values_.front()->pos.line, ") holds ",
                                        t4_values_.size(), " values, expected 15; ",
                                        usable ? "mapped by its header labels, cells the header lacks are missing"
                                               : "the header does not account for them, all cells are left missing"));
      if (usable) slots = header;
    }
    for (size_t i = 0; i < slots.size(); ++i) {
      v1::Cell* cell = table->mutable_cells(slots[i].first * static_cast<int>(results.size()) + slots[i].second);
      if (cell->state() == v1::CELL_STATE_MISSING) SetCell(cell, *t4_values_[i]);
    }
  }

  const CellStream& stream_;
  AnnualReport* report_;

  int section_ = 0;
  int sections_found_ = 0;
  v1::Section* current_section_ = nullptr;
  int first_heading_line_ = -1;
  size_t narrative_done_ = static_cast<size_t>(-1);  // a line already added to its section's text
  std::vector<size_t> title_lines_;
  StreamLine hint_line_;

  std::vector<PendingLabel> pending_;
  Pos label_pos_;
  bool open_ = false;
  RawRow row_;
  std::string tail_buffer_;            // ResolvePending's, kept for its capacity
  std::vector<size_t> starts_buffer_;  // ResolvePending's, kept for its capacity
  std::vector<RawRow> rows_;
  absl::flat_hash_set<absl::string_view> seen_keys_;  // static row keys
  std::string ambiguous_key_;
  std::string ambiguous_rival_;
  struct Ambiguous {
    RawRow row;
    const RowSpec* spec;
    std::vector<std::vector<int64_t>> splits;
  };
  std::vector<Ambiguous> ambiguous_;
  int t3_rows_ = 0;
  bool t3_done_ = false;
  bool t2_open_ = false;

  bool in_t4_ = false;
  bool t4_done_ = false;
  Pos t4_pos_;
  std::string t4_header_;
  std::vector<const StreamCell*> t4_values_;

  int v2019_evidence_ = 0;
  int v2021_evidence_ = 0;
  int v2019_row_evidence_ = 0;
  int v2021_row_evidence_ = 0;
};

}  // namespace

namespace {

// The first three bytes of `s` (at least three long) as one number.
uint32_t FirstChar3(absl::string_view s) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[0])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[1])) << 8) | static_cast<unsigned char>(s[2]);
}

}  // namespace

int DetectSectionHeading(absl::string_view line, int current) {
  line = StripMarkup(line);
  if (line.empty()) return 0;
  if (line.size() > 200) {
    // A heading run into its text ("五、存在的主要问题及改进情况2019年，我区…"): numbered, and starting with
    // the canonical heading itself.
    return DetectGluedHeading(line.substr(0, 120));
  }
  // A heading is numbered (一、 … 六、) or starts like a canonical heading; anything else is a label or prose.
  static constexpr absl::string_view kStarts[] = {"一", "二", "三", "四", "五", "六", "总体情况", "總體情況",
                                                  "主动公开政府信息", "收到和处理", "政府信息公开", "因政府信息公开",
                                                  "存在的主要问题", "其他需要报告", "其他事项", "行政机关"};
  // Every start above begins with a 3-byte character: compare that first, as one number, before the words.
  static const auto* first_chars = [] {
    auto* set = new std::vector<uint32_t>();
    for (absl::string_view start : kStarts) set->push_back(FirstChar3(start));
    return set;
  }();
  if (line.size() < 3 || std::find(first_chars->begin(), first_chars->end(), FirstChar3(line)) == first_chars->end()) {
    return 0;
  }
  bool starts = false;
  for (absl::string_view start : kStarts) {
    if (absl::StartsWith(line, start)) {
      starts = true;
      break;
    }
  }
  if (!starts) return 0;
  // Every heading holds one of these words (simplified or traditional); most lines hold none.
  static constexpr absl::string_view kKeys[] = {"总体", "總體", "主动公开", "主動公開", "收到和处理", "收到和處理",
                                                "申请情况", "申請情況", "复议", "復議", "複議", "诉讼", "訴訟",
                                                "问题", "問題", "其他"};
  bool candidate = false;
  for (absl::string_view key : kKeys) {
    if (Contains(line, key)) {
      candidate = true;
      break;
    }
  }
  if (!candidate) return 0;
  // A numbered heading: 一、 … 六、 (not （一）, which numbers sub-topics).
  bool numbered = false;
  for (int n = 1; n <= 6; ++n) {
    absl::string_view numeral = kDigitsCn[n];
    if (!absl::StartsWith(line, numeral)) continue;
    absl::string_view rest = line.substr(numeral.size());
    for (absl::string_view sep : {"、", ".", "．", " ", "　", "，", ","}) {
      if (absl::StartsWith(rest, sep)) {
        numbered = true;
        line = TrimSpace(rest.substr(sep.size()));
        break;
      }
    }
    break;
  }
  std::string norm = NormalizeLabel(line);
  if (norm.empty() || norm.size() > 120) return 0;
  int section = 0;
  if (absl::StartsWith(norm, "总体情况")) {
    section = 1;
  } else if (Contains(norm, "主动公开") && Contains(norm, "情况") &&
             !Contains(norm, "申请")) {
    section = 2;
  } else if (Contains(norm, "收到和处理") ||
             (Contains(norm, "申请情况") && Contains(norm, "政府信息公开"))) {
    section = 3;
  } else if (Contains(norm, "行政复议") || Contains(norm, "行政诉讼")) {
    section = 4;
  } else if (Contains(norm, "问题") &&
             (Contains(norm, "改进") || Contains(norm, "存在"))) {
    section = 5;
  } else if (absl::StartsWith(norm, "其他需要报告") || norm == "其他事项") {
    section = 6;
  }
  if (section == 0) return 0;
  if (numbered) return section;
  // Unnumbered: only a heading that reads like the canonical one and moves forward.
  static const auto* kCanonical = new std::vector<std::string>{
      "", NormalizeLabel("总体情况"), NormalizeLabel("主动公开政府信息"), NormalizeLabel("收到和处理政府信息公开申请"),
      NormalizeLabel("政府信息公开行政复议"), NormalizeLabel("存在的主要问题"), NormalizeLabel("其他需要报告的事项")};
  const std::string& canonical = (*kCanonical)[section];
  bool looks_canonical = absl::StartsWith(norm, canonical) ||
                         (section == 5 && Contains(norm, "存在的主要问题及改进")) ||
                         (section == 4 && absl::StartsWith(norm, "因政府信息公开工作被申请行政复议"));
  if (!looks_canonical || norm.size() > canonical.size() + 45) return 0;
  return section > current ? section : 0;
}

int DetectGluedHeading(absl::string_view start) {
  for (int n = 1; n <= 6; ++n) {
    absl::string_view numeral = kDigitsCn[n];
    if (!absl::StartsWith(start, numeral)) continue;
    absl::string_view rest = start.substr(numeral.size());
    if (!absl::StartsWith(rest, "、")) return 0;
    std::string norm = NormalizeLabel(rest.substr(std::string("、").size()));
    static const std::vector<std::pair<int, std::string>>* starts = new std::vector<std::pair<int, std::string>>{
        {1, NormalizeLabel("总体情况")},
        {2, NormalizeLabel("主动公开政府信息")},
        {2, NormalizeLabel("行政机关主动公开政府信息")},
        {3, NormalizeLabel("收到和处理政府信息公开申请")},
        {3, NormalizeLabel("行政机关收到和处理政府信息公开申请")},
        {4, NormalizeLabel("政府信息公开行政复议")},
        {4, NormalizeLabel("因政府信息公开工作被申请行政复议")},
        {5, NormalizeLabel("存在的主要问题")},
        {5, NormalizeLabel("政府信息公开工作存在的主要问题")},
        {6, NormalizeLabel("其他需要报告的事项")},
    };
    for (const auto& [section, form] : *starts) {
      if (section == n && absl::StartsWith(norm, form)) return section;
    }
    return 0;
  }
  return 0;
}

absl::Status Recognize(const CellStream& stream, v1::AnnualReport* report) {
  Recognizer recognizer(stream, report);
  return recognizer.Run();
}

}  // namespace gongkai::parser
