// Builds .docx files in memory for tests: a zip with [Content_Types].xml and word/document.xml.
#ifndef GONGKAI_TOOLS_CORPUS_DOCX_BUILDER_H_
#define GONGKAI_TOOLS_CORPUS_DOCX_BUILDER_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gongkai/v1/report.pb.h"

namespace gongkai::corpus {

// A zip archive holding `entries` (name, content), deflated.
std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& entries);

// word/document.xml of a report holding `cells` (empty string: an empty cell), written the way Word
// writes: labels split over several runs, a bookmark and a field in the title, w:gridSpan headers and a
// w:vMerge label column.
std::string RenderDocumentXml(const std::map<std::string, std::string>& cells, gongkai::v1::TemplateVersion version,
                              const std::string& agency = "测试县人民政府", int year = 2024);

// A .docx around RenderDocumentXml; `transform` (when set) rewrites the document XML first.
std::string RenderDocx(const std::map<std::string, std::string>& cells, gongkai::v1::TemplateVersion version,
                       const std::string& agency = "测试县人民政府", int year = 2024,
                       const std::function<std::string(std::string)>& transform = nullptr);

}  // namespace gongkai::corpus

#endif  // GONGKAI_TOOLS_CORPUS_DOCX_BUILDER_H_
