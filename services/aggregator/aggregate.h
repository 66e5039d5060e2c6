// The mergeable aggregate: reports and their findings folded into sums and counts per region node.
// Folding is commutative and associative (every field adds), so shards aggregated on different replicas
// merge into the same answer as one pass, and a batch can be aggregated as its results arrive.
#ifndef GONGKAI_SERVICES_AGGREGATOR_AGGREGATE_H_
#define GONGKAI_SERVICES_AGGREGATOR_AGGREGATE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gongkai/v1/aggregator_service.pb.h"
#include "gongkai/v1/finding.pb.h"
#include "gongkai/v1/report.pb.h"
#include "services/aggregator/regions.h"

namespace gongkai::aggregator {

// Where a report is counted: its region code (the caller's, else inferred from the agency name), its
// organ level and its scope. `region_note` says why a region is missing ("辛店镇 matches 7 divisions").
struct Placement {
  std::string region;
  std::string level;
  bool area = false;  // the report sums a whole area (全区/全市汇总) rather than one organ
  std::string region_note;
};
Placement PlaceReport(const gongkai::v1::AnnualReport& report, const RegionTable& regions = DefaultRegionTable());

// Whether a report covers a whole area: the caller said so (metadata.scope "area"), or its text says it
// sums the area's organs (全区汇总, 全市汇总, 全县汇总 …).
bool IsAreaReport(const gongkai::v1::AnnualReport& report);

// Adds one checked report to `aggregate`. Thread-compatible (one writer at a time).
void AddReport(const gongkai::v1::CheckedReport& checked, gongkai::v1::Aggregate* aggregate,
               const RegionTable& regions = DefaultRegionTable());

// Folds in `checked.added_findings()` of a report already added with `checked.findings()`, so that
// `aggregate` becomes what adding the report once with both would have made. FailedPrecondition, with
// `aggregate` unchanged, when that would take the report out of the sums (its first ERROR, errors not
// summed): sums cannot be taken apart exactly, and the caller adds its reports up again.
absl::Status AmendReport(const gongkai::v1::CheckedReport& checked, gongkai::v1::Aggregate* aggregate,
                         const RegionTable& regions = DefaultRegionTable());

// Adds everything of `from` to `into`.
void Merge(const gongkai::v1::Aggregate& from, gongkai::v1::Aggregate* into);
void MergeNode(const gongkai::v1::NodeAggregate& from, gongkai::v1::NodeAggregate* into);

// The value a cell adds to a sum: counts as they are, amounts in millionths (4068.208 万元 → 4068208000).
// False when the cell holds nothing to add, or a value beyond any real one (over 10^12 applications,
// over 10^7 万元), which would let sums overflow.
bool SumValue(const gongkai::v1::Cell& cell, int64_t* value);

}  // namespace gongkai::aggregator

#endif  // GONGKAI_SERVICES_AGGREGATOR_AGGREGATE_H_
