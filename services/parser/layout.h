// Layout helpers shared by the front ends (never label logic: that is labels.h's alone).
#ifndef GONGKAI_SERVICES_PARSER_LAYOUT_H_
#define GONGKAI_SERVICES_PARSER_LAYOUT_H_

#include "absl/strings/string_view.h"

namespace gongkai::parser {

// "— 3 —", "- 4 -", "-12-": a page number between dashes, as printed in page footers.
bool IsPageNumberLine(absl::string_view line);

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_LAYOUT_H_
