#include "services/parser/docx_front_end.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text.h"
#include "services/parser/values.h"

namespace gongkai::parser {
namespace {

bool Is(const xmlNode* node, const char* local_name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, BAD_CAST local_name) == 0;
}

// The w:val attribute of a child property element (e.g. <w:tcPr><w:vMerge w:val="restart"/>).
const xmlNode* Child(const xmlNode* node, const char* local_name) {
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (Is(c, local_name)) return c;
  }
  return nullptr;
}

std::string Attr(const xmlNode* node, const char* local_name) {
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (xmlStrcmp(a->name, BAD_CAST local_name) == 0 && a->children != nullptr && a->children->content != nullptr) {
      return reinterpret_cast<const char*>(a->children->content);
    }
  }
  return "";
}

// Text of the runs below `node`: w:t, w:tab (a space), w:br (nothing, a label broken over lines is one
// label); deleted text, field instructions and nested tables are left out. Iterative.
void RunText(const xmlNode* node, std::string* out) {
  std::vector<const xmlNode*> stack;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) stack.push_back(c);
  std::reverse(stack.begin(), stack.end());
  while (!stack.empty()) {
    const xmlNode* n = stack.back();
    stack.pop_back();
    if (n->type != XML_ELEMENT_NODE) continue;
    if (Is(n, "t")) {
      for (const xmlNode* t = n->children; t != nullptr; t = t->next) {
        if (t->content != nullptr) out->append(reinterpret_cast<const char*>(t->content));
      }
      continue;
    }
    if (Is(n, "tab")) {
      out->push_back(' ');
      continue;
    }
    if (Is(n, "delText") || Is(n, "instrText") || Is(n, "del") || Is(n, "tbl") || Is(n, "rPr") || Is(n, "pPr")) {
      continue;
    }
    std::vector<const xmlNode*> children;
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) children.push_back(c);
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
  }
}

class DocxWalker {
 public:
  DocxWalker(CellStream* stream, const DocxFrontEndOptions& options) : stream_(stream), options_(options) {}

  absl::Status Walk(const xmlNode* body) {
    // Block-level content in order: paragraphs, tables, and containers (content controls, custom XML).
    std::vector<const xmlNode*> stack;
    PushChildren(body, &stack);
    while (!stack.empty()) {
      const xmlNode* n = stack.back();
      stack.pop_back();
      if (Is(n, "p")) {
        AddParagraph(n);
      } else if (Is(n, "tbl")) {
        absl::Status status = AddTable(n);
        if (!status.ok()) return status;
      } else if (Is(n, "sdt") || Is(n, "sdtContent") || Is(n, "customXml") || Is(n, "ins") || Is(n, "smartTag")) {
        PushChildren(n, &stack);
      }
      if (TooManyCellsSoFar()) return TooManyCells();
    }
    return absl::OkStatus();
  }

 private:
  static void PushChildren(const xmlNode* n, std::vector<const xmlNode*>* stack) {
    std::vector<const xmlNode*> children;
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) children.push_back(c);
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack->push_back(*it);
  }

  bool TooManyCellsSoFar() const { return static_cast<int64_t>(stream_->cells.size()) > options_.max_cells; }

  absl::Status TooManyCells() const {
    return absl::InvalidArgumentError(absl::StrCat("the document has more than ", options_.max_cells,
                                                   " table cells; an annual report has a few hundred"));
  }

  void AddParagraph(const xmlNode* p) {
    std::string text;
    RunText(p, &text);
    absl::string_view trimmed = TrimSpace(text);
    if (trimmed.empty()) return;
    ++paragraph_;
    Pos pos;
    pos.line = static_cast<int32_t>(xmlGetLineNo(const_cast<xmlNode*>(p)));
    stream_->AddTextLine(std::string(trimmed), pos);
  }

  absl::Status AddTable(const xmlNode* tbl) {
    int table = ++table_index_;
    int row_index = 0;
    std::vector<const xmlNode*> nested;
    for (const xmlNode* tr = tbl->children; tr != nullptr; tr = tr->next) {
      if (!Is(tr, "tr")) continue;
      ++row_index;
      Pos row_pos;
      row_pos.line = static_cast<int32_t>(xmlGetLineNo(const_cast<xmlNode*>(tr)));
      row_pos.table = table;
      row_pos.row = row_index;
      RowBuilder row(stream_, row_pos);
      int cell_index = 0;
      for (const xmlNode* tc = tr->children; tc != nullptr; tc = tc->next) {
        // Cells may sit inside content controls.
        const xmlNode* cell_node = tc;
        if (Is(tc, "sdt")) {
          const xmlNode* content = Child(tc, "sdtContent");
          cell_node = content != nullptr ? Child(content, "tc") : nullptr;
        }
        if (!Is(cell_node, "tc")) continue;
        ++cell_index;
        // A vertically merged continuation (<w:vMerge/> without val="restart") is the cell above: like a
        // rowspan in HTML it gives no cell of its own.
        const xmlNode* props = Child(cell_node, "tcPr");
        const xmlNode* vmerge = props != nullptr ? Child(props, "vMerge") : nullptr;
        if (vmerge != nullptr && Attr(vmerge, "val") != "restart") continue;
        std::string text;
        for (const xmlNode* c = cell_node->children; c != nullptr; c = c->next) {
          if (Is(c, "tbl")) nested.push_back(c);
          if (Is(c, "p") || Is(c, "sdt") || Is(c, "customXml")) RunText(c, &text);
        }
        Pos cell_pos = row_pos;
        cell_pos.cell = cell_index;
        row.AddCell(std::string(TrimSpace(text)), cell_pos);
      }
      row.Finish();
      if (TooManyCellsSoFar()) return TooManyCells();
    }
    // Tables inside cells are read as tables of their own, after the one that holds them.
    for (const xmlNode* n : nested) {
      absl::Status status = AddTable(n);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  CellStream* stream_;
  const DocxFrontEndOptions& options_;
  int table_index_ = 0;
  int paragraph_ = 0;
};

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

}  // namespace

absl::StatusOr<std::string> ReadZipEntry(absl::string_view zip_bytes, absl::string_view name, int64_t max_bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip_bytes.data(), zip_bytes.size(), 0, &error);
  if (source == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("the zip container cannot be read: ", zip_error_strerror(&error)));
  }
  std::unique_ptr<zip_t, ZipCloser> zip(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (zip == nullptr) {
    zip_source_free(source);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return absl::InvalidArgumentError(
        absl::StrCat("the file is a damaged zip container (truncated or corrupt: ", why,
                     "); save the document again from Word or WPS and resubmit it"));
  }
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(zip.get(), std::string(name).c_str(), 0, &stat) != 0) {
    if (zip_name_locate(zip.get(), "xl/workbook.xml", 0) >= 0) {
      return absl::InvalidArgumentError("the file is an Excel workbook (.xlsx), not a Word document");
    }
    if (zip_name_locate(zip.get(), "ppt/presentation.xml", 0) >= 0) {
      return absl::InvalidArgumentError("the file is a PowerPoint presentation (.pptx), not a Word document");
    }
    return absl::InvalidArgumentError(
        absl::StrCat("the zip container has no ", name, ": it is not a Word (.docx) document"));
  }
  if ((stat.valid & ZIP_STAT_SIZE) && static_cast<int64_t>(stat.size) > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(name, " would expand to ", stat.size, " bytes, over the limit of ",
                                                   max_bytes, " (a zip bomb, or not an annual report)"));
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen(zip.get(), std::string(name).c_str(), 0),
                                                          &zip_fclose);
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(name, " cannot be opened in the zip container: ",
                                                   zip_strerror(zip.get())));
  }
  std::string out;
  char buffer[1 << 16];
  while (true) {
    zip_int64_t n = zip_fread(file.get(), buffer, sizeof(buffer));
    if (n < 0) {
      return absl::InvalidArgumentError(absl::StrCat(name, " is damaged in the zip container: ",
                                                     zip_file_strerror(file.get())));
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    // The declared size can lie: stop at the limit whatever it said.
    if (static_cast<int64_t>(out.size()) > max_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(name, " expands past the limit of ", max_bytes,
                                                     " bytes (a zip bomb, or not an annual report)"));
    }
  }
  return out;
}

absl::StatusOr<CellStream> ReadDocx(absl::string_view bytes, const DocxFrontEndOptions& options) {
  absl::StatusOr<std::string> xml = ReadZipEntry(bytes, "word/document.xml", options.max_xml_bytes);
  if (!xml.ok()) return xml.status();
  // No network, no entity expansion (billion laughs), libxml2's default depth limit of 256. Small text nodes
  // are stored compactly (XML_PARSE_COMPACT: 3 % fewer instructions; the tree is only read).
  std::unique_ptr<xmlDoc, XmlDocFree> doc(xmlReadMemory(xml->data(), static_cast<int>(xml->size()), "document.xml",
                                                        nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                                     XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT));
  if (doc == nullptr) {
    const xmlError* error = xmlGetLastError();
    return absl::InvalidArgumentError(absl::StrCat("word/document.xml is not well-formed XML",
                                                   error != nullptr ? absl::StrCat(" (line ", error->line, ": ",
                                                                                   TrimSpace(error->message ? error->message : ""), ")")
                                                                    : std::string()));
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  const xmlNode* body = root != nullptr ? Child(root, "body") : nullptr;
  if (body == nullptr) return absl::InvalidArgumentError("word/document.xml has no w:body: it is not a Word document");
  CellStream stream;
  stream.format = v1::DOCUMENT_FORMAT_DOCX;
  DocxWalker walker(&stream, options);
  absl::Status status = walker.Walk(body);
  if (!status.ok()) return status;
  return stream;
}

}  // namespace gongkai::parser
