#include "services/parser/layout.h"

#include "common/text.h"

namespace gongkai::parser {
namespace {

bool IsDash(char32_t cp) {
  return cp == '-' || cp == 0x2014 || cp == 0x2013 || cp == 0xFF0D || cp == 0x2015 || cp == 0x2212;
}

}  // namespace

bool IsPageNumberLine(absl::string_view line) {
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
