// Quality figures from a generated corpus: for each injectable rule, recall on the reports that carry its
// error and the false findings it makes on clean reports; for the parser, the cell-level exact-match rate
// per layout. The reports are parsed and validated by the libraries, exactly as the services do.
#ifndef GONGKAI_TOOLS_CORPUS_QUALITY_H_
#define GONGKAI_TOOLS_CORPUS_QUALITY_H_

#include <map>
#include <string>

#include "tools/corpus/generator.h"

namespace gongkai::corpus {

struct RuleQuality {
  int injected = 0;        // reports carrying this rule's error
  int caught = 0;          // … on which the rule fired
  int false_findings = 0;  // clean reports on which it fired (WARNING or ERROR)
};

struct FormatQuality {
  int reports = 0;
  int refused = 0;   // documents the parser refused
  int64_t cells = 0;  // cells compared (reports whose tables were all written)
  int64_t exact = 0;  // parsed to exactly the value written ("/" and blank as missing)
};

struct QualityReport {
  int reports = 0;
  int clean = 0;
  std::map<std::string, RuleQuality> rules;      // every rule that was injected or fired on a clean report
  std::map<std::string, FormatQuality> formats;  // by FormatName
  double seconds = 0;
};

// Generates `options.reports` reports, parses and validates them (as one batch) and measures.
QualityReport MeasureQuality(const CorpusOptions& options);

// The figures as a plain-text table.
std::string FormatQualityReport(const QualityReport& report, const CorpusOptions& options);

}  // namespace gongkai::corpus

#endif  // GONGKAI_TOOLS_CORPUS_QUALITY_H_
