// The gateway's wire views (wire.proto) against the contracts they stand for: every field of every view
// matches its gongkai.v1 message (a bytes field standing for an embedded AnnualReport), the methods the
// views are sent on exist, and a real parsed report passes parser answer → validator request → stored result
// → aggregator stream byte for byte.
#include "services/gateway/wire.pb.h"

#include "absl/strings/str_cat.h"
#include "gongkai/v1/aggregator_service.grpc.pb.h"
#include "gongkai/v1/gateway_service.pb.h"
#include "gongkai/v1/parser_service.grpc.pb.h"
#include "gongkai/v1/validator_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/gateway/wire_calls.h"
#include "common/schema.h"
#include "services/parser/parser.h"
#include "tools/corpus/generator.h"
#include "tests/testing/test_data.h"

namespace gongkai::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::util::MessageDifferencer;

// Every message of wire.proto, field by field, against the gongkai.v1 message of the same name.
TEST(WireTest, EveryViewMatchesItsContractFieldByField) {
  const google::protobuf::FileDescriptor* file = wire::ReportResult::descriptor()->file();
  ASSERT_GE(file->message_type_count(), 6);
  for (int m = 0; m < file->message_type_count(); ++m) {
    const Descriptor* view = file->message_type(m);
    const Descriptor* contract =
        DescriptorPool::generated_pool()->FindMessageTypeByName(absl::StrCat("gongkai.v1.", view->name()));
    ASSERT_NE(contract, nullptr) << view->name() << " stands for no gongkai.v1 message";
    EXPECT_EQ(view->field_count(), contract->field_count()) << view->name();
    for (int f = 0; f < contract->field_count(); ++f) {
      const FieldDescriptor* want = contract->field(f);
      const FieldDescriptor* got = view->FindFieldByNumber(want->number());
      ASSERT_NE(got, nullptr) << view->name() << " lacks field " << want->number() << " (" << want->name() << ")";
      SCOPED_TRACE(absl::StrCat(view->name(), ".", want->name()));
      EXPECT_EQ(got->name(), want->name());
      EXPECT_EQ(got->is_repeated(), want->is_repeated());
      EXPECT_EQ(got->real_containing_oneof() == nullptr, want->real_containing_oneof() == nullptr);
      if (want->message_type() != nullptr && want->message_type()->full_name() == "gongkai.v1.AnnualReport") {
        EXPECT_EQ(got->type(), FieldDescriptor::TYPE_BYTES) << "a report stays serialised";
      } else if (want->message_type() != nullptr && got->message_type() != nullptr &&
                 got->message_type()->file() == file) {
        EXPECT_EQ(got->message_type()->name(), want->message_type()->name()) << "a view of the same message";
      } else {
        EXPECT_EQ(got->type(), want->type());
        if (want->message_type() != nullptr) {
          ASSERT_NE(got->message_type(), nullptr);
          EXPECT_EQ(got->message_type()->full_name(), want->message_type()->full_name());
        }
      }
    }
  }
}

TEST(WireTest, CallsUseTheServicesMethods) {
  for (const auto& [path, service] :
       {std::pair<std::string, std::string>{ParseBatchMethodPath(), "gongkai.v1.ParserService"},
        {ValidateBatchMethodPath(), "gongkai.v1.ValidatorService"},
        {AddReportsMethodPath(), "gongkai.v1.AggregatorService"}}) {
    const google::protobuf::ServiceDescriptor* s = DescriptorPool::generated_pool()->FindServiceByName(service);
    ASSERT_NE(s, nullptr);
    std::string prefix = absl::StrCat("/", service, "/");
    ASSERT_EQ(path.rfind(prefix, 0), 0u) << path;
    EXPECT_NE(s->FindMethodByName(path.substr(prefix.size())), nullptr) << path;
  }
}

// A parsed seed report, as the parser answers, through the gateway's views to each next hop.
TEST(WireTest, AReportPassesEveryHopByteForByte) {
  absl::StatusOr<v1::AnnualReport> report =
      parser::ParseText(testing::ReadFileOrDie(testing::TestDataDir() + "/reports/seed_001.txt"));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_GT(report->table3().cells_size(), 0);

  v1::ParseBatchResponse answer;
  v1::ParseResult* good = answer.add_results();
  good->set_document_id("d1");
  *good->mutable_report() = *report;
  v1::ParseResult* bad = answer.add_results();
  bad->set_document_id("d2");
  bad->mutable_error()->set_code(3);
  bad->mutable_error()->set_message("empty input");

  wire::ParseBatchResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(answer.SerializeAsString()));
  ASSERT_EQ(parsed.results_size(), 2);
  ASSERT_TRUE(parsed.results(0).has_report());
  EXPECT_EQ(parsed.results(0).report(), report->SerializeAsString());
  ASSERT_TRUE(parsed.results(1).has_error());
  EXPECT_EQ(parsed.results(1).error().message(), "empty input");

  wire::ValidateBatchRequest request;
  request.add_reports()->mutable_report()->swap(*parsed.mutable_results(0)->mutable_report());
  v1::ValidateBatchRequest validator_sees;
  ASSERT_TRUE(validator_sees.ParseFromString(request.SerializeAsString()));
  ASSERT_EQ(validator_sees.reports_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(validator_sees.reports(0).report(), *report));
  EXPECT_FALSE(validator_sees.reports(0).has_previous());

  v1::Finding finding;
  finding.set_rule_id("t3.balance");
  finding.set_severity(v1::SEVERITY_ERROR);
  wire::ReportResult result;
  result.set_document_id("d1");
  result.mutable_report()->swap(*request.mutable_reports(0)->mutable_report());
  *result.add_findings() = finding;
  v1::ReportResult stored;
  ASSERT_TRUE(stored.ParseFromString(result.SerializeAsString()));
  EXPECT_EQ(stored.document_id(), "d1");
  EXPECT_TRUE(MessageDifferencer::Equals(stored.report(), *report));
  ASSERT_EQ(stored.findings_size(), 1);
  EXPECT_EQ(stored.findings(0).rule_id(), "t3.balance");

  wire::ReportResult failed;  // a document that could not be parsed has no report at all
  failed.set_document_id("d2");
  failed.set_error("empty input");
  v1::ReportResult failed_stored;
  ASSERT_TRUE(failed_stored.ParseFromString(failed.SerializeAsString()));
  EXPECT_FALSE(failed_stored.has_report());

  wire::CheckedReport checked;
  checked.mutable_report()->swap(*result.mutable_report());
  *checked.add_findings() = finding;
  v1::CheckedReport aggregator_sees;
  ASSERT_TRUE(aggregator_sees.ParseFromString(checked.SerializeAsString()));
  EXPECT_TRUE(MessageDifferencer::Equals(aggregator_sees.report(), *report));
  EXPECT_EQ(aggregator_sees.findings(0).severity(), v1::SEVERITY_ERROR);
}

// The reports the gateway streams to the aggregator lose their provenance on the bytes, unparsed: the result
// must be DropProvenance's report exactly, for real seeds (one with parse notes) and generated reports of
// every layout and both templates (subtotals, decimals, PDF pages, DOCX table positions).
TEST(WireTest, ProvenanceDroppedOnTheBytesIsDropProvenancesReport) {
  std::vector<v1::AnnualReport> reports;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<v1::AnnualReport> r = parser::ParseText(
        testing::ReadFileOrDie(absl::StrCat(testing::TestDataDir(), "/reports/seed_00", i, ".txt")));
    ASSERT_TRUE(r.ok()) << r.status();
    reports.push_back(*std::move(r));
  }
  corpus::CorpusOptions options;
  options.reports = 64;
  options.v2019_share = 0.3;
  corpus::Generator generator(options);
  for (int i = 0; i < options.reports; ++i) {
    corpus::GeneratedReport doc = generator.Next();
    absl::StatusOr<v1::AnnualReport> r = parser::ParseDocument(doc.content, doc.file_name);
    if (r.ok()) reports.push_back(*std::move(r));
  }
  ASSERT_GT(reports.size(), 60u);
  // A printed （六）其他处理 row with numbers of its own, as the 洪泽区 PDFs have (the generator prints none).
  v1::Cell* subtotal = reports[1].add_subtotals();
  subtotal->set_key("t3.other_subtotal.total");
  subtotal->set_state(v1::CELL_STATE_PRESENT);
  subtotal->set_int_value(3);
  subtotal->set_raw("3");
  subtotal->mutable_position()->set_line(61);
  int with_notes = 0, with_subtotals = 0;
  for (const v1::AnnualReport& report : reports) {
    with_notes += report.notes_size() > 0;
    with_subtotals += report.subtotals_size() > 0;
    std::string bytes = report.SerializeAsString();
    absl::StatusOr<std::string> dropped = DropProvenanceFromBytes(bytes);
    ASSERT_TRUE(dropped.ok()) << dropped.status();
    EXPECT_LT(dropped->size(), bytes.size());
    v1::AnnualReport got;
    ASSERT_TRUE(got.ParseFromString(*dropped));
    v1::AnnualReport want = report;
    google::protobuf::RepeatedPtrField<v1::Finding> no_findings;
    DropProvenance(&want, &no_findings);
    EXPECT_TRUE(MessageDifferencer::Equals(got, want)) << report.metadata().file_name() << " " << report.agency();
  }
  EXPECT_GT(with_notes, 0);
  EXPECT_GT(with_subtotals, 0);
}

TEST(WireTest, ProvenanceDroppedOnTheBytesRefusesBrokenBytesAndKeepsUnknownFields) {
  absl::StatusOr<v1::AnnualReport> report =
      parser::ParseText(testing::ReadFileOrDie(testing::TestDataDir() + "/reports/seed_001.txt"));
  ASSERT_TRUE(report.ok());
  std::string bytes = report->SerializeAsString();
  int refused = 0;
  for (size_t cut = 1; cut < bytes.size(); cut += 97) {
    absl::StatusOr<std::string> dropped = DropProvenanceFromBytes(bytes.substr(0, cut));
    if (!dropped.ok()) {
      EXPECT_EQ(dropped.status().code(), absl::StatusCode::kInvalidArgument);
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);  // a cut inside a table or a section
  std::string with_unknown = bytes + std::string("\xa0\x06\x2a", 3);  // field 100, varint 42
  absl::StatusOr<std::string> dropped = DropProvenanceFromBytes(with_unknown);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->substr(dropped->size() - 3), with_unknown.substr(with_unknown.size() - 3));
}

}  // namespace
}  // namespace gongkai::gateway
