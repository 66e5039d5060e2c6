#include "services/parser/parser.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/text.h"
#include "services/parser/docx_front_end.h"
#include "services/parser/encoding.h"
#include "services/parser/html_front_end.h"
#include "services/parser/pdf_front_end.h"
#include "services/parser/recognizer.h"
#include "services/parser/text_front_end.h"

namespace gongkai::parser {
namespace {

bool LooksLikeHtml(absl::string_view bytes) {
  absl::string_view head = bytes.substr(0, 2048);
  std::string lower = absl::AsciiStrToLower(head);
  return absl::StrContains(lower, "<html") || absl::StrContains(lower, "<!doctype html") ||
         absl::StrContains(lower, "<table") || absl::StrContains(lower, "<body") ||
         absl::StrContains(lower, "<div") || absl::StrContains(lower, "<p ") ||
         absl::StrContains(lower, "<p>");
}

absl::Status CheckSize(absl::string_view bytes, const ParserOptions& options) {
  if (static_cast<int64_t>(bytes.size()) > options.max_input_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("the input is ", bytes.size(),
                                                   " bytes, over the limit of ", options.max_input_bytes,
                                                   " bytes (ParserOptions.max_input_bytes)"));
  }
  if (TrimSpace(bytes).empty()) return absl::InvalidArgumentError("the input is empty");
  return absl::OkStatus();
}

}  // namespace

gongkai::v1::DocumentFormat DetectFormat(absl::string_view bytes, absl::string_view file_name,
                                         absl::string_view media_type) {
  if (absl::StartsWith(bytes, "%PDF-")) return v1::DOCUMENT_FORMAT_PDF;
  if (absl::StartsWith(bytes, absl::string_view("PK\x03\x04", 4))) return v1::DOCUMENT_FORMAT_DOCX;
  if (LooksLikeHtml(bytes) || absl::StrContains(media_type, "html")) return v1::DOCUMENT_FORMAT_HTML;
  std::string lower_name = absl::AsciiStrToLower(file_name);
  if (absl::EndsWith(lower_name, ".md")) return v1::DOCUMENT_FORMAT_MARKDOWN;
  return v1::DOCUMENT_FORMAT_TEXT;
}

absl::Status ParseTextInto(absl::string_view text, const ParserOptions& options, v1::AnnualReport* report) {
  report->Clear();
  GONGKAI_RETURN_IF_ERROR(CheckSize(text, options));
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  if (absl::StartsWith(text, "\xFF\xFE") || absl::StartsWith(text, "\xFE\xFF")) {
    return absl::InvalidArgumentError(
        "the input is UTF-16 text (it starts with a UTF-16 byte-order mark); expected UTF-8");
  }
  GONGKAI_RETURN_IF_ERROR(ValidateUtf8(text));
  TextFrontEndOptions front_options;
  front_options.max_cells = options.max_cells;
  GONGKAI_ASSIGN_OR_RETURN(CellStream stream, ReadText(text, front_options));
  return Recognize(stream, report);
}

absl::Status ParseDocumentInto(absl::string_view bytes, absl::string_view file_name, absl::string_view media_type,
                               const ParserOptions& options, v1::AnnualReport* report) {
  report->Clear();
  GONGKAI_RETURN_IF_ERROR(CheckSize(bytes, options));
  if (absl::StartsWith(bytes, absl::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) {
    return absl::InvalidArgumentError(
        "the file is an old binary Office document (.doc / .wps / .xls, an OLE2 compound file), which is not "
        "read: save it as .docx or PDF and resubmit it");
  }
  if (absl::StartsWith(bytes, "{\\rtf")) {
    return absl::InvalidArgumentError("the file is RTF, which is not read: save it as .docx or PDF and resubmit it");
  }
  switch (DetectFormat(bytes, file_name, media_type)) {
    case v1::DOCUMENT_FORMAT_PDF: {
      PdfFrontEndOptions pdf_options;
      pdf_options.max_cells = options.max_cells;
      pdf_options.max_pages = options.max_pdf_pages;
      GONGKAI_ASSIGN_OR_RETURN(CellStream stream, ReadPdf(bytes, pdf_options));
      return Recognize(stream, report);
    }
    case v1::DOCUMENT_FORMAT_DOCX: {
      DocxFrontEndOptions docx_options;
      docx_options.max_cells = options.max_cells;
      GONGKAI_ASSIGN_OR_RETURN(CellStream stream, ReadDocx(bytes, docx_options));
      return Recognize(stream, report);
    }
    case v1::DOCUMENT_FORMAT_HTML: {
      GONGKAI_ASSIGN_OR_RETURN(std::string html, PageToUtf8(bytes));
      HtmlFrontEndOptions html_options;
      html_options.max_cells = options.max_cells;
      html_options.max_nesting_depth = options.max_nesting_depth;
      GONGKAI_ASSIGN_OR_RETURN(CellStream stream, ReadHtml(html, html_options));
      return Recognize(stream, report);
    }
    default:
      return ParseTextInto(bytes, options, report);
  }
}

absl::StatusOr<v1::AnnualReport> ParseText(absl::string_view text, const ParserOptions& options) {
  v1::AnnualReport report;
  GONGKAI_RETURN_IF_ERROR(ParseTextInto(text, options, &report));
  return report;
}

absl::StatusOr<v1::AnnualReport> ParseDocument(absl::string_view bytes, absl::string_view file_name,
                                               absl::string_view media_type, const ParserOptions& options) {
  v1::AnnualReport report;
  GONGKAI_RETURN_IF_ERROR(ParseDocumentInto(bytes, file_name, media_type, options, &report));
  return report;
}

}  // namespace gongkai::parser
