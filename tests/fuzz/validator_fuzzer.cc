// libFuzzer target: the validator fed arbitrary AnnualReport messages. Input starting with 'P' is parsed
// as a serialised AnnualReport (any field, any value); other input drives a structure-aware builder
// (FuzzedDataProvider): a template version, every cell with an arbitrary state and value (huge, negative,
// decimal with any scale), arbitrary section texts, agency and years. Each report is validated alone and in
// a batch with a copy of itself and a previous-year variant; nothing may crash, overflow or hang. Each input
// also goes through DropProvenanceFromBytes (common/schema.h), which must agree with DropProvenance, and
// ReportIdentityFromBytes, which must agree with a parse; the batch's narrative signatures must be ones the
// gateway's pairing takes.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <climits>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "common/schema.h"
#include "common/text.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/validator/similarity.h"
#include "services/validator/validator.h"

namespace {

gongkai::v1::AnnualReport Build(FuzzedDataProvider& in) {
  gongkai::v1::AnnualReport r;
  auto version = in.PickValueInArray({gongkai::v1::TEMPLATE_VERSION_V2021, gongkai::v1::TEMPLATE_VERSION_V2019,
                                      gongkai::v1::TEMPLATE_VERSION_UNKNOWN});
  r.set_version(version);
  if (version != gongkai::v1::TEMPLATE_VERSION_UNKNOWN) gongkai::InitTables(version, &r);
  r.set_agency(in.ConsumeRandomLengthString(64));
  r.set_report_year(in.ConsumeIntegral<int32_t>());
  r.set_title_year(in.ConsumeIntegralInRange<int32_t>(-1, 3000));
  r.set_period_year(in.ConsumeIntegralInRange<int32_t>(-1, 3000));
  r.set_fee_unit(in.ConsumeRandomLengthString(16));
  for (gongkai::v1::Table* t : {r.mutable_table2(), r.mutable_table3(), r.mutable_table4()}) {
    t->set_present(in.ConsumeBool());
    for (gongkai::v1::Cell& cell : *t->mutable_cells()) {
      if (in.remaining_bytes() == 0) break;
      cell.set_state(in.PickValueInArray({gongkai::v1::CELL_STATE_PRESENT, gongkai::v1::CELL_STATE_MISSING,
                                          gongkai::v1::CELL_STATE_PLACEHOLDER}));
      if (in.ConsumeBool()) {
        cell.set_int_value(in.ConsumeIntegral<int64_t>());
      } else {
        cell.mutable_decimal_value()->set_units(in.ConsumeIntegral<int64_t>());
        cell.mutable_decimal_value()->set_scale(in.ConsumeIntegralInRange<int32_t>(-3, 30));
      }
      cell.set_raw(in.ConsumeRandomLengthString(12));
    }
  }
  int sections = in.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < sections; ++i) {
    gongkai::v1::Section* s = r.add_sections();
    s->set_number(in.ConsumeIntegralInRange(-1, 9));
    s->set_heading(in.ConsumeRandomLengthString(32));
    s->set_text(in.ConsumeRandomLengthString(2000));
  }
  return r;
}

std::string Utf8Safe(const std::string& s) { return gongkai::ValidateUtf8(s).ok() ? s : absl::CHexEscape(s); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gongkai::validator::Validator* validator = [] {
    auto v = gongkai::validator::Validator::Create();
    if (!v.ok()) std::abort();
    return new gongkai::validator::Validator(*std::move(v));
  }();
  gongkai::v1::AnnualReport report;
  if (size > 0 && data[0] == 'P') {
    // Provenance dropped on arbitrary bytes: an answer or a refusal, never a crash; bytes that parse as a
    // report still parse once it is dropped.
    absl::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    absl::StatusOr<std::string> dropped = gongkai::DropProvenanceFromBytes(bytes);
    absl::StatusOr<gongkai::ReportIdentity> identity = gongkai::ReportIdentityFromBytes(bytes);
    if (!report.ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
    gongkai::v1::AnnualReport lean;
    if (dropped.ok() && !lean.ParseFromString(*dropped)) std::abort();
    // Bytes that parse as a report have the identity the parse gives.
    if (!identity.ok() || identity->agency != report.agency() || identity->report_year != report.report_year()) {
      std::abort();
    }
  } else {
    FuzzedDataProvider in(data, size);
    report = Build(in);
    // On a report as protobuf writes it, dropping provenance on the bytes is DropProvenance exactly. Its
    // strings are made UTF-8 first (escaped when they are not), so that it reads back.
    gongkai::v1::AnnualReport readable = report;
    readable.set_agency(Utf8Safe(readable.agency()));
    readable.set_fee_unit(Utf8Safe(readable.fee_unit()));
    for (gongkai::v1::Table* t : {readable.mutable_table2(), readable.mutable_table3(), readable.mutable_table4()}) {
      for (gongkai::v1::Cell& cell : *t->mutable_cells()) cell.set_raw(Utf8Safe(cell.raw()));
    }
    for (gongkai::v1::Section& section : *readable.mutable_sections()) {
      section.set_heading(Utf8Safe(section.heading()));
      section.set_text(Utf8Safe(section.text()));
    }
    std::string full = readable.SerializeAsString();
    gongkai::v1::AnnualReport want;
    if (!want.ParseFromString(full)) std::abort();
    {
      absl::StatusOr<std::string> dropped = gongkai::DropProvenanceFromBytes(full);
      gongkai::v1::AnnualReport lean;
      google::protobuf::RepeatedPtrField<gongkai::v1::Finding> no_findings;
      gongkai::DropProvenance(&want, &no_findings);
      if (!dropped.ok() || !lean.ParseFromString(*dropped) ||
          !google::protobuf::util::MessageDifferencer::Equals(lean, want)) {
        std::abort();
      }
      absl::StatusOr<gongkai::ReportIdentity> identity = gongkai::ReportIdentityFromBytes(full);
      if (!identity.ok() || identity->agency != readable.agency() || identity->report_year != readable.report_year()) {
        std::abort();
      }
    }
  }
  validator->Validate(report);
  gongkai::v1::AnnualReport previous = report;
  previous.set_report_year(report.report_year() > INT32_MIN ? report.report_year() - 1 : report.report_year());
  validator->Validate(report, &previous);
  std::vector<std::string> signatures;
  validator->ValidateBatch({&report, &report, &previous}, {}, &signatures);
  // The narrative signatures the gateway pairs: each empty or one the pairing table takes.
  gongkai::validator::JobSignatures table;
  for (const std::string& signature : signatures) {
    if (!table.Add(signature)) std::abort();
  }
  if (signatures.size() != 3 || signatures[0] != signatures[1]) std::abort();
  return 0;
}
