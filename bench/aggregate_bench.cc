// Aggregation throughput and the memory an aggregate of 150,000 reports takes.
//   build/bench/aggregate_bench
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/aggregator/aggregate.h"
#include "services/aggregator/regions.h"
#include "services/aggregator/summary.h"
#include "tools/corpus/report_factory.h"

namespace {

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main() {
  using gongkai::v1::CheckedReport;
  // 1,000 distinct reports, placed over every county of the division table in turn.
  const auto& regions = gongkai::aggregator::DefaultRegionTable();
  std::vector<std::string> counties;
  for (const char* p : {"23", "32", "35", "13", "41", "37"}) {
    for (int c = 1; c <= 99; ++c) {
      for (int k = 1; k <= 40; ++k) {
        std::string code = absl::StrCat(p, c < 10 ? "0" : "", c, k < 10 ? "0" : "", k);
        if (regions.Find(code) != nullptr) counties.push_back(code);
      }
    }
  }
  std::vector<CheckedReport> pool(1000);
  for (size_t i = 0; i < pool.size(); ++i) {
    *pool[i].mutable_report() = gongkai::corpus::ConsistentReport(static_cast<uint32_t>(i));
  }
  long rss_before = PeakRssKb();
  for (int n : {10000, 150000}) {
    gongkai::v1::Aggregate aggregate;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      CheckedReport& c = pool[static_cast<size_t>(i) % pool.size()];
      c.mutable_report()->mutable_metadata()->set_region_code(counties[static_cast<size_t>(i) % counties.size()]);
      c.mutable_report()->set_agency(absl::StrCat("第", i, "号机关"));
      gongkai::aggregator::AddReport(c, &aggregate);
    }
    double add = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    start = std::chrono::steady_clock::now();
    gongkai::v1::Summary summary = gongkai::aggregator::Summarize(aggregate, "county");
    double roll = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%d reports over %zu counties: AddReport %.2f s (%.0f reports/s), roll-up to county %.3f s, "
                "%d nodes, aggregate %.1f MB serialized, peak RSS %.1f MB (%.1f MB before the aggregate)\n",
                n, counties.size(), add, n / add, roll, summary.nodes_size(), aggregate.ByteSizeLong() / 1e6,
                PeakRssKb() / 1024.0, rss_before / 1024.0);
  }
  return 0;
}
