// The corpus generator: realistic annual reports for a province or a country, deterministic for a seed.
// Real agency names and region codes from the division table (township governments, county and city
// governments and their departments), figures that add up (most organs receive few or no applications, a
// few receive thousands), every layout the parser reads (five pasted-text layouts, HTML, DOCX, and PDF with a
// text layer), both template versions, and a chosen share of
// reports carrying one labelled error of a rule's kind.
#ifndef GONGKAI_TOOLS_CORPUS_GENERATOR_H_
#define GONGKAI_TOOLS_CORPUS_GENERATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "gongkai/v1/report.pb.h"
#include "services/aggregator/regions.h"

namespace gongkai::corpus {

// How a generated document is written.
enum class Format { kTabs, kPipes, kCellPerLine, kMarkdown, kSpaces, kHtml, kDocx, kPdf };

// "tabs", "pipes", "cell-per-line", "markdown", "spaces", "html", "docx", "pdf".
const char* FormatName(Format format);
// The file extension of a format ("txt", "md", "html", "docx", "pdf").
const char* FormatExtension(Format format);
// Every format, in the order above.
const std::vector<Format>& AllFormats();

// The rules whose errors the generator can inject, each with the change it makes.
const std::vector<std::string>& InjectableRules();

struct CorpusOptions {
  int reports = 1000;
  uint64_t seed = 1;
  double error_share = 0.2;     // share of reports carrying one injected error
  double v2019_share = 0.1;     // share of reports on the v2019 template (report year 2020)
  int year = 2024;              // report year of the v2021 reports
  std::vector<Format> formats;  // empty: all, in turn
  std::string region;           // a region code prefix ("23": one province's organs); empty: the whole country
};

// One generated document and what it is.
struct GeneratedReport {
  std::string file_name;    // "000042-tabs.txt"
  Format format;
  std::string content;      // the document's bytes
  std::string agency;
  std::string region_code;  // GB/T 2260
  std::string level;        // township | county | city
  int year = 0;
  gongkai::v1::TemplateVersion version = gongkai::v1::TEMPLATE_VERSION_V2021;
  std::string injected_rule;  // "" for a clean report
  std::string injected_detail;  // what was changed ("t3.granted.total 12 → 15")
  std::string copied_from;      // batch.copied: the file whose narrative was copied
  // Every cell as written into the document ("" blank, "/" placeholder), after any injected change;
  // empty when the injection removed a table.
  std::map<std::string, std::string> cells;
};

// Generates report `index` of the corpus `options` describes. Deterministic: the same options and index
// give the same bytes. `previous` (report index-1 when index > 0) is needed for batch.copied injections;
// Generate below handles that.
class Generator {
 public:
  explicit Generator(CorpusOptions options);
  // The next report (index 0, 1, …).
  GeneratedReport Next();

 private:
  CorpusOptions options_;
  int index_ = 0;
  std::vector<size_t> counties_;   // indexes of county-level divisions in the region table
  // County code -> its townships (divisions of the region table, which lives as long as the program).
  absl::flat_hash_map<std::string, std::vector<const aggregator::Division*>> towns_;
  absl::flat_hash_set<std::string> used_;  // agency names already given (kept unique while names last)
  std::string last_narrative1_, last_narrative5_, last_file_;  // the last clean narrative, for batch.copied
  Format last_format_ = Format::kTabs;
};

// Writes the corpus into `dir`: reports/<file>, manifest.tsv (file, format, version, year, agency,
// region_code, level, injected_rule, detail, copied_from) and organs.csv (name,region_code,level: the organs
// expected to report, for `gongkai summarize --regions`). A folder or file that cannot be written is an error
// naming it.
absl::Status WriteCorpus(const CorpusOptions& options, const std::string& dir);

}  // namespace gongkai::corpus

#endif  // GONGKAI_TOOLS_CORPUS_GENERATOR_H_
