// Where tests find their data: tests/data (committed) and ../shared/corpus (read in place, never copied).
#ifndef GONGKAI_TESTS_TESTING_TEST_DATA_H_
#define GONGKAI_TESTS_TESTING_TEST_DATA_H_

#include <map>
#include <string>

#include "gongkai/v1/report.pb.h"

namespace gongkai::testing {

// tests/data ($GONGKAI_TEST_DATA overrides the path CMake compiles in).
std::string TestDataDir();

// The shared corpus folder (../shared/corpus beside the checkout; $GONGKAI_SHARED overrides the shared
// folder's path); empty when it is absent.
std::string SharedCorpusDir();

// The whole file; fails the current test (and returns "") when it cannot be read.
std::string ReadFileOrDie(const std::string& path);

// Reads an expected-cells file: "key<TAB>value" lines, with "@version", "@year", "@agency" lines too.
std::map<std::string, std::string> ReadExpectedCells(const std::string& path);

// The same map made from a report, as `gongkai parse --cells` prints it.
std::map<std::string, std::string> CellsOf(const gongkai::v1::AnnualReport& report);

}  // namespace gongkai::testing

// Skips the test, saying why, when the shared corpus is not beside the checkout.
#define GONGKAI_REQUIRE_SHARED_CORPUS()                                                        \
  do {                                                                                         \
    if (::gongkai::testing::SharedCorpusDir().empty()) {                                       \
      GTEST_SKIP() << "../shared/corpus is absent: the peer and real documents come from other " \
                      "public repositories and are read in place, never copied here";          \
    }                                                                                          \
  } while (0)

#endif  // GONGKAI_TESTS_TESTING_TEST_DATA_H_
