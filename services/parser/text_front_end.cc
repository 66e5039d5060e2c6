#include "services/parser/text_front_end.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/text.h"
#include "services/parser/layout.h"
#include "services/parser/values.h"

namespace gongkai::parser {
namespace {

// A Markdown separator row: only '|', '-', ':', spaces, with at least one '-'.
bool IsMarkdownSeparator(absl::string_view line) {
  bool dash = false;
  for (char c : line) {
    if (c == '-') {
      dash = true;
    } else if (c != '|' && c != ':' && c != ' ' && c != '\t') {
      return false;
    }
  }
  return dash;
}

// Eight bytes at a time (SWAR): `Broadcast(c)` holds c in every byte; `HasZeroByte(v)` is exact as a
// yes/no answer, whatever the bytes are.
constexpr uint64_t Broadcast(unsigned char c) { return 0x0101010101010101ULL * c; }
inline bool HasZeroByte(uint64_t v) { return ((v - Broadcast(1)) & ~v & Broadcast(0x80)) != 0; }
inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Offset of the first tab or '|' in `line` at or after `from`, or line.size().
size_t FindFieldEnd(absl::string_view line, size_t from) {
  size_t i = from;
  const size_t n = line.size();
  while (i + 8 <= n) {
    uint64_t v = Load8(line.data() + i);
    if (HasZeroByte(v ^ Broadcast('\t')) || HasZeroByte(v ^ Broadcast('|'))) break;
    i += 8;
  }
  for (; i < n; ++i) {
    if (line[i] == '\t' || line[i] == '|') return i;
  }
  return n;
}

class LineSplitter {
 public:
  LineSplitter(absl::string_view text, CellStream* stream, const TextFrontEndOptions& options)
      : text_(text), stream_(stream), options_(options) {}

  absl::Status Run() {
    size_t begin = 0;
    int32_t line_no = 0;
    while (begin <= text_.size()) {
      const void* newline = std::memchr(text_.data() + begin, '\n', text_.size() - begin);
      size_t end = newline == nullptr ? text_.size()
                                      : static_cast<size_t>(static_cast<const char*>(newline) - text_.data());
      ++line_no;
      absl::string_view line = text_.substr(begin, end - begin);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      SplitLine(line, line_no, begin);
      if (cells_ > options_.max_cells) {
        return absl::InvalidArgumentError(absl::StrCat(
            "the input has more than ", options_.max_cells, " table cells (at line ", line_no,
            "); an annual report has a few hundred"));
      }
      if (end == text_.size()) break;
      begin = end + 1;
    }
    return absl::OkStatus();
  }

 private:
  // Column (in code points) of `offset` within the current line.
  int32_t ColumnOf(size_t offset) {
    // Lines are scanned left to right, so continue from the last position.
    if (offset < col_offset_) {
      col_offset_ = line_begin_;
      col_ = 0;
    }
    while (col_offset_ < offset) {
      unsigned char c = static_cast<unsigned char>(text_[col_offset_]);
      if ((c & 0xC0) != 0x80) ++col_;
      ++col_offset_;
    }
    // If we stopped inside a multi-byte sequence (never for cell starts), the count is still right.
    return col_;
  }

  void AddCell(StreamLine* line, absl::string_view cell, int32_t line_no) {
    AddCell(line, cell, line_no, ClassifyValue(cell));
  }

  // AddCell when the cell's value is known already.
  void AddCell(StreamLine* line, absl::string_view cell, int32_t line_no, const CellValue& value) {
    ++line->cell_count;
    size_t offset = static_cast<size_t>(cell.data() - text_.data());
    StreamCell& out = stream_->cells.emplace_back();  // built in place: no 88-byte copy
    out.text = cell;
    out.value = value;
    out.pos.line = line_no;
    out.pos.column = ColumnOf(offset);
    out.pos.byte_offset = static_cast<int64_t>(offset);
    ++cells_;
  }

  // Adds a field, splitting trailing space-separated values off a label ("行政许可 97", "一、… 3001 53 0").
  void AddField(StreamLine* line, absl::string_view field, int32_t line_no) {
    field = TrimSpace(field);
    if (field.empty()) return;
    CellValue value = ClassifyValue(field);
    if (value.is_value()) {
      AddCell(line, field, line_no, value);
      return;
    }
    // Most fields are labels or prose: split only when the field ends in a short value token.
    if (!EndsInValueToken(field)) {
      AddCell(line, field, line_no, value);
      return;
    }
    // Space-separated tokens of the field.
    tokens_.clear();
    size_t pos = 0, token_begin = 0;
    bool in_token = false;
    while (pos < field.size()) {
      size_t here = pos;
      char32_t cp = NextCodepoint(field, &pos);
      if (IsSpace(cp)) {
        if (in_token) tokens_.push_back(field.substr(token_begin, here - token_begin));
        in_token = false;
      } else if (!in_token) {
        in_token = true;
        token_begin = here;
      }
    }
    if (in_token) tokens_.push_back(field.substr(token_begin));
    // The trailing run of values; it must hold at least one number.
    size_t k = tokens_.size();
    bool has_number = false;
    while (k > 0) {
      CellValue v = ClassifyValue(tokens_[k - 1]);
      if (!v.is_value()) break;
      if (v.kind != CellValue::Kind::kPlaceholder) has_number = true;
      --k;
    }
    if (!has_number || k == tokens_.size()) {
      AddCell(line, field, line_no, value);
      return;
    }
    if (k > 0) {
      absl::string_view label = TrimSpace(field.substr(0, static_cast<size_t>(tokens_[k].data() - field.data())));
      AddCell(line, label, line_no);
    }
    for (size_t i = k; i < tokens_.size(); ++i) AddCell(line, tokens_[i], line_no);
  }

  // True when the text after the field's last space (ASCII, NBSP or U+3000), within its last 48 bytes,
  // reads as a value.
  static bool EndsInValueToken(absl::string_view field) {
    if (!MayEndAValue(field)) return false;
    size_t n = field.size();
    size_t limit = n > 48 ? n - 48 : 0;
    for (size_t i = n; i > limit; --i) {
      unsigned char c = static_cast<unsigned char>(field[i - 1]);
      size_t token_begin = std::string::npos;
      if (c == ' ' || c == '\t') {
        token_begin = i;
      } else if (c == 0xA0 && i >= 2 && static_cast<unsigned char>(field[i - 2]) == 0xC2) {
        token_begin = i;
      } else if (c == 0x80 && i >= 3 && static_cast<unsigned char>(field[i - 2]) == 0x80 &&
                 static_cast<unsigned char>(field[i - 3]) == 0xE3) {
        token_begin = i;
      }
      if (token_begin != std::string::npos) return ClassifyValue(field.substr(token_begin)).is_value();
    }
    return false;
  }

  // ---- Run-together text (a scraper dropped the separators between table cells) -----------------------

  static bool IsCjk(char32_t cp) { return cp >= 0x4E00 && cp <= 0x9FFF; }
  static bool IsClosing(char32_t cp) {
    return cp == 0xFF09 || cp == ')' || cp == 0x201D || cp == 0x300D || cp == 0x3011 || cp == ']';
  }
  static bool IsOpening(char32_t cp) { return cp == 0xFF08 || cp == '(' || cp == 0x201C || cp == 0x300C; }
  // Characters after which a number belongs to prose: 2024年, 15件, 3条, 第2…
  static bool IsUnit(char32_t cp) {
    static const std::u32string units = U"年月日件条个项次号期人户家所万亿层楼届名位场篇批轮天时分周岁%％倍余";
    return units.find(cp) != std::u32string::npos;
  }

  struct Cp {
    char32_t cp;
    size_t offset;  // into the field
  };

  static std::vector<Cp> Decode(absl::string_view field) {
    std::vector<Cp> out;
    size_t pos = 0;
    while (pos < field.size()) {
      size_t here = pos;
      out.push_back({NextCodepoint(field, &pos), here});
    }
    return out;
  }

  // True when `text` holds two or more runs of 5+ ASCII digits: what IsRunTogether needs at the least,
  // found without decoding (most long lines are prose with no such runs).
  static bool HasTwoDigitRuns(absl::string_view text) {
    int runs = 0, length = 0;
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
      // Skip eight bytes at a time while none can be a digit (no byte with high nibble 3).
      while (length == 0 && i + 8 <= n) {
        uint64_t high = (Load8(text.data() + i) ^ Broadcast(0x30)) & Broadcast(0xF0);
        if (HasZeroByte(high)) break;
        i += 8;
      }
      if (i >= n) break;
      char c = text[i++];
      if (c >= '0' && c <= '9') {
        if (++length == 5 && ++runs == 2) return true;
      } else {
        length = 0;
      }
    }
    return false;
  }

  // A field with two or more runs of 5+ digits glued between CJK text ("数量320000032二、上年").
  static bool IsRunTogether(const std::vector<Cp>& cps) {
    int glued = 0;
    for (size_t i = 0; i < cps.size();) {
      if (cps[i].cp < '0' || cps[i].cp > '9') {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < cps.size() && cps[j].cp >= '0' && cps[j].cp <= '9') ++j;
      bool left = i > 0 && (IsCjk(cps[i - 1].cp) || IsClosing(cps[i - 1].cp));
      bool right = j == cps.size() || IsCjk(cps[j].cp) || IsOpening(cps[j].cp) || cps[j].cp == '.';
      if (j - i >= 5 && left && right && !(j < cps.size() && IsUnit(cps[j].cp))) ++glued;
      i = j;
    }
    return glued >= 2;
  }

  // Splits a run-together field into lines at the section numerals (一、 … 六、) and, within each line, the
  // digit runs glued to labels into value cells.
  void SplitRunTogether(absl::string_view field, int32_t line_no) {
    std::vector<Cp> cps = Decode(field);
    static const std::u32string numerals = U"一二三四五六";
    std::vector<size_t> starts = {0};
    for (size_t i = 1; i + 1 < cps.size(); ++i) {
      if (numerals.find(cps[i].cp) != std::u32string::npos && cps[i + 1].cp == 0x3001 &&
          cps[i - 1].cp != 0xFF08 && cps[i - 1].cp != '(' && cps[i - 1].cp != 0x7B2C /* 第 */) {
        starts.push_back(i);
      }
    }
    starts.push_back(cps.size());
    for (size_t s = 0; s + 1 < starts.size(); ++s) {
      size_t b = starts[s], e = starts[s + 1];
      size_t byte_b = cps[b].offset, byte_e = e < cps.size() ? cps[e].offset : field.size();
      absl::string_view segment = TrimSpace(field.substr(byte_b, byte_e - byte_b));
      if (segment.empty()) continue;
      StreamLine out;
      out.first_cell = static_cast<uint32_t>(stream_->cells.size());
      out.pos.line = line_no;
      out.pos.byte_offset = static_cast<int64_t>(field.data() - text_.data() + byte_b);
      out.text = segment;
      size_t label_begin = b;  // code point index where the current label text begins
      for (size_t i = b; i < e;) {
        if (cps[i].cp < '0' || cps[i].cp > '9') {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < e && cps[j].cp >= '0' && cps[j].cp <= '9') ++j;
        // A decimal part and a 元 belong to the number.
        size_t end = j;
        if (end + 1 < e && cps[end].cp == '.' && cps[end + 1].cp >= '0' && cps[end + 1].cp <= '9') {
          end += 1;
          while (end < e && cps[end].cp >= '0' && cps[end].cp <= '9') ++end;
        }
        char32_t before = i > b ? cps[i - 1].cp : 0;
        size_t k = i;
        while (k > b && IsSpace(cps[k - 1].cp)) --k;
        char32_t before_space = k > b ? cps[k - 1].cp : 0;
        bool left = IsCjk(before) || IsClosing(before) ||
                    (IsSpace(before) && (IsCjk(before_space) || (before_space >= '0' && before_space <= '9') ||
                                         IsClosing(before_space)));
        char32_t after = end < e ? cps[end].cp : 0;
        size_t next = end;
        while (next < e && IsSpace(cps[next].cp)) ++next;
        bool unit = next < e && IsUnit(cps[next].cp);
        bool numbering_follows = (after == '.' || after == 0x3001 || after == 0xFF0E) && end + 1 < e &&
                                 !(cps[end + 1].cp >= '0' && cps[end + 1].cp <= '9');
        if (!left || unit || before == 0x7B2C /* 第 */) {
          i = end;
          continue;
        }
        size_t value_end = end;
        if (after == 0x5143 /* 元 */) value_end = end + 1;
        if (numbering_follows) {
          if (j - i < 2) {  // the digit is the next label's numbering, not a value
            i = end;
            continue;
          }
          value_end = j - 1;  // the last digit numbers the next label ("00000002.其他")
        }
        AddRange(&out, field, cps, label_begin, i, line_no, /*trim=*/true);
        AddRange(&out, field, cps, i, value_end, line_no, /*trim=*/false);
        label_begin = value_end;
        i = value_end;
      }
      AddRange(&out, field, cps, label_begin, e, line_no, /*trim=*/true);
      stream_->lines.push_back(std::move(out));
    }
  }

  void AddRange(StreamLine* line, absl::string_view field, const std::vector<Cp>& cps, size_t b, size_t e,
                int32_t line_no, bool trim) {
    if (b >= e) return;
    size_t byte_b = cps[b].offset, byte_e = e < cps.size() ? cps[e].offset : field.size();
    absl::string_view text = field.substr(byte_b, byte_e - byte_b);
    if (trim) text = TrimSpace(text);
    if (text.empty()) return;
    AddCell(line, text, line_no);
  }

  void SplitLine(absl::string_view line, int32_t line_no, size_t line_begin) {
    line_begin_ = line_begin;
    col_offset_ = line_begin;
    col_ = 0;
    absl::string_view trimmed = TrimSpace(line);
    if (trimmed.size() > 64 && trimmed.find('\t') == absl::string_view::npos &&
        trimmed.find('|') == absl::string_view::npos &&
        (HasTwoDigitRuns(trimmed) || (trimmed.size() > 3000 && Contains(trimmed, "申请")))) {
      std::vector<Cp> cps = Decode(trimmed);
      // A whole page flattened onto one line (a crawler's text) is read the same way.
      if (IsRunTogether(cps) || (trimmed.size() > 3000 && Contains(trimmed, "申请"))) {
        SplitRunTogether(trimmed, line_no);
        return;
      }
    }
    if (trimmed.empty() || IsMarkdownSeparator(trimmed) || IsPageNumberLine(trimmed)) {
      StreamLine empty;
      empty.pos.line = line_no;
      empty.pos.byte_offset = static_cast<int64_t>(line_begin);
      stream_->lines.push_back(std::move(empty));
      return;
    }
    StreamLine out;
    out.first_cell = static_cast<uint32_t>(stream_->cells.size());
    out.pos.line = line_no;
    out.pos.byte_offset = static_cast<int64_t>(line_begin);
    out.text = trimmed;
    // Word exports leave "[bookmark: _GoBack]" marks; most lines have none.
    const bool marked = Find(line, "[bookmark:") != absl::string_view::npos;
    size_t field_begin = 0;
    while (field_begin <= line.size()) {
      size_t end = FindFieldEnd(line, field_begin);
      absl::string_view field = line.substr(field_begin, end - field_begin);
      // Drop "[bookmark: _GoBack]" marks left by Word exports.
      while (marked) {
        size_t mark = Find(field, "[bookmark:");
        if (mark == absl::string_view::npos) break;
        size_t close = field.find(']', mark);
        if (close == absl::string_view::npos) break;
        AddField(&out, field.substr(0, mark), line_no);
        field = field.substr(close + 1);
      }
      AddField(&out, field, line_no);
      field_begin = end + 1;
    }
    if (marked && out.cell_count > 0) {
      // The line's text starts after the mark, for heading detection.
      const StreamCell& first = stream_->cells[out.first_cell];
      out.text = TrimSpace(absl::string_view(first.text.data(),
                                             static_cast<size_t>(trimmed.data() + trimmed.size() -
                                                                 first.text.data())));
    }
    stream_->lines.push_back(std::move(out));
  }

  absl::string_view text_;
  CellStream* stream_;
  const TextFrontEndOptions& options_;
  int64_t cells_ = 0;
  std::vector<absl::string_view> tokens_;
  size_t line_begin_ = 0;
  size_t col_offset_ = 0;
  int32_t col_ = 0;
};

}  // namespace

absl::StatusOr<CellStream> ReadText(absl::string_view text, const TextFrontEndOptions& options) {
  CellStream stream;
  stream.format = gongkai::v1::DOCUMENT_FORMAT_TEXT;
  if (Contains(text, "|---") || Contains(text, "| ---")) stream.format = gongkai::v1::DOCUMENT_FORMAT_MARKDOWN;
  // Room for lines of ~24 bytes on average (reports run 20–60) without a pass to count them; the vectors
  // grow if a text has shorter lines.
  size_t lines = text.size() / 24 + 16;
  stream.lines.reserve(lines);
  stream.cells.reserve(lines * 2);
  LineSplitter splitter(text, &stream, options);
  absl::Status status = splitter.Run();
  if (!status.ok()) return status;
  return stream;
}

}  // namespace gongkai::parser
