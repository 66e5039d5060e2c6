#include "services/parser/values.h"

#include <bitset>

#include "absl/types/span.h"
#include "common/text.h"

namespace gongkai::parser {
namespace {

// What a cell may hold besides a number: placeholders, and the units a number may carry.
constexpr absl::string_view kPlaceholders[] = {"/", "／", "-", "－", "—", "——", "–", "―", "−", "无", "\\"};
constexpr absl::string_view kUnits[] = {"件", "个", "项", "条", "次", "元", "万元", "人"};

bool IsPlaceholder(absl::string_view s) {
  for (absl::string_view p : kPlaceholders) {
    if (s == p) return true;
  }
  return false;
}

}  // namespace

CellValue ClassifyValue(absl::string_view cell) {
  CellValue out;
  if (cell.empty()) {
    out.kind = CellValue::Kind::kPlaceholder;
    return out;
  }
  // Quick reject: a value starts with a digit, a sign, a full-width digit or sign, or a placeholder mark.
  unsigned char first = static_cast<unsigned char>(cell[0]);
  if (!((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '/' || first == '\\' ||
        first == 0xE2 || first == 0xEF || (first == 0xE6 && cell.size() == 3))) {
    return CellValue{};
  }
  if ((first < '0' || first > '9') && IsPlaceholder(cell)) {  // no placeholder starts with a digit
    out.kind = CellValue::Kind::kPlaceholder;
    return out;
  }
  size_t pos = 0;
  bool negative = false;
  int64_t int_part = 0;
  int digits = 0;
  int frac_digits = 0;
  int64_t frac = 0;
  bool seen_point = false;
  bool seen_sign = false;
  int group_len = 0;        // digits since the last thousands separator
  bool seen_separator = false;
  while (pos < cell.size()) {
    size_t next = pos;
    char32_t cp = NextCodepoint(cell, &next);
    if (cp >= 0xFF10 && cp <= 0xFF19) cp = cp - 0xFF10 + '0';  // full-width digits
    if (cp >= '0' && cp <= '9') {
      if (digits + frac_digits >= 18) {
        // Only ASCII digits all the way: cells run together.
        for (char c : cell) {
          if (c < '0' || c > '9') return CellValue{};
        }
        if (cell.size() > 200) return CellValue{};
        CellValue run;
        run.kind = CellValue::Kind::kDigitRun;
        return run;
      }
      if (seen_point) {
        frac = frac * 10 + (cp - '0');
        ++frac_digits;
      } else {
        int_part = int_part * 10 + (cp - '0');
        ++digits;
        ++group_len;
      }
      pos = next;
      continue;
    }
    if ((cp == '-' || cp == 0xFF0D || cp == 0x2212 || cp == '+' || cp == 0xFF0B) && pos == 0) {
      negative = (cp != '+' && cp != 0xFF0B);
      seen_sign = true;
      pos = next;
      continue;
    }
    if ((cp == ',' || cp == 0xFF0C) && digits > 0 && !seen_point) {
      if (seen_separator && group_len != 3) return CellValue{};
      if (!seen_separator && group_len > 3) return CellValue{};
      seen_separator = true;
      group_len = 0;
      pos = next;
      continue;
    }
    if ((cp == '.' || cp == 0xFF0E) && digits > 0 && !seen_point) {
      seen_point = true;
      pos = next;
      continue;
    }
    break;
  }
  if (digits == 0) return CellValue{};
  if (seen_separator && group_len != 3) return CellValue{};
  if (seen_point && frac_digits == 0) return CellValue{};
  // An optional unit and nothing else.
  absl::string_view rest = TrimSpace(cell.substr(pos));
  if (!rest.empty()) {
    bool unit = false;
    for (absl::string_view u : kUnits) {
      if (rest == u) unit = true;
    }
    if (!unit) return CellValue{};
  }
  (void)seen_sign;
  if (seen_point) {
    out.kind = CellValue::Kind::kDecimal;
    int64_t scale_pow = 1;
    for (int i = 0; i < frac_digits; ++i) scale_pow *= 10;
    out.units = int_part * scale_pow + frac;
    if (negative) out.units = -out.units;
    out.scale = frac_digits;
  } else {
    out.kind = CellValue::Kind::kInteger;
    out.integer = negative ? -int_part : int_part;
  }
  return out;
}

namespace {

// Last code point of `text` (not empty).
char32_t LastCodepoint(absl::string_view text) {
  size_t start = text.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return NextCodepoint(text, &start);
}

// The characters a value can end in, one bit per BMP code point: ASCII and full-width digits, and the last
// character of each placeholder and unit, worked out once from their lists.
std::bitset<0x10000> MakeValueEnds() {
  std::bitset<0x10000> ends;
  for (char32_t d = '0'; d <= '9'; ++d) ends.set(d);
  for (char32_t d = 0xFF10; d <= 0xFF19; ++d) ends.set(d);
  for (const auto& list : {absl::MakeConstSpan(kPlaceholders), absl::MakeConstSpan(kUnits)}) {
    for (absl::string_view word : list) ends.set(LastCodepoint(word));
  }
  return ends;
}

}  // namespace

bool MayEndAValue(absl::string_view cell) {
  static const std::bitset<0x10000>* const kEnds = new std::bitset<0x10000>(MakeValueEnds());
  if (cell.empty()) return false;
  char32_t last = LastCodepoint(cell);
  return last < 0x10000 && kEnds->test(last);
}

}  // namespace gongkai::parser
