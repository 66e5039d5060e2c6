// Builds AnnualReports directly (no text), for rule tests and mutation tests.
#ifndef GONGKAI_TOOLS_CORPUS_REPORT_FACTORY_H_
#define GONGKAI_TOOLS_CORPUS_REPORT_FACTORY_H_

#include <cstdint>
#include <map>
#include <string>

#include "gongkai/v1/report.pb.h"

namespace gongkai::corpus {

// A report whose every equation holds (table 三 rows, columns and the 勾稽关系, table 四 groups), with
// figures drawn from `seed`, six sections with real narrative, title and period years equal to `year`.
// Each result row of table 三 holds up to `applications_scale` applications from natural persons (and a
// seventh of that from each kind of legal person): 0 for an organ that received none, thousands for a big one.
gongkai::v1::AnnualReport ConsistentReport(uint32_t seed, gongkai::v1::TemplateVersion version =
                                                              gongkai::v1::TEMPLATE_VERSION_V2021,
                                           int year = 2024, const std::string& agency = "某某县市场监督管理局",
                                           int applications_scale = 30);

// Sets a cell to an integer (PRESENT) or to a placeholder (when `value` is "/" or "-"), or missing ("null").
void SetCellText(gongkai::v1::AnnualReport* report, const std::string& key, const std::string& value);

// The cell's value as text ("null" when not present).
std::string CellText(const gongkai::v1::AnnualReport& report, const std::string& key);

}  // namespace gongkai::corpus

#endif  // GONGKAI_TOOLS_CORPUS_REPORT_FACTORY_H_
