// The HTML front end (gumbo): a government web page, with its navigation, scripts and styles around the
// report, into the cell stream. Every leaf <table> row is a line whose cells are its <td>/<th> (text of all
// their descendants; an empty cell is a blank); tables that hold tables are layout and are walked into;
// text outside tables becomes one line per block element.
#ifndef GONGKAI_SERVICES_PARSER_HTML_FRONT_END_H_
#define GONGKAI_SERVICES_PARSER_HTML_FRONT_END_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/parser/cell_stream.h"

namespace gongkai::parser {

struct HtmlFrontEndOptions {
  int64_t max_cells = 2'000'000;   // more cells: InvalidArgument
  int max_nesting_depth = 2'000;   // deeper element nesting: InvalidArgument, checked before parsing
};

// Reads UTF-8 HTML (see encoding.h for other charsets). Positions: line and column of each cell's <td> in
// the decoded page, its byte offset, and table / row / cell indexes (1-based).
absl::StatusOr<CellStream> ReadHtml(absl::string_view html, const HtmlFrontEndOptions& options = {});

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_HTML_FRONT_END_H_
