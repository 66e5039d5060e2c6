// Minimal JSON string escaping for logs and CLI output (protobuf's JSON printer covers messages).
#ifndef GONGKAI_COMMON_JSON_H_
#define GONGKAI_COMMON_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai {

// Appends `text` to `out` as a quoted JSON string; UTF-8 passes through, control characters are escaped.
void AppendJsonString(absl::string_view text, std::string* out);

// Returns `text` as a quoted JSON string.
std::string JsonString(absl::string_view text);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_JSON_H_
