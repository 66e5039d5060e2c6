#include "services/parser/layout.h"

#include "common/text.h"

namespace gongkai::parser {
namespace {

bool IsDash(char32_t cp) {
  return cp == '-' || cp == 0x2014 || cp == 0x2013 || cp == 0xFF0D || cp == 0x2015 || cp == 0x2212;
}

}  // namespace

bool IsPageNumberLine(absl::string_view line) {
  // A page number line starts with a space or a dash: ASCII, or a lead byte of NBSP (C2), of the
  // U+2000 block (E2), of U+3000 (E3) or of a full-width form (EF). Most lines stop here.
  if (line.empty()) return false;
  unsigned char first = static_cast<unsigned char>(line[0]);
  if (!(first == '-' || first == ' ' || (first >= '\t' && first <= '\r') || first == 0xC2 || first == 0xE2 ||
        first == 0xE3 || first == 0xEF)) {
    return false;
  }
  size_t pos = 0;
  int lead = 0, digits = 0, trail = 0;
  while (pos < line.size()) {
    char32_t cp = NextCodepoint(line, &pos);
    if (IsSpace(cp)) continue;
    if (IsDash(cp)) {
      if (digits == 0) {
        ++lead;
      } else {
        ++trail;
      }
    } else if (cp >= '0' && cp <= '9' && trail == 0) {
      ++digits;
    } else {
      return false;
    }
  }
  return lead > 0 && trail > 0 && digits > 0 && digits <= 4;
}

}  // namespace gongkai::parser
