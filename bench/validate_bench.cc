// Validation throughput per core, and the cost of batch.copied (MinHash banding) on a province-sized batch.
//   build/bench/validate_bench
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/text.h"
#include "services/parser/parser.h"
#include "services/validator/similarity.h"
#include "services/validator/validator.h"
#include "tools/corpus/generator.h"
#include "tools/corpus/report_factory.h"

namespace {

using gongkai::v1::AnnualReport;

// Narratives that differ as real ones do: each report draws its sentences from a large pool, and one in
// fifty copies another organ's text word for word.
std::vector<AnnualReport> Batch(int n) {
  std::mt19937 rng(7);
  std::vector<std::string> pool;
  for (int i = 0; i < 4000; ++i) {
    std::string sentence;
    for (int k = 0; k < 30; ++k) gongkai::AppendUtf8(0x4E00 + rng() % 3000, &sentence);
    pool.push_back(sentence + "。");
  }
  std::vector<AnnualReport> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    AnnualReport r = gongkai::corpus::ConsistentReport(static_cast<uint32_t>(i), gongkai::v1::TEMPLATE_VERSION_V2021,
                                                        2024, absl::StrCat("第", i, "镇人民政府"));
    std::string text;
    for (int k = 0; k < 8; ++k) text += pool[rng() % pool.size()];
    if (i > 0 && i % 50 == 0) text = out[i - 1 - static_cast<int>(rng() % std::min(i, 100))].sections(0).text();
    r.mutable_sections(0)->set_text(text);
    out.push_back(std::move(r));
  }
  return out;
}

void BM_ValidateOne(benchmark::State& state) {
  auto validator = *gongkai::validator::Validator::Create();
  std::vector<AnnualReport> reports;
  for (uint32_t i = 0; i < 64; ++i) reports.push_back(gongkai::corpus::ConsistentReport(i));
  size_t k = 0;
  for (auto _ : state) benchmark::DoNotOptimize(validator.Validate(reports[k++ % reports.size()]));
  state.counters["reports/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ValidateOne);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  auto validator = *gongkai::validator::Validator::Create();
  for (int n : {1000, 15000}) {
    std::vector<AnnualReport> reports = Batch(n);
    std::vector<const AnnualReport*> ptrs;
    for (const auto& r : reports) ptrs.push_back(&r);
    auto start = std::chrono::steady_clock::now();
    auto results = validator.ValidateBatch(ptrs);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    int copied = 0;
    for (const auto& findings : results) {
      for (const auto& f : findings) copied += f.rule_id() == "batch.copied";
    }
    // batch.copied alone.
    gongkai::v1::RuleConfig only_batch;
    for (const auto& rule : gongkai::validator::DefaultRegistry().rules()) {
      if (rule.id != "batch.copied") only_batch.add_overrides()->set_rule_id(rule.id), only_batch.mutable_overrides()->rbegin()->set_disabled(true);
    }
    auto batch_only = *gongkai::validator::Validator::Create(only_batch);
    start = std::chrono::steady_clock::now();
    batch_only.ValidateBatch(ptrs);
    double batch_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("ValidateBatch of %d reports: %.2f s (%.0f reports/s), of which batch.copied %.2f s; "
                "%d batch.copied findings (%d planted copies, 2 findings each)\n",
                n, seconds, n / seconds, batch_seconds, copied, (n - 1) / 50);
  }
  // The job-wide pass of batch.copied (PairNarratives) on generated reports of one province, whose
  // narratives share boilerplate as real ones do: signatures, then candidate pairs among all of them.
  for (int n : {10000, 40000, 150000}) {
    gongkai::corpus::CorpusOptions options;
    options.reports = n;
    options.formats = {gongkai::corpus::Format::kTabs};
    options.region = "23";
    gongkai::corpus::Generator generator(options);
    gongkai::validator::JobSignatures signatures;
    double signing = 0;
    for (int i = 0; i < n; ++i) {
      absl::StatusOr<AnnualReport> report = gongkai::parser::ParseText(generator.Next().content);
      if (!report.ok()) continue;
      auto start = std::chrono::steady_clock::now();
      std::string bytes = gongkai::validator::NarrativeSignature(*report);
      signing += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      signatures.Add(bytes);
    }
    auto start = std::chrono::steady_clock::now();
    int64_t left_out = 0;
    auto pairs = gongkai::validator::CopiedCandidates(signatures, 8, &left_out);
    double pairing = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("job-wide pairing of %d generated reports: signatures %.1f µs each, candidates in %.2f s: %zu "
                "(%lld left out by the bound)\n",
                n, signing * 1e6 / n, pairing, pairs.size(), static_cast<long long>(left_out));
  }
  return 0;
}
