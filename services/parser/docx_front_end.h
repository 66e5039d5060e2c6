// The DOCX front end (libzip + libxml2): paragraphs and w:tbl tables of word/document.xml into the cell
// stream. A table row is a line whose cells are its w:tc (text of all their runs, split or not); merged cells
// (w:gridSpan) are one cell, vertical merge continuations (w:vMerge) give none, like an HTML rowspan; field
// instructions and deleted text are left out.
#ifndef GONGKAI_SERVICES_PARSER_DOCX_FRONT_END_H_
#define GONGKAI_SERVICES_PARSER_DOCX_FRONT_END_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/parser/cell_stream.h"

namespace gongkai::parser {

struct DocxFrontEndOptions {
  int64_t max_cells = 2'000'000;
  int64_t max_xml_bytes = 64 << 20;  // word/document.xml larger than this once unzipped is refused (zip bombs)
};

// Reads a .docx. InvalidArgument says what the file is when it is not a readable Word document: a damaged
// or truncated zip, an .xlsx/.pptx, a zip bomb, XML that is not well-formed.
absl::StatusOr<CellStream> ReadDocx(absl::string_view bytes, const DocxFrontEndOptions& options = {});

// One entry of a zip archive, at most `max_bytes` once inflated (whatever the archive claims).
absl::StatusOr<std::string> ReadZipEntry(absl::string_view zip_bytes, absl::string_view name, int64_t max_bytes);

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_DOCX_FRONT_END_H_
