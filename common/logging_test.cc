#include "common/logging.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::EndsWith;
using ::testing::StartsWith;

TEST(Logging, OneJsonObjectPerLineWithEscapes) {
  std::string line = FormatLogLine(LogSeverity::kWarning, "bad \"input\"\n", {{"file", "a\tb.txt"}});
  EXPECT_THAT(line, StartsWith(R"({"timestamp":")"));
  EXPECT_THAT(line, HasSubstr(R"(Z","severity":"WARNING",)"));
  EXPECT_THAT(line, EndsWith("}\n"));
  EXPECT_THAT(line, HasSubstr(R"("message":"bad \"input\"\n")"));
  EXPECT_THAT(line, HasSubstr(R"("file":"a\tb.txt")"));
  EXPECT_EQ(line.find('\n'), line.size() - 1);
}

}  // namespace
}  // namespace gongkai
