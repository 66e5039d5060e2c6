// gongkai: the command-line client of the suite.
#include <cstdio>
#include <cstring>

#include "absl/synchronization/mutex.h"

#include "tools/gongkai/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: gongkai COMMAND [flags] ARGS...\n"
    "commands:\n"
    "  parse FILE...     read reports into their three tables (--cells, --json, --parser HOST:PORT)\n"
    "  check FILE...     parse and validate; findings by report (--json, --rules, --previous, --year)\n"
    "  rules             every rule with its severity and description\n"
    "  summarize FILE... parse, check and add up; exports JSON, CSV, XLSX, HTML (--regions, --level, --out)\n"
    "  batch FILE...     the same as a job of a running gateway (--gateway HOST:PORT)\n"
    "  local FILE...     the same through the four services started here on loopback ports\n"
    "  gen-corpus        write a generated corpus with injected, labelled errors (--reports, --seed, --out)\n"
    "  quality           recall and false findings per rule, parser exact-match per layout, on a generated corpus\n"
    "  bench             latency percentiles through the parser and validator services, by layout\n"
    "  help              this text\n"
    "Run 'gongkai COMMAND --help' for a command's flags.\n";

}  // namespace

int main(int argc, char** argv) {
  // Abseil's lock-order graph costs ~5 % of a batch's throughput (`gongkai local`); the tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (argc < 2 || std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "parse") == 0) return gongkai::cli::RunParse(argc, argv);
  if (std::strcmp(argv[1], "check") == 0) return gongkai::cli::RunCheck(argc, argv);
  if (std::strcmp(argv[1], "rules") == 0) return gongkai::cli::RunRules(argc, argv);
  if (std::strcmp(argv[1], "summarize") == 0) return gongkai::cli::RunSummarize(argc, argv);
  if (std::strcmp(argv[1], "batch") == 0) return gongkai::cli::RunBatch(argc, argv);
  if (std::strcmp(argv[1], "local") == 0) return gongkai::cli::RunLocal(argc, argv);
  if (std::strcmp(argv[1], "gen-corpus") == 0) return gongkai::cli::RunGenCorpus(argc, argv);
  if (std::strcmp(argv[1], "quality") == 0) return gongkai::cli::RunQuality(argc, argv);
  if (std::strcmp(argv[1], "bench") == 0) return gongkai::cli::RunBench(argc, argv);
  std::fprintf(stderr, "gongkai: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}
