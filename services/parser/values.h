// Reading a cell as a number, a placeholder, or neither.
#ifndef GONGKAI_SERVICES_PARSER_VALUES_H_
#define GONGKAI_SERVICES_PARSER_VALUES_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace gongkai::parser {

struct CellValue {
  // kDigitRun: more than 18 digits in a row, the cells of a row run together by a scraper; the recogniser
  // splits it, it is never a value by itself.
  enum class Kind { kNotValue, kInteger, kDecimal, kPlaceholder, kDigitRun };
  Kind kind = Kind::kNotValue;
  int64_t integer = 0;  // kInteger
  int64_t units = 0;    // kDecimal: value = units / 10^scale
  int32_t scale = 0;

  bool is_value() const { return kind != Kind::kNotValue; }
};

// Classifies a trimmed cell. Numbers: an optional sign, ASCII or full-width digits with optional
// thousands separators, an optional decimal part, an optional unit (件 个 项 条 次 元 万元).
// Placeholders: "/", "-", "—", "——", "无" and their full-width forms, and an empty string.
// Anything else (labels, prose, numbers of more than 18 digits) is kNotValue.
CellValue ClassifyValue(absl::string_view cell);

// False when no value ClassifyValue accepts could end in the cell's last character (a digit, a full-width
// digit, the last character of a placeholder or a unit): a cheap screen before splitting trailing values
// off a label.
bool MayEndAValue(absl::string_view cell);

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_VALUES_H_
