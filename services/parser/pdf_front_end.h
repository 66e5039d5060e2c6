// The PDF front end (poppler's C++ API): a PDF with a text layer into the cell stream. Words are grouped
// into lines by their vertical position; words farther apart than about a character's height start a new
// cell (table columns), and a number is always a cell of its own. Page-number footers are dropped; tables
// that cross a page simply continue on the next page's lines.
#ifndef GONGKAI_SERVICES_PARSER_PDF_FRONT_END_H_
#define GONGKAI_SERVICES_PARSER_PDF_FRONT_END_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/parser/cell_stream.h"

namespace gongkai::parser {

struct PdfFrontEndOptions {
  int max_pages = 200;             // more pages: InvalidArgument (an annual report has 3 to 20)
  int64_t max_cells = 2'000'000;
};

// Reads a PDF. Positions are the page and the line within the page. InvalidArgument says what is wrong
// with a PDF that cannot be read: damaged, encrypted, too many pages, or no text layer (a scan).
absl::StatusOr<CellStream> ReadPdf(absl::string_view bytes, const PdfFrontEndOptions& options = {});

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_PDF_FRONT_END_H_
