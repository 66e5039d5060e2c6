// Parse throughput on the bundled seeds and on rendered reports in every text layout, measured beside
// the cost of merely NFKC-normalising the same bytes with utf8proc (the reference).
//   build/bench/parse_bench [--benchmark_filter=...]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "common/text.h"
#include "services/parser/parser.h"
#include "tools/corpus/docx_builder.h"
#include "tools/corpus/report_text.h"
#include "tests/testing/test_data.h"

namespace {

using gongkai::corpus::Layout;

std::vector<std::string> Seeds() {
  std::vector<std::string> out;
  std::string dir = GONGKAI_SOURCE_DIR "/tests/data";
  for (const char* n : {"000", "001", "002", "003", "004"}) {
    out.push_back(gongkai::testing::ReadFileOrDie(absl::StrCat(dir, "/reports/seed_", n, ".txt")));
  }
  return out;
}

std::string Rendered(Layout layout) {
  auto values = gongkai::corpus::DistinctValues(gongkai::v1::TEMPLATE_VERSION_V2021);
  return gongkai::corpus::RenderReport(values, gongkai::v1::TEMPLATE_VERSION_V2021, layout);
}

void Parse(benchmark::State& state, const std::vector<std::string>& docs) {
  int64_t bytes = 0;
  for (const auto& d : docs) bytes += static_cast<int64_t>(d.size());
  for (auto _ : state) {
    for (const auto& d : docs) {
      auto report = gongkai::parser::ParseText(d);
      benchmark::DoNotOptimize(report);
    }
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(docs.size()));
  state.counters["reports/s"] = benchmark::Counter(static_cast<double>(state.iterations() * docs.size()),
                                                   benchmark::Counter::kIsRate);
}

// The same, parsing into a report on a protobuf Arena that is reset per pass (how a batch worker parses).
void ParseArena(benchmark::State& state, const std::vector<std::string>& docs) {
  int64_t bytes = 0;
  for (const auto& d : docs) bytes += static_cast<int64_t>(d.size());
  google::protobuf::ArenaOptions arena_options;
  arena_options.start_block_size = 256 << 10;
  google::protobuf::Arena arena(arena_options);
  for (auto _ : state) {
    for (const auto& d : docs) {
      auto* report = google::protobuf::Arena::CreateMessage<gongkai::v1::AnnualReport>(&arena);
      benchmark::DoNotOptimize(gongkai::parser::ParseTextInto(d, {}, report));
    }
    arena.Reset();
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["reports/s"] = benchmark::Counter(static_cast<double>(state.iterations() * docs.size()),
                                                   benchmark::Counter::kIsRate);
}

void Nfkc(benchmark::State& state, const std::vector<std::string>& docs) {
  int64_t bytes = 0;
  for (const auto& d : docs) bytes += static_cast<int64_t>(d.size());
  for (auto _ : state) {
    for (const auto& d : docs) benchmark::DoNotOptimize(gongkai::NfkcNormalize(d));
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_ParseSeeds(benchmark::State& state) { Parse(state, Seeds()); }
void BM_ParseSeedsArena(benchmark::State& state) { ParseArena(state, Seeds()); }
void BM_NfkcSeeds(benchmark::State& state) { Nfkc(state, Seeds()); }
void BM_ParseTabs(benchmark::State& state) { Parse(state, {Rendered(Layout::kTabs)}); }
void BM_ParsePipes(benchmark::State& state) { Parse(state, {Rendered(Layout::kPipes)}); }
void BM_ParseCellPerLine(benchmark::State& state) { Parse(state, {Rendered(Layout::kCellPerLine)}); }
void BM_ParseMarkdown(benchmark::State& state) { Parse(state, {Rendered(Layout::kMarkdown)}); }
void BM_ParseSpaces(benchmark::State& state) { Parse(state, {Rendered(Layout::kSpaces)}); }

// Other formats: a rendered page / document with every cell distinct, and the real documents of
// ../shared/corpus when it is there.
std::string Shared(const std::string& path) {
  std::string full = GONGKAI_SOURCE_DIR "/../shared/corpus/" + path;
  FILE* f = std::fopen(full.c_str(), "rb");
  if (f == nullptr) return "";
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

void ParseDocs(benchmark::State& state, const std::vector<std::pair<std::string, std::string>>& docs) {
  int64_t bytes = 0;
  for (const auto& [name, d] : docs) {
    if (d.empty()) {
      state.SkipWithError("../shared/corpus is absent");
      return;
    }
    bytes += static_cast<int64_t>(d.size());
  }
  for (auto _ : state) {
    for (const auto& [name, d] : docs) {
      auto report = gongkai::parser::ParseDocument(d, name);
      if (!report.ok()) state.SkipWithError(std::string(report.status().message()).c_str());
      benchmark::DoNotOptimize(report);
    }
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["reports/s"] = benchmark::Counter(static_cast<double>(state.iterations() * docs.size()),
                                                   benchmark::Counter::kIsRate);
}

void BM_ParseHtmlRendered(benchmark::State& state) {
  ParseDocs(state, {{"r.html", gongkai::corpus::RenderHtml(gongkai::corpus::DistinctValues(gongkai::v1::TEMPLATE_VERSION_V2021),
                                                            gongkai::v1::TEMPLATE_VERSION_V2021)}});
}
void BM_ParseDocxRendered(benchmark::State& state) {
  ParseDocs(state, {{"r.docx", gongkai::corpus::RenderDocx(gongkai::corpus::DistinctValues(gongkai::v1::TEMPLATE_VERSION_V2021),
                                                            gongkai::v1::TEMPLATE_VERSION_V2021)}});
}
void BM_ParseHtmlRealPages(benchmark::State& state) {
  ParseDocs(state, {{"a.html", Shared("real/pingtan/2024-行政审批局.html")},
                    {"b.html", Shared("real/pingtan/2025-管委会办公室.html")},
                    {"c.html", Shared("real/shanghai-office-2019.html")}});
}
void BM_ParsePdfReal(benchmark::State& state) {
  ParseDocs(state, {{"a.pdf", Shared("peers/zxj6827111-blip__KIROGOVCOMPARE/sample_pdfs_v1/hzq2023_working.pdf")},
                    {"b.pdf", Shared("peers/zxj6827111-blip__KIROGOVCOMPARE/sample_pdfs_v1/hzq2024_working.pdf")},
                    {"c.pdf", Shared("peers/zxj6827111-blip__govnianbao/szfgs2024.pdf")}});
}
void BM_ParseDocxTemplate(benchmark::State& state) {
  ParseDocs(state, {{"t.docx", Shared("peers/zxj6827111-blip__govnianbao/政务公开年报模版.docx")}});
}
void BM_ParseCrawlerText(benchmark::State& state) {
  ParseDocs(state, {{"a.txt", Shared("real/pingtan/2024-行政审批局.txt")}, {"b.txt", Shared("real/pingtan/2025-管委会办公室.txt")}});
}
BENCHMARK(BM_ParseHtmlRendered);
BENCHMARK(BM_ParseDocxRendered);
BENCHMARK(BM_ParseHtmlRealPages);
BENCHMARK(BM_ParseDocxTemplate);
BENCHMARK(BM_ParsePdfReal);
BENCHMARK(BM_ParseCrawlerText);

BENCHMARK(BM_ParseSeeds);
BENCHMARK(BM_ParseSeedsArena);
BENCHMARK(BM_NfkcSeeds);
BENCHMARK(BM_ParseTabs);
BENCHMARK(BM_ParsePipes);
BENCHMARK(BM_ParseCellPerLine);
BENCHMARK(BM_ParseMarkdown);
BENCHMARK(BM_ParseSpaces);

template <typename F>
double SecondsPerPass(F f) {
  // Best of five runs of 200 passes each.
  double best = 1e9;
  for (int run = 0; run < 5; ++run) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 200; ++i) f();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 200;
    if (s < best) best = s;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::vector<std::string> docs = Seeds();
  int64_t bytes = 0;
  for (const auto& d : docs) bytes += static_cast<int64_t>(d.size());
  double parse = SecondsPerPass([&] {
    for (const auto& d : docs) benchmark::DoNotOptimize(gongkai::parser::ParseText(d));
  });
  google::protobuf::Arena arena;
  double parse_arena = SecondsPerPass([&] {
    for (const auto& d : docs) {
      auto* report = google::protobuf::Arena::CreateMessage<gongkai::v1::AnnualReport>(&arena);
      benchmark::DoNotOptimize(gongkai::parser::ParseTextInto(d, {}, report));
    }
    arena.Reset();
  });
  double nfkc = SecondsPerPass([&] {
    for (const auto& d : docs) benchmark::DoNotOptimize(gongkai::NfkcNormalize(d));
  });
  std::printf("\nseeds: %lld bytes in %zu reports\n", static_cast<long long>(bytes), docs.size());
  std::printf("parse: %.1f MB/s, %.0f reports/s\n", bytes / parse / 1e6, docs.size() / parse);
  std::printf("nfkc:  %.1f MB/s (utf8proc_NFKC of the same bytes)\n", bytes / nfkc / 1e6);
  std::printf("parse (arena): %.1f MB/s, %.0f reports/s\n", bytes / parse_arena / 1e6, docs.size() / parse_arena);
  std::printf("parse/nfkc speed ratio: %.2f, with an arena: %.2f (above 1: parsing is faster than normalising)\n",
              nfkc / parse, nfkc / parse_arena);
  return 0;
}
