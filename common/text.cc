#include "common/text.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace gongkai {
namespace {

// Traditional → simplified pairs for the characters that occur in report labels, headings and titles
// (tables 二, 三, 四, the six headings, agency names' common words). Each pair is two characters.
constexpr absl::string_view kTraditionalPairs =
    "規规範范條条項项許许處处罰罚強强製制發发廢废現现數数業业構构組组織织務务機机關关開开結结轉转"
    "請请辦办區区這这計计屬属於于國国穩稳護护權权內内類类過过執执詢询無无沒没補补確确訪访舉举報报訴诉"
    "複复復复當当認认獲获費费繳缴納纳總总繼继續续維维糾纠審审議议訟讼經经資资訊讯單单萬万額额與与問问"
    "題题進进實实體体況况統统項项決决與与會会產产區区縣县鎮镇鄉乡街街辦办廳厅員员協协廣广東东貴贵遼辽"
    "寧宁黑黑龍龙蘇苏淺浅嶺岭廣广陝陕甘甘雲云灣湾門门衛卫環环歸归醫医療疗護护價价稅税財财銀银險险農农"
    "場场勞劳動动職职態态網网絡络準准規规範范開开應应對对報报據据監监督督護护險险證证書书線线種种"
    "標标質质齊齐顯显聯联應应採采購购幣币額额減减增增徵征歲岁態态雙双邊边層层級级屆届憲宪徑径圍围";

struct T2SMap {
  std::vector<std::pair<char32_t, char32_t>> pairs;
  // One bit per CJK unified ideograph (U+4E00..U+9FFF): set when the character has a pair.
  std::array<uint64_t, (0xA000 - 0x4E00) / 64> cjk_bits{};
  T2SMap() {
    size_t pos = 0;
    while (pos < kTraditionalPairs.size()) {
      char32_t from = NextCodepoint(kTraditionalPairs, &pos);
      if (pos >= kTraditionalPairs.size()) break;
      char32_t to = NextCodepoint(kTraditionalPairs, &pos);
      if (from != to) pairs.emplace_back(from, to);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                pairs.end());
    for (const auto& [from, to] : pairs) {
      if (from >= 0x4E00 && from < 0xA000) cjk_bits[(from - 0x4E00) / 64] |= uint64_t{1} << ((from - 0x4E00) % 64);
    }
  }
  // False for a CJK unified ideograph with no simplified form (most of them); true for other code points,
  // which the pair table must be searched for.
  bool MayHavePair(char32_t cp) const {
    return !(cp >= 0x4E00 && cp < 0xA000) || (cjk_bits[(cp - 0x4E00) / 64] & (uint64_t{1} << ((cp - 0x4E00) % 64)));
  }
};

const T2SMap& GetT2S() {
  static const T2SMap* map = new T2SMap();
  return *map;
}

inline bool KeepCategory(utf8proc_category_t c) {
  switch (c) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

}  // namespace

char32_t NextCodepointSlow(absl::string_view text, size_t* pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = *pos;
  size_t n = text.size();
  unsigned char c = s[i];
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  int len;
  char32_t cp;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    *pos = i + 1;
    return 0xFFFD;
  }
  if (i + len > n) {
    *pos = i + 1;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) {
      *pos = i + 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *pos = i + len;
  return cp;
}

namespace {

// Writes the UTF-8 bytes of `cp` to `out` (room for 4) and returns how many.
inline size_t EncodeUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace

void AppendUtf8(char32_t cp, std::string* out) {
  char buf[4];
  out->append(buf, EncodeUtf8(cp, buf));
}

namespace {

int64_t LineOf(absl::string_view text, size_t offset) {
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

absl::Status Utf8Error(absl::string_view text, size_t offset, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "the input is not valid UTF-8: ", what, " at line ", LineOf(text, offset), ", byte offset ", offset,
      " (expected UTF-8 text; GBK/GB18030 documents must be converted first)"));
}

}  // namespace

absl::Status ValidateUtf8(absl::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if (c == 0) {
        return absl::InvalidArgumentError(absl::StrCat("the input holds a NUL byte at line ", LineOf(text, i),
                                                       ", byte offset ", i, ": it is binary, not text"));
      }
      ++i;
      // Fast path after an ASCII byte: 8 ASCII bytes with no NUL at a time (not tried after each CJK
      // character, where it would fail at once).
      while (i + 8 <= n) {
        uint64_t chunk;
        __builtin_memcpy(&chunk, s + i, 8);
        if (chunk & 0x8080808080808080ULL) break;
        if ((chunk - 0x0101010101010101ULL) & ~chunk & 0x8080808080808080ULL) break;  // a NUL byte
        i += 8;
      }
      continue;
    }
    // Fast path: a run of well-formed 3-byte sequences (CJK text), checked with one mask each; lead bytes
    // E0 and ED, which need a closer look (overlong forms, surrogates), leave it.
    while (i + 3 <= n) {
      // Assembled little-endian whatever the machine (compilers turn this into one load on x86).
      uint32_t v = static_cast<uint32_t>(s[i]) | (static_cast<uint32_t>(s[i + 1]) << 8) |
                   (static_cast<uint32_t>(s[i + 2]) << 16);
      unsigned char lead = s[i];
      if ((v & 0x00C0C0F0u) != 0x008080E0u || lead == 0xE0 || lead == 0xED) break;
      i += 3;
    }
    if (i >= n) break;
    c = s[i];
    if (c < 0x80) continue;
    // A well-formed 3-byte sequence, not overlong, not a surrogate.
    if ((c & 0xF0) == 0xE0 && i + 2 < n) {
      unsigned char c1 = s[i + 1], c2 = s[i + 2];
      if ((c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80 && !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0)) {
        i += 3;
        continue;
      }
    }
    int len;
    char32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      min = 0x10000;
    } else {
      return Utf8Error(text, i, absl::StrCat("byte 0x", absl::Hex(c, absl::kZeroPad2)));
    }
    if (i + len > n) return Utf8Error(text, i, "a truncated sequence");
    char32_t cp = c & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) {
      unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return Utf8Error(text, i + k, "bad continuation byte");
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return Utf8Error(text, i, "invalid code point");
    i += len;
  }
  return absl::OkStatus();
}

int64_t CountCodepoints(absl::string_view text) {
  int64_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

char32_t ToSimplified(char32_t cp) {
  const T2SMap& map = GetT2S();
  if (!map.MayHavePair(cp)) return cp;
  const auto& pairs = map.pairs;
  auto it = std::lower_bound(pairs.begin(), pairs.end(), std::make_pair(cp, char32_t{0}));
  if (it != pairs.end() && it->first == cp) return it->second;
  return cp;
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
         cp == 0x205F || cp == 0xFEFF;
}

namespace {

// Length of the space character at text[i] (ASCII whitespace, NBSP, U+2000..U+200B, U+202F, U+205F,
// U+3000, U+FEFF), or 0.
inline size_t SpaceAt(absl::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c < 0xC2) return 0;
  size_t n = text.size();
  if (c == 0xC2) return (i + 1 < n && static_cast<unsigned char>(text[i + 1]) == 0xA0) ? 2 : 0;
  if (i + 2 >= n) return 0;
  unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
  unsigned char c2 = static_cast<unsigned char>(text[i + 2]);
  if (c == 0xE3) return (c1 == 0x80 && c2 == 0x80) ? 3 : 0;
  if (c == 0xE2) {
    if (c1 == 0x80 && (c2 <= 0x8B || c2 == 0xAF)) return 3;
    if (c1 == 0x81 && c2 == 0x9F) return 3;
    return 0;
  }
  if (c == 0xEF) return (c1 == 0xBB && c2 == 0xBF) ? 3 : 0;
  return 0;
}

}  // namespace

absl::string_view TrimSpaceSlow(absl::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t len = SpaceAt(text, begin);
    if (len == 0) break;
    begin += len;
  }
  size_t end = text.size();
  while (end > begin) {
    unsigned char c = static_cast<unsigned char>(text[end - 1]);
    if (c < 0x80) {
      if (SpaceAt(text, end - 1) == 0) break;
      --end;
      continue;
    }
    // Step back to the start of the last code point.
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    size_t len = SpaceAt(text, start);
    if (len == 0 || start + len != end) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

namespace {

// Collects a label's bytes in a small buffer and appends them to the string in a few calls instead of
// one per character.
class LabelSink {
 public:
  explicit LabelSink(std::string* out) : out_(out) {}
  ~LabelSink() { Flush(); }
  LabelSink(const LabelSink&) = delete;
  LabelSink& operator=(const LabelSink&) = delete;

  void Put(char c) {
    if (n_ == sizeof(buf_)) Flush();
    buf_[n_++] = c;
  }
  void Put3(const char* p) {
    if (n_ + 3 > sizeof(buf_)) Flush();
    std::memcpy(buf_ + n_, p, 3);
    n_ += 3;
  }
  void PutCodepoint(char32_t cp) {
    if (n_ + 4 > sizeof(buf_)) Flush();
    n_ += EncodeUtf8(cp, buf_ + n_);
  }
  void Flush() {
    out_->append(buf_, n_);
    n_ = 0;
  }

 private:
  std::string* out_;
  char buf_[256];
  size_t n_ = 0;
};

}  // namespace

void AppendNormalizedLabel(absl::string_view text, std::string* out) {
  const T2SMap& t2s = GetT2S();
  LabelSink sink(out);
  size_t pos = 0;
  while (pos < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      ++pos;
      if (c >= 'A' && c <= 'Z') {
        sink.Put(static_cast<char>(c - 'A' + 'a'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        sink.Put(static_cast<char>(c));
      }
      continue;
    }
    size_t here = pos;
    char32_t cp = NextCodepoint(text, &pos);
    if (cp >= 0x4E00 && cp <= 0x9FFF) {  // CJK unified ideographs: no NFKC change, maybe T→S.
      if (!t2s.MayHavePair(cp)) {
        sink.Put3(text.data() + here);  // no simplified form: the character's bytes as they are
      } else {
        sink.PutCodepoint(ToSimplified(cp));
      }
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) {  // full-width ASCII: NFKC gives the ASCII character
      char a = static_cast<char>(cp - 0xFEE0);
      if (a >= 'A' && a <= 'Z') {
        sink.Put(static_cast<char>(a - 'A' + 'a'));
      } else if ((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9')) {
        sink.Put(a);
      }
      continue;
    }
    // CJK symbols and punctuation, general punctuation: removed, except 々 (U+3005) and 〇 (U+3007).
    if ((cp >= 0x3000 && cp <= 0x303F && cp != 0x3005 && cp != 0x3007) || (cp >= 0x2000 && cp <= 0x206F) ||
        cp == 0xA0) {
      continue;
    }
    utf8proc_int32_t buf[8];
    int last_boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        static_cast<utf8proc_int32_t>(cp), buf, 8,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                       UTF8PROC_IGNORE),
        &last_boundclass);
    if (n < 0 || n > 8) continue;
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      char32_t d = static_cast<char32_t>(buf[k]);
      if (!KeepCategory(utf8proc_category(static_cast<utf8proc_int32_t>(d)))) continue;
      if (d >= 'A' && d <= 'Z') d = d - 'A' + 'a';
      sink.PutCodepoint(ToSimplified(d));
    }
  }
}

std::string NormalizeLabel(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendNormalizedLabel(text, &out);
  return out;
}

std::string NfkcNormalize(absl::string_view text) {
  utf8proc_uint8_t* result = utf8proc_NFKC(reinterpret_cast<const utf8proc_uint8_t*>(
      std::string(text).c_str()));
  if (result == nullptr) return std::string();
  std::string out(reinterpret_cast<char*>(result));
  std::free(result);
  return out;
}

}  // namespace gongkai
