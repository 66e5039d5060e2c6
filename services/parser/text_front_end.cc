#include "services/parser/text_front_end.h"

#include <algorithm>
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

class LineSplitter {
 public:
  LineSplitter(absl::string_view text, CellStream* stream, const TextFrontEndOptions& options)
      : text_(text), stream_(stream), options_(options) {}

  absl::Status Run() {
    size_t begin = 0;
    int32_t line_no = 0;
    while (begin <= text_.size()) {
      size_t end = text_.find('\n', begin);
      if (end == absl::string_view::npos) end = text_.size();
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
    ++line->cell_count;
    size_t offset = static_cast<size_t>(cell.data() - text_.data());
    StreamCell out;
    out.text = cell;
    out.value = ClassifyValue(cell);
    out.pos.line = line_no;
    out.pos.column = ColumnOf(offset);
    out.pos.byte_offset = static_cast<int64_t>(offset);
    stream_->cells.push_back(out);
    ++cells_;
  }

  // Adds a field, splitting trailing space-separated values off a label ("行政许可 97", "一、… 3001 53 0").
  void AddField(StreamLine* line, absl::string_view field, int32_t line_no) {
    field = TrimSpace(field);
    if (field.empty()) return;
    if (ClassifyValue(field).is_value()) {
      AddCell(line, field, line_no);
      return;
    }
    // Most fields are labels or prose: split only when the field ends in a short value token.
    if (!EndsInValueToken(field)) {
      AddCell(line, field, line_no);
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
      AddCell(line, field, line_no);
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

  void SplitLine(absl::string_view line, int32_t line_no, size_t line_begin) {
    line_begin_ = line_begin;
    col_offset_ = line_begin;
    col_ = 0;
    absl::string_view trimmed = TrimSpace(line);
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
    size_t field_begin = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == '\t' || line[i] == '|') {
        absl::string_view field = line.substr(field_begin, i - field_begin);
        // Drop "[bookmark: _GoBack]" marks left by Word exports.
        while (true) {
          size_t mark = Find(field, "[bookmark:");
          if (mark == absl::string_view::npos) break;
          size_t close = field.find(']', mark);
          if (close == absl::string_view::npos) break;
          AddField(&out, field.substr(0, mark), line_no);
          field = field.substr(close + 1);
        }
        AddField(&out, field, line_no);
        field_begin = i + 1;
      }
    }
    if (Find(out.text, "[bookmark:") != absl::string_view::npos && out.cell_count > 0) {
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
  if (text.find("|---") != absl::string_view::npos || text.find("| ---") != absl::string_view::npos) {
    stream.format = gongkai::v1::DOCUMENT_FORMAT_MARKDOWN;
  }
  size_t newlines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  stream.lines.reserve(newlines + 1);
  stream.cells.reserve(newlines * 2 + 16);
  LineSplitter splitter(text, &stream, options);
  absl::Status status = splitter.Run();
  if (!status.ok()) return status;
  return stream;
}

}  // namespace gongkai::parser
