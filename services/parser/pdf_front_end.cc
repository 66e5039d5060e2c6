#include "services/parser/pdf_front_end.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/text.h"
#include "services/parser/layout.h"
#include "services/parser/values.h"

namespace gongkai::parser {
namespace {

// Poppler prints warnings for odd PDFs to stderr; a library must not.
void QuietPoppler(const std::string&, void*) {}

struct Word {
  std::string text;
  double x0, x1, y0, y1;  // points, origin top left
  bool space_after;
};

struct Line {
  std::vector<Word> words;
  double y0, y1;
  double center() const { return (y0 + y1) / 2; }
};

// Groups a page's words into lines: words whose vertical middles fall inside a line's band join it.
std::vector<Line> GroupLines(std::vector<Word> words) {
  std::sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
    double ca = (a.y0 + a.y1) / 2, cb = (b.y0 + b.y1) / 2;
    if (std::abs(ca - cb) > 1.0) return ca < cb;
    return a.x0 < b.x0;
  });
  std::vector<Line> lines;
  for (Word& w : words) {
    double c = (w.y0 + w.y1) / 2;
    double h = std::max(1.0, w.y1 - w.y0);
    Line* target = nullptr;
    for (auto it = lines.rbegin(); it != lines.rend() && it != lines.rbegin() + 3; ++it) {
      double band = std::max(1.0, (it->y1 - it->y0)) * 0.5;
      if (std::abs(it->center() - c) <= std::max(band, h * 0.5)) {
        target = &*it;
        break;
      }
    }
    if (target == nullptr) {
      lines.push_back(Line{{}, w.y0, w.y1});
      target = &lines.back();
    }
    target->y0 = std::min(target->y0, w.y0);
    target->y1 = std::max(target->y1, w.y1);
    target->words.push_back(std::move(w));
  }
  for (Line& line : lines) {
    std::sort(line.words.begin(), line.words.end(), [](const Word& a, const Word& b) { return a.x0 < b.x0; });
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.center() < b.center(); });
  return lines;
}

// Poppler builds its global state (the Unicode and font maps it reads from /usr/share/poppler, its iconv
// modules) when a first document opens and tears it down when the last one closes, so a parser that opens
// one PDF at a time paid for it on every PDF. One tiny document held for the life of the process keeps it.
void KeepPopplerInitialised() {
  static const poppler::document* keeper = [] {
    static constexpr char kTinyPdf[] =
        "%PDF-1.1\n"
        "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\n"
        "trailer<</Root 1 0 R>>\n%%EOF\n";
    return poppler::document::load_from_raw_data(kTinyPdf, static_cast<int>(sizeof(kTinyPdf) - 1));
  }();
  (void)keeper;
}

}  // namespace

absl::StatusOr<CellStream> ReadPdf(absl::string_view bytes, const PdfFrontEndOptions& options) {
  poppler::set_debug_error_function(QuietPoppler, nullptr);
  KeepPopplerInitialised();
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (doc == nullptr) {
    return absl::InvalidArgumentError(
        "the file starts like a PDF but cannot be opened (damaged or truncated); export it again and resubmit it");
  }
  if (doc->is_locked()) {
    return absl::InvalidArgumentError(
        "the PDF is encrypted with a password; ask for an unprotected copy or export it again without protection");
  }
  int pages = doc->pages();
  if (pages > options.max_pages) {
    return absl::InvalidArgumentError(absl::StrCat("the PDF has ", pages, " pages, over the limit of ", options.max_pages,
                                                   " (an annual report has 3 to 20)"));
  }
  CellStream stream;
  stream.format = v1::DOCUMENT_FORMAT_PDF;
  int64_t cells = 0;
  size_t text_chars = 0;
  for (int p = 0; p < pages; ++p) {
    std::unique_ptr<poppler::page> page(doc->create_page(p));
    if (page == nullptr) continue;
    std::vector<Word> words;
    for (const poppler::text_box& box : page->text_list()) {
      poppler::byte_array utf8 = box.text().to_utf8();
      std::string text(utf8.begin(), utf8.end());
      if (TrimSpace(text).empty()) continue;
      poppler::rectf r = box.bbox();
      words.push_back(Word{std::move(text), r.left(), r.right(), r.top(), r.bottom(), box.has_space_after()});
      text_chars += words.back().text.size();
      if (static_cast<int64_t>(words.size()) > options.max_cells) {
        return absl::InvalidArgumentError(absl::StrCat("page ", p + 1, " holds more than ", options.max_cells, " words"));
      }
    }
    int32_t line_no = 0;
    for (Line& line : GroupLines(std::move(words))) {
      ++line_no;
      // Cells: words closer than about one character height are one cell; table columns are farther apart.
      std::vector<std::pair<std::string, double>> cell_texts;  // text, x
      double height = std::max(4.0, line.y1 - line.y0);
      for (size_t i = 0; i < line.words.size(); ++i) {
        const Word& w = line.words[i];
        bool join = i > 0 && w.x0 - line.words[i - 1].x1 < height * 0.9;
        // Numbers are never joined to their neighbours: each is a cell of its own.
        if (join && (ClassifyValue(w.text).is_value() || ClassifyValue(line.words[i - 1].text).is_value())) join = false;
        if (join) {
          if (line.words[i - 1].space_after) cell_texts.back().first.push_back(' ');
          cell_texts.back().first += w.text;
        } else {
          cell_texts.push_back({w.text, w.x0});
        }
      }
      std::string line_text;
      for (const auto& [t, x] : cell_texts) {
        if (!line_text.empty()) line_text.push_back(' ');
        line_text += t;
      }
      if (IsPageNumberLine(line_text)) continue;
      StreamLine out;
      out.first_cell = static_cast<uint32_t>(stream.cells.size());
      out.pos.page = p + 1;
      out.pos.line = line_no;
      for (auto& [t, x] : cell_texts) {
        (void)x;
        StreamCell cell;
        cell.text = stream.Own(std::move(t));
        cell.value = ClassifyValue(cell.text);
        cell.pos = out.pos;  // a PDF position is its page and line within the page
        stream.cells.push_back(cell);
        ++out.cell_count;
        ++cells;
      }
      out.text = stream.Own(std::move(line_text));
      stream.lines.push_back(out);
      if (cells > options.max_cells) {
        return absl::InvalidArgumentError(absl::StrCat("the PDF holds more than ", options.max_cells, " cells"));
      }
    }
  }
  if (text_chars == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the PDF has no text layer (", pages, " pages of images: a scan); run OCR on it, or ask for the PDF exported "
        "from the original document"));
  }
  return stream;
}

}  // namespace gongkai::parser
