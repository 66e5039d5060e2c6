// The summary people read: the aggregate rolled up the region tree, with indicators and coverage.
#ifndef GONGKAI_SERVICES_AGGREGATOR_SUMMARY_H_
#define GONGKAI_SERVICES_AGGREGATOR_SUMMARY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/aggregator_service.pb.h"
#include "services/aggregator/regions.h"

namespace gongkai::aggregator {

// An organ the office expects to report (a row of the expected-organs CSV).
struct ExpectedOrgan {
  std::string agency;
  std::string region_code;
  std::string level;
};

// Reads "name,region_code,level" lines (a header line starting "name" is skipped; UTF-8, an optional BOM).
// InvalidArgument names the line of a malformed row.
absl::StatusOr<std::vector<ExpectedOrgan>> ParseExpectedOrgans(absl::string_view csv);

// Rolls `aggregate` up the region tree: every node's totals hold everything below it, down to `max_level`
// ("province", "city", "county" or "township"). Reports of no known region are the node "unknown".
// Indicators come from each node's v2021 sums. `expected` adds the coverage gaps.
gongkai::v1::Summary Summarize(const gongkai::v1::Aggregate& aggregate, absl::string_view max_level,
                               const std::vector<ExpectedOrgan>& expected = {},
                               const RegionTable& regions = DefaultRegionTable());

// rollup.sum: adds to `summary` a WARNING finding for each area report (one per area and version) whose cells
// differ from the sum of the organ reports filed in its area (its region and every region below it). Only the
// cells the area report holds are compared; an area with no organ report filed is not compared. Summarize
// calls it.
void AddRollupFindings(const gongkai::v1::Aggregate& aggregate, const RegionTable& regions,
                       gongkai::v1::Summary* summary);

// The indicators of one node's totals.
gongkai::v1::Indicators IndicatorsOf(const gongkai::v1::NodeAggregate& totals);

// An amount summed in millionths, as text: 4068208000 → "4068.208".
std::string AmountText(int64_t millionths);

}  // namespace gongkai::aggregator

#endif  // GONGKAI_SERVICES_AGGREGATOR_SUMMARY_H_
