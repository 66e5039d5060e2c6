// The cell stream: what every format front end (text, HTML, DOCX, PDF) produces and the one table
// recogniser reads. A stream is a list of lines; a line is a list of cells with their source positions.
#ifndef GONGKAI_SERVICES_PARSER_CELL_STREAM_H_
#define GONGKAI_SERVICES_PARSER_CELL_STREAM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gongkai/v1/report.pb.h"
#include "services/parser/values.h"

namespace gongkai::parser {

// A light source position (converted to v1::SourcePosition only for cells and notes that are kept).
struct Pos {
  int32_t line = 0;         // 1-based (for a PDF: within the page)
  int32_t column = 0;       // 0-based, in code points
  int64_t byte_offset = 0;  // into the decoded UTF-8 text
  int32_t page = 0;         // PDF page, 1-based
  int32_t table = 0;        // HTML/DOCX table, 1-based
  int32_t row = 0;          // row within the table, 1-based
  int32_t cell = 0;         // cell within the row, 1-based

  void ToProto(gongkai::v1::SourcePosition* out) const;
};

// One cell: a run of text that a table layout separates from its neighbours.
struct StreamCell {
  absl::string_view text;  // trimmed; never empty unless `blank`
  Pos pos;
  bool blank = false;  // an explicit empty table cell (HTML/DOCX/markup): a placeholder where a number belongs
  CellValue value;     // the cell read as a value (front ends fill it: ClassifyValue(text), or kPlaceholder if blank)
};

// One line of the source, or one row of a real table. Its cells are stream.cells[first_cell, +cell_count).
struct StreamLine {
  uint32_t first_cell = 0;
  uint32_t cell_count = 0;
  absl::string_view text;  // the whole line as written (trimmed), for headings and narrative
  Pos pos;
  bool table_row = false;  // the line is a row of a real table (HTML/DOCX): its cells are the row's cells
};

// The stream, with storage for text the front end had to build (decoded entities, joined runs).
struct CellStream {
  std::vector<StreamLine> lines;
  std::vector<StreamCell> cells;  // every line's cells, in order (one allocation, not one per line)
  // The document's own title when its format has one (HTML ArticleTitle or <title>), for reports whose
  // body does not repeat it.
  std::string title_hint;
  gongkai::v1::DocumentFormat format = gongkai::v1::DOCUMENT_FORMAT_TEXT;
  // Owned text that cells may point into; each string is heap-held so its address stays stable.
  std::vector<std::unique_ptr<std::string>> storage;

  // The cells of `line`.
  absl::Span<const StreamCell> CellsOf(const StreamLine& line) const {
    return absl::Span<const StreamCell>(cells.data() + line.first_cell, line.cell_count);
  }

  // Copies `text` into storage and returns a view of the copy.
  absl::string_view Own(std::string text) {
    storage.push_back(std::make_unique<std::string>(std::move(text)));
    return *storage.back();
  }

  // Appends a line of one cell holding `text` (trimmed by the caller); nothing when it is empty.
  void AddTextLine(std::string text, const Pos& pos);
};

// Builds one row of a real table (HTML, DOCX) at the end of a stream: its cells, blank or not, and the
// row's text (its non-blank cells joined by spaces). Cells are appended as they come; Finish adds the line.
class RowBuilder {
 public:
  // Starts a row at `pos` (table and row set by the caller). `stream` must outlive the builder.
  RowBuilder(CellStream* stream, const Pos& pos);

  // Appends a cell at `pos`: `text` trimmed by the caller, empty for a blank cell (a placeholder where a
  // number belongs, never 0).
  void AddCell(std::string text, const Pos& pos);

  // Appends the row's line to the stream. Call once, after the last cell.
  void Finish();

 private:
  CellStream* stream_;
  StreamLine line_;
  std::string text_;
};

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_CELL_STREAM_H_
