// Renders a report's tables as text in the layouts people paste, for tests that check every cell.
#ifndef GONGKAI_TOOLS_CORPUS_REPORT_TEXT_H_
#define GONGKAI_TOOLS_CORPUS_REPORT_TEXT_H_

#include <map>
#include <string>

#include "gongkai/v1/report.pb.h"

namespace gongkai::corpus {

enum class Layout {
  kTabs,          // one row per line, cells separated by tabs (seeds 000, 002)
  kPipes,         // one cell per line ending in " |" (seed 001)
  kCellPerLine,   // one cell per line, tab-indented, blank lines between rows (seeds 003, 004)
  kMarkdown,      // Markdown tables
  kSpaces,        // PDF-style: label then space-separated numbers
};

// Values for every cell of `version`: cell i gets (i * 7) % 97 — distinct enough that a shifted row shows.
std::map<std::string, std::string> DistinctValues(gongkai::v1::TemplateVersion version);

// A whole report (title, six sections, three tables) holding `cells` in `layout`.
std::string RenderReport(const std::map<std::string, std::string>& cells, gongkai::v1::TemplateVersion version,
                         Layout layout, const std::string& agency = "测试县人民政府", int year = 2024);

// The same report as a government web page: navigation, a script and a style around it, the report inside
// a layout table, tables with rowspan/colspan, labels split by <br> and <p>, Word-exported MsoNormal spans
// and &nbsp; padding. Empty strings in `cells` become empty <td>s.
std::string RenderHtml(const std::map<std::string, std::string>& cells, gongkai::v1::TemplateVersion version,
                       const std::string& agency = "测试县人民政府", int year = 2024);

// `utf8` encoded in `charset` (e.g. "GB18030") with glibc's iconv.
std::string Encode(const std::string& utf8, const std::string& charset);

}  // namespace gongkai::corpus

#endif  // GONGKAI_TOOLS_CORPUS_REPORT_TEXT_H_
