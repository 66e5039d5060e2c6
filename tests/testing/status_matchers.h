// GoogleTest matchers for absl::Status / absl::StatusOr (Abseil 20220623 ships none).
#ifndef GONGKAI_TESTS_TESTING_STATUS_MATCHERS_H_
#define GONGKAI_TESTS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace gongkai::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& s = GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s;
  return s.ok();
}

MATCHER_P(StatusIs, code, "has status code " + ::testing::PrintToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher, "has status code and message") {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(s.message()), result_listener);
}

}  // namespace gongkai::testing

#define ASSERT_OK_AND_ASSIGN(lhs, rexpr)                          \
  auto GONGKAI_TEST_CONCAT_(statusor_, __LINE__) = (rexpr);        \
  ASSERT_TRUE(GONGKAI_TEST_CONCAT_(statusor_, __LINE__).ok())      \
      << GONGKAI_TEST_CONCAT_(statusor_, __LINE__).status();       \
  lhs = std::move(GONGKAI_TEST_CONCAT_(statusor_, __LINE__)).value()
#define GONGKAI_TEST_CONCAT_INNER_(a, b) a##b
#define GONGKAI_TEST_CONCAT_(a, b) GONGKAI_TEST_CONCAT_INNER_(a, b)

#endif  // GONGKAI_TESTS_TESTING_STATUS_MATCHERS_H_
