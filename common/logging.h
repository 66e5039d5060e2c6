// JSON-lines logging to stderr: one object per line with timestamp, severity, message and fields.
// Libraries do not log; binaries and service edges do.
#ifndef GONGKAI_COMMON_LOGGING_H_
#define GONGKAI_COMMON_LOGGING_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace gongkai {

enum class LogSeverity { kDebug, kInfo, kWarning, kError };

using LogField = std::pair<absl::string_view, std::string>;

// Writes one JSON line to stderr, e.g.
// {"timestamp":"2026-01-02T03:04:05.678Z","severity":"INFO","message":"listening","address":"[::]:50051"}.
// Thread-safe; lines from different threads never interleave.
void Log(LogSeverity severity, absl::string_view message, std::initializer_list<LogField> fields = {});

// Lines below this severity are dropped (default kInfo). Thread-safe.
void SetMinLogSeverity(LogSeverity severity);

// Formats one log line without writing it (for tests).
std::string FormatLogLine(LogSeverity severity, absl::string_view message,
                          std::initializer_list<LogField> fields);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_LOGGING_H_
