// Character encodings of web pages: the declared charset, and decoding GBK/GB18030 (and UTF-16) to UTF-8
// with glibc's iconv.
#ifndef GONGKAI_SERVICES_PARSER_ENCODING_H_
#define GONGKAI_SERVICES_PARSER_ENCODING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::parser {

// The charset a page declares: a byte-order mark first ("utf-8", "utf-16le", "utf-16be"), then
// <meta charset=…> or <meta http-equiv="Content-Type" content="…charset=…"> in the first 8 KB. Lower case;
// empty when nothing is declared.
std::string DeclaredCharset(absl::string_view bytes);

// Converts `bytes` from `charset` to UTF-8. gb2312, gbk, gb18030 and x-gbk are all read as GB18030 (their
// superset). InvalidArgument names the byte offset of an undecodable sequence.
absl::StatusOr<std::string> ToUtf8(absl::string_view bytes, absl::string_view charset);

// UTF-8 bytes of a page: as they are when declared (or found) UTF-8, decoded when declared otherwise;
// a page that declares nothing and is not valid UTF-8 is tried as GB18030, the usual legacy encoding of
// Chinese government sites.
absl::StatusOr<std::string> PageToUtf8(absl::string_view bytes);

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_ENCODING_H_
