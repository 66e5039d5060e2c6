// A PDF writer for generated reports: a text layer only, as a PDF exported from Word carries one. Each line of
// the input is a line of the page; its tab-separated cells are placed apart, as a table's columns are; long
// single-cell lines (the narrative) wrap. Text uses a Type0 font with Identity-H encoding and a ToUnicode map,
// so that poppler reads back exactly the characters written; the font is not embedded (nothing is drawn
// that a reader would need to see — the point is the text layer).
#ifndef GONGKAI_TOOLS_CORPUS_PDF_WRITER_H_
#define GONGKAI_TOOLS_CORPUS_PDF_WRITER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gongkai::corpus {

// A PDF file around `objects` (object i+1 is objects[i]; object 1 must be the catalog): header, the
// objects, the cross-reference table and the trailer.
std::string AssemblePdf(const std::vector<std::string>& objects);

// A PDF of `tab_text` (lines of tab-separated cells, such as RenderReport's Layout::kTabs), A4-high pages.
// Characters outside the Basic Multilingual Plane are dropped.
std::string RenderPdf(absl::string_view tab_text);

}  // namespace gongkai::corpus

#endif  // GONGKAI_TOOLS_CORPUS_PDF_WRITER_H_
