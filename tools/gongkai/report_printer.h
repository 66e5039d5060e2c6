// Renderings of an AnnualReport for people and scripts.
#ifndef GONGKAI_TOOLS_GONGKAI_REPORT_PRINTER_H_
#define GONGKAI_TOOLS_GONGKAI_REPORT_PRINTER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai::cli {

// "@version\tv2021", "@year\t2024", "@agency\t…", then "key\tvalue" per cell in FORMAT order ("null" when
// missing or a placeholder).
std::string FormatCells(const gongkai::v1::AnnualReport& report);

// A readable summary: identity, sections, the three tables as grids, and the parse notes.
std::string FormatReadable(const gongkai::v1::AnnualReport& report, absl::string_view file);

// The report as protobuf JSON (proto field names), one object, pretty when `pretty`.
std::string FormatJson(const gongkai::v1::AnnualReport& report, bool pretty);

// "file:line: message" for each parse note.
std::string FormatNotes(const gongkai::v1::AnnualReport& report, absl::string_view file);

}  // namespace gongkai::cli

#endif  // GONGKAI_TOOLS_GONGKAI_REPORT_PRINTER_H_
