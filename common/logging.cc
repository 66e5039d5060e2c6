#include "common/logging.h"

#include <atomic>
#include <cstdio>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/json.h"

namespace gongkai {
namespace {

std::atomic<int> min_severity{static_cast<int>(LogSeverity::kInfo)};

absl::string_view SeverityName(LogSeverity s) {
  switch (s) {
    case LogSeverity::kDebug:
      return "DEBUG";
    case LogSeverity::kInfo:
      return "INFO";
    case LogSeverity::kWarning:
      return "WARNING";
    case LogSeverity::kError:
      return "ERROR";
  }
  return "INFO";
}

}  // namespace

void SetMinLogSeverity(LogSeverity severity) { min_severity.store(static_cast<int>(severity)); }

std::string FormatLogLine(LogSeverity severity, absl::string_view message,
                          std::initializer_list<LogField> fields) {
  std::string line = "{\"timestamp\":";
  AppendJsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), &line);
  line.append(",\"severity\":");
  AppendJsonString(SeverityName(severity), &line);
  line.append(",\"message\":");
  AppendJsonString(message, &line);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(key, &line);
    line.push_back(':');
    AppendJsonString(value, &line);
  }
  line.append("}\n");
  return line;
}

void Log(LogSeverity severity, absl::string_view message, std::initializer_list<LogField> fields) {
  if (static_cast<int>(severity) < min_severity.load()) return;
  std::string line = FormatLogLine(severity, message, fields);
  // One fwrite of the whole line: stdio locks the stream, so lines never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace gongkai
