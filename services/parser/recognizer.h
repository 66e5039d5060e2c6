// The table recogniser: reads a cell stream (from any front end) into an AnnualReport's identity,
// sections, tables and parse notes. Labels are matched by their normalised form (labels.h), never by
// position alone; a row with too few or too many values is noted and its cells stay missing.
#ifndef GONGKAI_SERVICES_PARSER_RECOGNIZER_H_
#define GONGKAI_SERVICES_PARSER_RECOGNIZER_H_

#include "absl/status/status.h"
#include "gongkai/v1/report.pb.h"
#include "services/parser/cell_stream.h"

namespace gongkai::parser {

// Fills `report` (identity, sections, tables, notes) from `stream`. The stream's text must outlive the
// call only. Returns InvalidArgument when the stream is not an annual report at all (no heading, no
// table row, no mention of 政府信息公开).
absl::Status Recognize(const CellStream& stream, gongkai::v1::AnnualReport* report);

// The section (1..6) a line is the heading of, or 0. `current` is the section the line is in; an
// unnumbered heading counts only when it moves forward.
int DetectSectionHeading(absl::string_view line, int current);

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_RECOGNIZER_H_
