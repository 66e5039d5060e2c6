// Text normalisation shared by all services (utf8proc underneath).
//
// Labels are compared by their normalised form: NFKC, case folded, traditional characters mapped to
// simplified ones, with whitespace, punctuation and symbols removed. "（二） 部分公開" and "(二)部分公开"
// normalise to the same string "二部分公开".
#ifndef GONGKAI_COMMON_TEXT_H_
#define GONGKAI_COMMON_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gongkai {

// Checks that `text` is well-formed UTF-8 with no NUL byte. On failure the InvalidArgument status names
// the 1-based line and the byte offset of the first bad byte.
absl::Status ValidateUtf8(absl::string_view text);

// Decodes one code point at `text[*pos]` and advances `*pos`. Returns U+FFFD (advancing one byte) on a
// malformed sequence. Precondition: *pos < text.size().
char32_t NextCodepoint(absl::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string* out);

// Number of code points in valid UTF-8 `text`.
int64_t CountCodepoints(absl::string_view text);

// The normalised label form described above. Thread-safe.
std::string NormalizeLabel(absl::string_view text);

// Appends NormalizeLabel(text) to `out` (avoids an allocation on hot paths).
void AppendNormalizedLabel(absl::string_view text, std::string* out);

// Maps one traditional Chinese character to its simplified form; other code points are returned as they are.
char32_t ToSimplified(char32_t cp);

// NFKC of the whole text with utf8proc, as written by utf8proc_NFKC. Used as the speed reference in
// benchmarks and for display; the parser does not need to normalise whole documents.
std::string NfkcNormalize(absl::string_view text);

// True for code points that separate words in reports: ASCII whitespace, NBSP, U+3000 and other Zs.
bool IsSpace(char32_t cp);

// True when `needle` occurs in `haystack`. Uses libstdc++'s memchr-based search, which is much faster than
// Debian Abseil's string_view::find on the long CJK lines of reports.
inline bool Contains(absl::string_view haystack, absl::string_view needle) {
  return std::string_view(haystack.data(), haystack.size()).find(std::string_view(needle.data(), needle.size())) !=
         std::string_view::npos;
}

// Byte offset of `needle` in `haystack` at or after `from`, or npos.
inline size_t Find(absl::string_view haystack, absl::string_view needle, size_t from = 0) {
  size_t at = std::string_view(haystack.data(), haystack.size()).find(std::string_view(needle.data(), needle.size()), from);
  return at == std::string_view::npos ? absl::string_view::npos : at;
}

// Removes leading and trailing whitespace (including NBSP and U+3000).
absl::string_view TrimSpace(absl::string_view text);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_TEXT_H_
