// Text normalisation shared by all services (utf8proc underneath).
//
// Labels are compared by their normalised form: NFKC, case folded, traditional characters mapped to
// simplified ones, with whitespace, punctuation and symbols removed. "（二） 部分公開" and "(二)部分公开"
// normalise to the same string "二部分公开".
#ifndef GONGKAI_COMMON_TEXT_H_
#define GONGKAI_COMMON_TEXT_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gongkai {

// Checks that `text` is well-formed UTF-8 with no NUL byte. On failure the InvalidArgument status names
// the 1-based line and the byte offset of the first bad byte.
absl::Status ValidateUtf8(absl::string_view text);

// NextCodepoint's general case (2- and 4-byte sequences, malformed input); call NextCodepoint.
char32_t NextCodepointSlow(absl::string_view text, size_t* pos);

// Decodes one code point at `text[*pos]` and advances `*pos`. Returns U+FFFD (advancing one byte) on a
// malformed sequence. Precondition: *pos < text.size(). Inline for ASCII and 3-byte sequences (all of
// Chinese), which the parser decodes one at a time.
inline char32_t NextCodepoint(absl::string_view text, size_t* pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = *pos;
  unsigned char c = s[i];
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  if ((c & 0xF0) == 0xE0 && i + 2 < text.size() && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
    *pos = i + 3;
    return (static_cast<char32_t>(c & 0x0F) << 12) | (static_cast<char32_t>(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
  }
  return NextCodepointSlow(text, pos);
}

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

// Byte offset of `needle` in `haystack` at or after `from`, or npos. A needle that starts with a multi-byte
// UTF-8 character is anchored on that character's third byte: in Chinese text nearly every third byte is
// one of a few lead bytes (E4–E9), which would stop a search on the first byte everywhere, while the
// continuation bytes spread over 64 values. Other needles use libstdc++'s memchr-based search (Debian
// Abseil's string_view::find is much slower on long CJK lines).
inline size_t Find(absl::string_view haystack, absl::string_view needle, size_t from = 0) {
  if (from > haystack.size()) return absl::string_view::npos;
  if (needle.size() >= 3 && static_cast<unsigned char>(needle[0]) >= 0xE0) {
    if (haystack.size() - from < needle.size()) return absl::string_view::npos;  // also an empty haystack
    const char* begin = haystack.data();
    const char* end = begin + haystack.size();
    const char* p = begin + from + 2;
    while (p < end) {
      p = static_cast<const char*>(std::memchr(p, needle[2], static_cast<size_t>(end - p)));
      if (p == nullptr) break;
      const char* start = p - 2;
      if (start[0] == needle[0] && start[1] == needle[1] && static_cast<size_t>(end - start) >= needle.size() &&
          std::memcmp(start + 3, needle.data() + 3, needle.size() - 3) == 0) {
        return static_cast<size_t>(start - begin);
      }
      ++p;
    }
    return absl::string_view::npos;
  }
  size_t at = std::string_view(haystack.data(), haystack.size()).find(std::string_view(needle.data(), needle.size()), from);
  return at == std::string_view::npos ? absl::string_view::npos : at;
}

// True when `needle` occurs in `haystack` (see Find).
inline bool Contains(absl::string_view haystack, absl::string_view needle) {
  return Find(haystack, needle) != absl::string_view::npos;
}

// TrimSpace's general case.
absl::string_view TrimSpaceSlow(absl::string_view text);

// Removes leading and trailing whitespace (including NBSP and U+3000).
inline absl::string_view TrimSpace(absl::string_view text) {
  if (text.empty()) return text;
  // Most cells start with a printable ASCII character or a CJK lead byte (E4–E9 start no space), and end
  // in a printable ASCII character or a continuation byte that ends no space character (spaces end in
  // 80–8B, 9F, A0, AF, BF).
  unsigned char first = static_cast<unsigned char>(text.front());
  unsigned char last = static_cast<unsigned char>(text.back());
  bool first_ok = (first > ' ' && first < 0x80) || (first >= 0xE4 && first <= 0xE9);
  bool last_ok = (last > ' ' && last < 0x80) ||
                 (last >= 0x8C && last < 0xC0 && last != 0x9F && last != 0xA0 && last != 0xAF && last != 0xBF);
  if (first_ok && last_ok) return text;
  return TrimSpaceSlow(text);
}

}  // namespace gongkai

#endif  // GONGKAI_COMMON_TEXT_H_
