// The parser library: a document's bytes in, an AnnualReport out. No gRPC in here.
#ifndef GONGKAI_SERVICES_PARSER_PARSER_H_
#define GONGKAI_SERVICES_PARSER_PARSER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai::parser {

// Limits and switches of one parse. The defaults suit any real report with room to spare.
struct ParserOptions {
  // Inputs larger than this are refused with InvalidArgument (the largest real report seen is < 1 MB of
  // text; a web page with its scripts < 500 KB).
  int64_t max_input_bytes = 32 << 20;
  // More table cells than this after tokenisation are refused (a report has a few hundred).
  int64_t max_cells = 2'000'000;
  // Deeper element nesting in HTML or XML is refused before it is parsed (a report page nests a few dozen).
  int max_nesting_depth = 2'000;
  // PDFs with more pages are refused (an annual report has 3 to 20).
  int max_pdf_pages = 200;
};

// Parses a document whose format is detected from its content (and, as a hint, its file name or media
// type). Errors (InvalidArgument unless said otherwise) name what the input is and what was expected:
// empty input, binary data, invalid UTF-8, a format this build does not read (Unimplemented), or text
// that is not an annual report. Problems inside a report are not errors: they are ParseNotes and cell
// states on the returned report. Thread-safe.
absl::StatusOr<gongkai::v1::AnnualReport> ParseDocument(absl::string_view bytes,
                                                        absl::string_view file_name = {},
                                                        absl::string_view media_type = {},
                                                        const ParserOptions& options = {});

// Parses UTF-8 text (a UTF-8 byte-order mark is skipped). Same errors as ParseDocument. Thread-safe.
absl::StatusOr<gongkai::v1::AnnualReport> ParseText(absl::string_view text,
                                                    const ParserOptions& options = {});

// As ParseDocument / ParseText, but fills `*report` (which the caller may allocate on a protobuf Arena:
// a report holds a few hundred small objects). `*report` is cleared first.
absl::Status ParseDocumentInto(absl::string_view bytes, absl::string_view file_name, absl::string_view media_type,
                               const ParserOptions& options, gongkai::v1::AnnualReport* report);
absl::Status ParseTextInto(absl::string_view text, const ParserOptions& options, gongkai::v1::AnnualReport* report);

// What a document's bytes look like.
gongkai::v1::DocumentFormat DetectFormat(absl::string_view bytes, absl::string_view file_name,
                                         absl::string_view media_type);

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_PARSER_H_
