// The plain-text front end: tab-separated, pipe-separated, Markdown tables, one cell per line, and
// PDF-style lines where a label is followed by space-separated numbers.
#ifndef GONGKAI_SERVICES_PARSER_TEXT_FRONT_END_H_
#define GONGKAI_SERVICES_PARSER_TEXT_FRONT_END_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/parser/cell_stream.h"

namespace gongkai::parser {

struct TextFrontEndOptions {
  int64_t max_cells = 2'000'000;  // more cells than this: InvalidArgument (a hostile input)
};

// Splits valid UTF-8 `text` into lines and cells. Cells point into `text`, which must outlive the stream.
// Splits on tabs and '|'; a cell ending in space-separated numbers is split into a label and values;
// Markdown separator rows, page-number lines ("— 3 —", "- 4 -") and "[bookmark: …]" marks are dropped.
absl::StatusOr<CellStream> ReadText(absl::string_view text, const TextFrontEndOptions& options = {});

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_TEXT_FRONT_END_H_
