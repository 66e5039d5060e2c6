// Exports of a summary for people and systems: JSON (protobuf mapping), CSV (one row per report, one per
// region node, canonical keys as column names), an XLSX workbook (the official tables, regions, findings)
// and a self-contained HTML page (tables, inline SVG bars, findings by region and rule).
#ifndef GONGKAI_SERVICES_AGGREGATOR_EXPORTS_H_
#define GONGKAI_SERVICES_AGGREGATOR_EXPORTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gongkai/v1/aggregator_service.pb.h"
#include "gongkai/v1/finding.pb.h"
#include "gongkai/v1/report.pb.h"
#include "services/aggregator/aggregate.h"

namespace gongkai::aggregator {

// One finding as the exports list it.
struct FindingRow {
  std::string file;
  std::string agency;
  std::string region;
  gongkai::v1::Finding finding;
};

// The summary as protobuf JSON (proto field names), pretty-printed.
std::string SummaryJson(const gongkai::v1::Summary& summary);

// One row per region node: code, name, level, report counts, indicators, then every v2021 cell's sum.
std::string RegionsCsv(const gongkai::v1::Summary& summary);

// CSV with one row per report, written as reports arrive (no report is held).
class ReportsCsv {
 public:
  // The header line: file, agency, region_code, level, scope, year, version, errors, warnings, then the 200
  // v2021 cell keys in FORMAT order (v2019 reports fill the keys they share and leave the others empty).
  static std::string Header();
  // The line of one report.
  static std::string Row(const std::string& file, const gongkai::v1::AnnualReport& report,
                         const std::vector<gongkai::v1::Finding>& findings, const Placement& place);
};

// An XLSX workbook at `path`: sheets 表二, 表三, 表四 in the official template's layout holding the batch's
// v2021 sums, 地区汇总 (one row per node) and 问题清单 (one row per finding).
absl::Status WriteXlsx(const gongkai::v1::Summary& summary, const std::vector<FindingRow>& findings,
                       const std::string& path);

// A self-contained HTML page (no external resources): totals, the three tables, regions with inline SVG
// bars, the most frequent rules, and findings grouped by region and rule.
std::string SummaryHtml(const gongkai::v1::Summary& summary, const std::vector<FindingRow>& findings);

// RFC 4180 quoting of one CSV field.
std::string CsvField(const std::string& text);

}  // namespace gongkai::aggregator

#endif  // GONGKAI_SERVICES_AGGREGATOR_EXPORTS_H_
