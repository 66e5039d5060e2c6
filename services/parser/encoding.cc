#include "services/parser/encoding.h"

#include <errno.h>
#include <iconv.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text.h"

namespace gongkai::parser {

std::string DeclaredCharset(absl::string_view bytes) {
  if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) return "utf-8";
  if (absl::StartsWith(bytes, "\xFF\xFE")) return "utf-16le";
  if (absl::StartsWith(bytes, "\xFE\xFF")) return "utf-16be";
  std::string head = absl::AsciiStrToLower(bytes.substr(0, 8192));
  size_t at = 0;
  while ((at = head.find("charset", at)) != std::string::npos) {
    size_t p = at + 7;
    while (p < head.size() && (head[p] == ' ' || head[p] == '=' || head[p] == '"' || head[p] == '\'')) ++p;
    size_t end = p;
    while (end < head.size() && (absl::ascii_isalnum(head[end]) || head[end] == '-' || head[end] == '_')) ++end;
    if (end > p) return head.substr(p, end - p);
    at = end;
  }
  return "";
}

absl::StatusOr<std::string> ToUtf8(absl::string_view bytes, absl::string_view charset) {
  std::string from(charset);
  if (from == "gb2312" || from == "gbk" || from == "x-gbk" || from == "gb18030" || from == "cp936" || from == "euc-cn") {
    from = "GB18030";
  }
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return absl::InvalidArgumentError(absl::StrCat("the page declares charset \"", charset, "\", which cannot be decoded"));
  }
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    if (r != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      size_t used = out.size() - out_left;
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    size_t offset = bytes.size() - in_left;
    iconv_close(cd);
    return absl::InvalidArgumentError(absl::StrCat("the page is not valid ", charset, ": undecodable bytes at offset ",
                                                   offset));
  }
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

absl::StatusOr<std::string> PageToUtf8(absl::string_view bytes) {
  std::string charset = DeclaredCharset(bytes);
  if (charset.empty() || charset == "utf-8" || charset == "utf8") {
    absl::string_view body = bytes;
    if (absl::StartsWith(body, "\xEF\xBB\xBF")) body.remove_prefix(3);
    absl::Status valid = ValidateUtf8(body);
    if (valid.ok()) return std::string(body);
    if (!charset.empty()) return valid;  // declared UTF-8 but is not
    // Undeclared and not UTF-8: government sites' legacy encoding is GBK.
    absl::StatusOr<std::string> gbk = ToUtf8(bytes, "gb18030");
    if (gbk.ok() && ValidateUtf8(*gbk).ok()) return gbk;
    return valid;
  }
  absl::StatusOr<std::string> out = ToUtf8(bytes, charset);
  if (!out.ok()) return out;
  if (absl::StartsWith(*out, "\xEF\xBB\xBF")) out->erase(0, 3);
  absl::Status valid = ValidateUtf8(*out);
  if (!valid.ok()) return valid;
  return out;
}

}  // namespace gongkai::parser
