// libFuzzer target: one parser front end fed arbitrary bytes. Built four times, with GONGKAI_FUZZ_FILE_NAME
// "report.txt", "report.html", "report.docx" or "report.pdf", so that the format detector's hint steers the
// bytes to the text, HTML, DOCX or PDF front end. Whatever the input, ParseDocument must return (a report or
// a clear error) without a crash, a leak, undefined behaviour or an over-long run; a returned report must
// hold only cells of its template and positions inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/schema.h"
#include "services/parser/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  gongkai::parser::ParserOptions options;
  options.max_pdf_pages = 20;  // keep each run short; the limit itself is tested elsewhere
  absl::StatusOr<gongkai::v1::AnnualReport> report =
      gongkai::parser::ParseDocument(bytes, GONGKAI_FUZZ_FILE_NAME, {}, options);
  if (!report.ok()) {
    if (report.status().message().empty()) std::abort();  // every refusal says why
    return 0;
  }
  for (const gongkai::v1::Table* t : {&report->table2(), &report->table3(), &report->table4()}) {
    for (const gongkai::v1::Cell& cell : t->cells()) {
      if (cell.position().byte_offset() > static_cast<int64_t>(size) && report->format() == gongkai::v1::DOCUMENT_FORMAT_TEXT) {
        std::abort();  // a text position must point into the input
      }
    }
  }
  return 0;
}
