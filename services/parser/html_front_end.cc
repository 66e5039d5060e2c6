#include "services/parser/html_front_end.h"

#include <gumbo.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text.h"
#include "services/parser/values.h"

namespace gongkai::parser {
namespace {

bool IsVoid(absl::string_view tag) {
  static constexpr absl::string_view kVoid[] = {"br", "img", "meta", "link", "input", "hr", "col", "area", "base",
                                                "wbr", "source", "param", "embed", "track", "keygen", "!", "?"};
  for (absl::string_view v : kVoid) {
    if (tag == v) return true;
  }
  return false;
}

// The deepest nesting of elements, estimated from the tags alone (before handing the page to gumbo, whose
// tree would otherwise have to be built for a hostile page). Unclosed <p> and <li> count too, so this errs high.
int EstimateDepth(absl::string_view html, int limit) {
  int depth = 0, max_depth = 0;
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != absl::string_view::npos) {
    ++pos;
    if (pos >= html.size()) break;
    bool closing = html[pos] == '/';
    if (closing) ++pos;
    size_t end = pos;
    while (end < html.size() && (absl::ascii_isalnum(html[end]) || html[end] == '!' || html[end] == '?')) ++end;
    if (end == pos) continue;
    std::string tag = absl::AsciiStrToLower(html.substr(pos, end - pos));
    if (tag == "script" || tag == "style") {
      if (!closing) {
        size_t close = html.find(absl::StrCat("</", tag), end);
        if (close == absl::string_view::npos) break;
        pos = close;
      }
      continue;
    }
    if (IsVoid(tag) || tag == "p" || tag == "li" || tag[0] == '!') continue;
    // Self-closing "<x/>".
    size_t gt = html.find('>', end);
    if (gt != absl::string_view::npos && gt > 0 && html[gt - 1] == '/') continue;
    depth += closing ? -1 : 1;
    if (depth < 0) depth = 0;
    if (depth > max_depth) {
      max_depth = depth;
      if (max_depth > limit) return max_depth;
    }
  }
  return max_depth;
}

bool IsBlock(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_BODY:
      return true;
    default:
      return false;
  }
}

bool IsSkipped(GumboTag tag) {
  return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_TEMPLATE ||
         tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_IFRAME || tag == GUMBO_TAG_SELECT || tag == GUMBO_TAG_OPTION ||
         tag == GUMBO_TAG_BUTTON;
}

// All text below `node`, in document order, iteratively.
void CollectText(const GumboNode* node, std::string* out) {
  std::vector<const GumboNode*> stack = {node};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      out->append(n->v.text.text);
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    if (IsSkipped(n->v.element.tag)) continue;
    const GumboVector& children = n->v.element.children;
    for (unsigned i = children.length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
  }
}

// True when an element below `table` (not `table` itself) is a table.
bool HasNestedTable(const GumboNode* table) {
  std::vector<const GumboNode*> stack;
  const GumboVector& top = table->v.element.children;
  for (unsigned i = 0; i < top.length; ++i) stack.push_back(static_cast<const GumboNode*>(top.data[i]));
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    if (n->v.element.tag == GUMBO_TAG_TABLE) return true;
    const GumboVector& children = n->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) stack.push_back(static_cast<const GumboNode*>(children.data[i]));
  }
  return false;
}

class HtmlWalker {
 public:
  HtmlWalker(absl::string_view html, CellStream* stream, const HtmlFrontEndOptions& options)
      : html_(html), stream_(stream), options_(options) {}

  absl::Status Walk(const GumboNode* root) {
    // Iterative walk: (node, leaving) pairs.
    std::vector<std::pair<const GumboNode*, bool>> stack = {{root, false}};
    while (!stack.empty()) {
      auto [node, leaving] = stack.back();
      stack.pop_back();
      if (leaving) {
        if (IsBlock(node->v.element.tag)) Flush();
        continue;
      }
      if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
        if (block_.empty()) block_pos_ = node->v.text.start_pos;
        block_.append(node->v.text.text);
        continue;
      }
      if (node->type == GUMBO_NODE_WHITESPACE) {
        if (!block_.empty()) block_.push_back(' ');
        continue;
      }
      if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) continue;
      const GumboVector* children = nullptr;
      if (node->type == GUMBO_NODE_DOCUMENT) {
        children = &node->v.document.children;
      } else {
        GumboTag tag = node->v.element.tag;
        if (IsSkipped(tag)) continue;
        if (tag == GUMBO_TAG_TABLE && !HasNestedTable(node)) {
          Flush();
          absl::Status status = ReadTable(node);
          if (!status.ok()) return status;
          continue;
        }
        if (IsBlock(tag)) Flush();
        stack.push_back({node, true});
        children = &node->v.element.children;
      }
      for (unsigned i = children->length; i > 0; --i) {
        stack.push_back({static_cast<const GumboNode*>(children->data[i - 1]), false});
      }
      if (TooManyCellsSoFar()) return TooManyCells();
    }
    Flush();
    return TooManyCellsSoFar() ? TooManyCells() : absl::OkStatus();
  }

 private:
  bool TooManyCellsSoFar() const { return static_cast<int64_t>(stream_->cells.size()) > options_.max_cells; }

  absl::Status TooManyCells() const {
    return absl::InvalidArgumentError(
        absl::StrCat("the page has more than ", options_.max_cells, " table cells; an annual report has a few hundred"));
  }

  Pos PosOf(const GumboSourcePosition& p) const {
    Pos pos;
    pos.line = static_cast<int32_t>(p.line);
    pos.column = p.column > 0 ? static_cast<int32_t>(p.column) - 1 : 0;
    pos.byte_offset = static_cast<int64_t>(p.offset);
    return pos;
  }

  // Ends the current block of text as a line with one cell.
  void Flush() {
    absl::string_view trimmed = TrimSpace(block_);
    if (!trimmed.empty()) stream_->AddTextLine(CollapseSpaces(trimmed), PosOf(block_pos_));
    block_.clear();
  }

  // Runs of spaces (including NBSP and U+3000) become one ASCII space.
  static std::string CollapseSpaces(absl::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    bool space = false;
    while (pos < text.size()) {
      size_t here = pos;
      char32_t cp = NextCodepoint(text, &pos);
      if (IsSpace(cp)) {
        space = true;
        continue;
      }
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.append(text.data() + here, pos - here);
    }
    return out;
  }

  absl::Status ReadTable(const GumboNode* table) {
    ++table_index_;
    int row_index = 0;
    std::vector<const GumboNode*> stack = {table};
    std::vector<const GumboNode*> rows;
    // Rows in document order (inside thead/tbody/tfoot too).
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type != GUMBO_NODE_ELEMENT) continue;
      if (n->v.element.tag == GUMBO_TAG_TR) {
        rows.push_back(n);
        continue;
      }
      const GumboVector& children = n->v.element.children;
      for (unsigned i = children.length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
    for (const GumboNode* tr : rows) {
      ++row_index;
      Pos row_pos = PosOf(tr->v.element.start_pos);
      row_pos.table = table_index_;
      row_pos.row = row_index;
      RowBuilder row(stream_, row_pos);
      int cell_index = 0;
      const GumboVector& children = tr->v.element.children;
      for (unsigned i = 0; i < children.length; ++i) {
        const GumboNode* td = static_cast<const GumboNode*>(children.data[i]);
        if (td->type != GUMBO_NODE_ELEMENT) continue;
        if (td->v.element.tag != GUMBO_TAG_TD && td->v.element.tag != GUMBO_TAG_TH) continue;
        ++cell_index;
        std::string text;
        CollectText(td, &text);
        Pos cell_pos = PosOf(td->v.element.start_pos);
        cell_pos.table = table_index_;
        cell_pos.row = row_index;
        cell_pos.cell = cell_index;
        row.AddCell(CollapseSpaces(TrimSpace(text)), cell_pos);
      }
      row.Finish();
      if (TooManyCellsSoFar()) return TooManyCells();
    }
    return absl::OkStatus();
  }

  absl::string_view html_;
  CellStream* stream_;
  const HtmlFrontEndOptions& options_;
  std::string block_;
  GumboSourcePosition block_pos_{};
  int table_index_ = 0;
};

// <meta name="ArticleTitle" content="…"> (Chinese government CMS pages), else <title> up to the site
// name ("…年度报告_政府信息公开年报_某某网").
std::string TitleHint(const GumboNode* root) {
  std::string title, article_title;
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    GumboTag tag = n->v.element.tag;
    if (tag == GUMBO_TAG_BODY) continue;
    if (tag == GUMBO_TAG_META) {
      const GumboAttribute* name = gumbo_get_attribute(&n->v.element.attributes, "name");
      const GumboAttribute* content = gumbo_get_attribute(&n->v.element.attributes, "content");
      if (name != nullptr && content != nullptr && absl::EqualsIgnoreCase(name->value, "ArticleTitle")) {
        article_title = content->value;
      }
      continue;
    }
    if (tag == GUMBO_TAG_TITLE) {
      CollectText(n, &title);
      continue;
    }
    const GumboVector& children = n->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) stack.push_back(static_cast<const GumboNode*>(children.data[i]));
  }
  if (!article_title.empty()) return std::string(TrimSpace(article_title));
  size_t cut = title.find('_');
  if (cut != std::string::npos) title.resize(cut);
  return std::string(TrimSpace(title));
}

}  // namespace

absl::StatusOr<CellStream> ReadHtml(absl::string_view html, const HtmlFrontEndOptions& options) {
  int depth = EstimateDepth(html, options.max_nesting_depth);
  if (depth > options.max_nesting_depth) {
    return absl::InvalidArgumentError(absl::StrCat("the page nests its elements more than ", options.max_nesting_depth,
                                                   " deep (HtmlFrontEndOptions.max_nesting_depth); a report page nests "
                                                   "a few dozen"));
  }
  GumboOptions gumbo_options = kGumboDefaultOptions;
  gumbo_options.max_errors = 10000;
  GumboOutput* output = gumbo_parse_with_options(&gumbo_options, html.data(), html.size());
  if (output == nullptr) return absl::InvalidArgumentError("the page could not be parsed as HTML");
  CellStream stream;
  stream.format = v1::DOCUMENT_FORMAT_HTML;
  stream.title_hint = TitleHint(output->root);
  HtmlWalker walker(html, &stream, options);
  absl::Status status = walker.Walk(output->document);
  gumbo_destroy_output(&gumbo_options, output);
  if (!status.ok()) return status;
  return stream;
}

}  // namespace gongkai::parser
