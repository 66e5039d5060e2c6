#include "tools/corpus/pdf_writer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/text.h"

namespace gongkai::corpus {
namespace {

constexpr double kFontSize = 10;       // every character is 1 em wide (the font's default width)
constexpr double kLeading = 15;        // between lines
constexpr double kMargin = 50;
constexpr double kPageHeight = 842;    // A4
constexpr double kCellGap = 24;        // between a row's cells: wider than any gap inside a cell
constexpr size_t kWrapAt = 45;         // characters per narrative line

std::u32string Decode(absl::string_view utf8) {
  std::u32string out;
  size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t c = NextCodepoint(utf8, &pos);
    if (c <= 0xFFFF) out.push_back(c);
  }
  return out;
}

std::string Hex(const std::u32string& text) {
  std::string out = "<";
  for (char32_t c : text) absl::StrAppendFormat(&out, "%04X", static_cast<unsigned>(c));
  return out + ">";
}

std::string ToUnicodeCMap() {
  std::string ranges;
  for (int block = 0; block < 256; block += 64) {
    absl::StrAppend(&ranges, "64 beginbfrange\n");
    for (int hi = block; hi < block + 64; ++hi) absl::StrAppendFormat(&ranges, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
    absl::StrAppend(&ranges, "endbfrange\n");
  }
  return absl::StrCat(
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
      ranges, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

}  // namespace

std::string RenderPdf(absl::string_view tab_text) {
  // Lay out: each output line is a list of (x, text).
  std::vector<std::vector<std::pair<double, std::u32string>>> lines;
  double width = 595;
  for (absl::string_view line : absl::StrSplit(tab_text, '\n')) {
    std::vector<absl::string_view> cells = absl::StrSplit(line, '\t');
    if (cells.size() == 1) {
      std::u32string text = Decode(cells[0]);
      if (text.empty()) continue;
      for (size_t at = 0; at < text.size(); at += kWrapAt) lines.push_back({{kMargin, text.substr(at, kWrapAt)}});
      continue;
    }
    std::vector<std::pair<double, std::u32string>> row;
    double x = kMargin;
    for (absl::string_view cell : cells) {
      std::u32string text = Decode(cell);
      if (!text.empty()) row.push_back({x, text});
      x += std::max<double>(text.size(), 2) * kFontSize + kCellGap;
    }
    width = std::max(width, x + kMargin);
    if (!row.empty()) lines.push_back(std::move(row));
  }
  size_t per_page = static_cast<size_t>((kPageHeight - 2 * kMargin) / kLeading);
  std::vector<std::string> contents;
  for (size_t first = 0; first < lines.size() || contents.empty(); first += per_page) {
    std::string c = absl::StrFormat("BT /F1 %.0f Tf\n", kFontSize);
    for (size_t i = first; i < std::min(lines.size(), first + per_page); ++i) {
      double y = kPageHeight - kMargin - static_cast<double>(i - first) * kLeading;
      for (const auto& [x, text] : lines[i]) absl::StrAppendFormat(&c, "1 0 0 1 %.1f %.1f Tm %s Tj\n", x, y, Hex(text));
    }
    contents.push_back(c + "ET");
  }
  // Objects: 1 catalog, 2 pages, 3 font, 4 descendant font, 5 ToUnicode, then (page, contents) pairs.
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "",
      "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] "
      "/ToUnicode 5 0 R >>",
      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering "
      "(Identity) /Supplement 0 >> /DW 1000 /CIDToGIDMap /Identity >>",
  };
  std::string cmap = ToUnicodeCMap();
  objects.push_back(absl::StrCat("<< /Length ", cmap.size(), " >>\nstream\n", cmap, "\nendstream"));
  std::string kids;
  for (size_t p = 0; p < contents.size(); ++p) {
    size_t page_obj = objects.size() + 1;
    absl::StrAppend(&kids, page_obj, " 0 R ");
    objects.push_back(absl::StrFormat("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font "
                                      "<< /F1 3 0 R >> >> /Contents %d 0 R >>",
                                      width, kPageHeight, page_obj + 1));
    objects.push_back(absl::StrCat("<< /Length ", contents[p].size(), " >>\nstream\n", contents[p], "\nendstream"));
  }
  objects[1] = absl::StrCat("<< /Type /Pages /Kids [", kids, "] /Count ", contents.size(), " >>");
  return AssemblePdf(objects);
}

std::string AssemblePdf(const std::vector<std::string>& objects) {
  std::string out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    absl::StrAppend(&out, i + 1, " 0 obj\n", objects[i], "\nendobj\n");
  }
  size_t xref = out.size();
  absl::StrAppend(&out, "xref\n0 ", objects.size() + 1, "\n0000000000 65535 f \n");
  for (size_t o : offsets) absl::StrAppendFormat(&out, "%010d 00000 n \n", o);
  absl::StrAppend(&out, "trailer\n<< /Size ", objects.size() + 1, " /Root 1 0 R >>\nstartxref\n", xref, "\n%%EOF\n");
  return out;
}

}  // namespace gongkai::corpus
