// The label matcher: which table row a label names, by its normalised form (common/text.h), never by
// position. Front ends never match labels themselves; the table recogniser calls this.
#ifndef GONGKAI_SERVICES_PARSER_LABELS_H_
#define GONGKAI_SERVICES_PARSER_LABELS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/schema.h"

namespace gongkai::parser {

// A row a label can name. `row_key` is the row's key prefix ("t3.granted"); rows of both template
// versions are included ("t3.other_processing" is v2019's, "t2.procurement" too).
struct RowLabel {
  std::string row_key;
  TableId table;
};

struct LabelMatch {
  const RowLabel* row;
  size_t start;  // byte offset in the normalised text where the matched form starts
};

// Finds the row whose label form the normalised text `tail` ends with, preferring the longest form.
// `last_cell` is the normalised text of the last label cell; `in_table3` allows a bare "总计" (the whole
// last cell) to name table 三's total row, as it does only inside that table.
std::optional<LabelMatch> MatchRowLabel(absl::string_view tail, absl::string_view last_cell,
                                        bool in_table3);

// A looser match for labels a layout damaged, tried inside table 三 when MatchRowLabel finds nothing.
// The end of `text` (normalised label cells) must read as the start of one row's long form (8+ characters)
// with at most 3 characters inserted or dropped: a label cut short by its own values
// ("二部分公开区分处理的只计这一情"), one with characters a PDF dropped ("2其他法律行政止公开"), or one with
// a vertical group label run into it ("…收费通知要他处理求缴纳费用…"). Nothing when two rows read equally
// well. `start` is the byte offset in `text` where the matched label begins.
std::optional<LabelMatch> MatchDamagedRowLabel(absl::string_view text);

// True when `prefix` (normalised text standing before a short row label in its cell) holds only numbering
// and group words ("三本年度办理结果一", "四无法提供2"), not prose.
bool IsLabelPrefix(absl::string_view prefix);

// What a normalised header text says about the template version.
enum class VersionHint { kNone, kV2021, kV2019 };
VersionHint VersionHintOf(absl::string_view normalized);

// The result slot a normalised table 四 header fragment names at `pos`: 0 upheld, 1 corrected,
// 2 other, 3 pending, 4 total, or -1; advances `*pos` past the fragment (or one code point).
int NextTable4Slot(absl::string_view normalized, size_t* pos);

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_LABELS_H_
