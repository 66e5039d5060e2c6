#include "services/parser/cell_stream.h"

#include <utility>

namespace gongkai::parser {

void Pos::ToProto(gongkai::v1::SourcePosition* out) const {
  out->set_line(line);
  out->set_column(column);
  out->set_byte_offset(byte_offset);
  out->set_page(page);
  out->set_table(table);
  out->set_row(row);
  out->set_cell(cell);
}

void CellStream::AddTextLine(std::string text, const Pos& pos) {
  if (text.empty()) return;
  StreamLine line;
  line.first_cell = static_cast<uint32_t>(cells.size());
  line.cell_count = 1;
  line.pos = pos;
  StreamCell cell;
  cell.text = Own(std::move(text));
  cell.pos = pos;
  cell.value = ClassifyValue(cell.text);
  line.text = cell.text;
  cells.push_back(cell);
  lines.push_back(line);
}

RowBuilder::RowBuilder(CellStream* stream, const Pos& pos) : stream_(stream) {
  line_.table_row = true;
  line_.first_cell = static_cast<uint32_t>(stream->cells.size());
  line_.pos = pos;
}

void RowBuilder::AddCell(std::string text, const Pos& pos) {
  StreamCell cell;
  cell.pos = pos;
  if (text.empty()) {
    cell.blank = true;
    cell.value.kind = CellValue::Kind::kPlaceholder;
  } else {
    cell.text = stream_->Own(std::move(text));
    cell.value = ClassifyValue(cell.text);
    if (!text_.empty()) text_.push_back(' ');
    text_.append(cell.text.data(), cell.text.size());
  }
  stream_->cells.push_back(cell);
  ++line_.cell_count;
}

void RowBuilder::Finish() {
  line_.text = stream_->Own(std::move(text_));
  stream_->lines.push_back(line_);
}

}  // namespace gongkai::parser
