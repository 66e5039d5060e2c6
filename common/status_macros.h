// Status propagation macros in the style of cel-cpp's internal/status_macros.h.
#ifndef GONGKAI_COMMON_STATUS_MACROS_H_
#define GONGKAI_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GONGKAI_CONCAT_INNER_(a, b) a##b
#define GONGKAI_CONCAT_(a, b) GONGKAI_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define GONGKAI_RETURN_IF_ERROR(expr)          \
  do {                                         \
    absl::Status gongkai_status_ = (expr);     \
    if (!gongkai_status_.ok()) return gongkai_status_; \
  } while (0)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, else moves the value into `lhs`.
#define GONGKAI_ASSIGN_OR_RETURN(lhs, rexpr) \
  GONGKAI_ASSIGN_OR_RETURN_IMPL_(GONGKAI_CONCAT_(gongkai_statusor_, __LINE__), lhs, rexpr)

#define GONGKAI_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = std::move(statusor).value()

#endif  // GONGKAI_COMMON_STATUS_MACROS_H_
