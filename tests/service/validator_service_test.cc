// The validator service over a real gRPC server on loopback.
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

#include "common/server.h"
#include "gmock/gmock.h"
#include "gongkai/v1/validator_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/validator/validator_service.h"
#include "tools/corpus/report_factory.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

class ValidatorServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto service = validator::ValidatorServiceImpl::Create();
    ASSERT_TRUE(service.ok());
    service_ = std::move(*service);
    ServerOptions options;
    options.drain = absl::ZeroDuration();
    auto server = Server::Start(options, {{service_.get(), v1::ValidatorService::service_full_name()}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->SetServing(true);
    stub_ = v1::ValidatorService::NewStub(grpc::CreateChannel(server_->local_address(), grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<validator::ValidatorServiceImpl> service_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::ValidatorService::Stub> stub_;
};

TEST_F(ValidatorServiceTest, ValidateReturnsFindingsInAnOkAnswer) {
  v1::ValidateRequest request;
  *request.mutable_report() = corpus::ConsistentReport(4);
  corpus::SetCellText(request.mutable_report(), "t4.review.total", "0");
  corpus::SetCellText(request.mutable_report(), "t4.review.upheld", "10");
  v1::ValidateResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->Validate(&context, request, &response).ok());
  ASSERT_GE(response.findings_size(), 1);
  bool group_sum = false;
  for (const auto& f : response.findings()) {
    if (f.rule_id() == "t4.group_sum") {
      group_sum = true;
      EXPECT_EQ(f.severity(), v1::SEVERITY_ERROR);
      EXPECT_EQ(f.cells(0), "t4.review.total");
      EXPECT_EQ(f.values(0), "0");
    }
  }
  EXPECT_TRUE(group_sum);
}

TEST_F(ValidatorServiceTest, AnUnknownRuleInTheConfigurationIsInvalidArgument) {
  v1::ValidateRequest request;
  *request.mutable_report() = corpus::ConsistentReport(4);
  request.mutable_rules()->add_overrides()->set_rule_id("no.such.rule");
  v1::ValidateResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub_->Validate(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("no.such.rule"));
}

TEST_F(ValidatorServiceTest, BatchKeepsOrderAndComparesReports) {
  v1::ValidateBatchRequest request;
  for (uint32_t seed : {1u, 2u, 3u}) *request.add_reports()->mutable_report() = corpus::ConsistentReport(seed);
  corpus::SetCellText(request.mutable_reports(1)->mutable_report(), "t3.granted.total", "999");
  v1::ValidateBatchResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->ValidateBatch(&context, request, &response).ok());
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_EQ(response.results(0).findings_size(), 0);
  EXPECT_GT(response.results(1).findings_size(), 0);
  EXPECT_EQ(response.results(2).findings_size(), 0);
}

TEST_F(ValidatorServiceTest, BatchAnswersNarrativeSignaturesThatPairNarrativesPairs) {
  // Three organs' reports of one narrative and one of another: asked for, the batch answers each
  // narrative's signature; streamed back in two chunks, the copies come back as candidate pairs.
  v1::ValidateBatchRequest request;
  request.set_narrative_signatures(true);
  for (uint32_t seed : {1u, 2u, 3u, 4u}) *request.add_reports()->mutable_report() = corpus::ConsistentReport(seed);
  for (int i = 0; i < 4; ++i) {
    v1::AnnualReport* r = request.mutable_reports(i)->mutable_report();
    r->set_agency(absl::StrCat("第", i, "局"));
    r->clear_sections();
    std::string text;
    for (int k = 0; k < 60; ++k) text += i == 3 ? absl::StrCat("第", k, "项另一份正文不同于前者。") : "本机关认真贯彻政府信息公开条例，";
    r->add_sections()->set_text(text + (i == 3 ? "" : absl::StrCat("甲乙丙", i)));
  }
  v1::ValidateBatchResponse response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ValidateBatch(&context, request, &response).ok());
  }
  ASSERT_EQ(response.results_size(), 4);
  v1::NarrativePairs pairs;
  grpc::ClientContext context;
  auto writer = stub_->PairNarratives(&context, &pairs);
  for (int chunk = 0; chunk < 2; ++chunk) {
    v1::NarrativeSignatures signatures;
    for (int i = chunk * 2; i < chunk * 2 + 2; ++i) {
      EXPECT_EQ(response.results(i).narrative_signature().size(),
                512u + request.reports(i).report().agency().size());
      auto* e = signatures.add_entries();
      e->set_id(100 + i);
      e->set_signature(response.results(i).narrative_signature());
    }
    ASSERT_TRUE(writer->Write(signatures));
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::pair<int64_t, int64_t>> got;
  for (const auto& p : pairs.pairs()) got.emplace_back(p.a(), p.b());
  EXPECT_EQ(got, (std::vector<std::pair<int64_t, int64_t>>{{100, 101}, {100, 102}, {101, 102}}));
  EXPECT_EQ(pairs.left_out(), 0);
}

TEST_F(ValidatorServiceTest, PairNarrativesRefusesABadSignatureNamingIt) {
  for (bool twice : {false, true}) {
    v1::NarrativePairs pairs;
    grpc::ClientContext context;
    auto writer = stub_->PairNarratives(&context, &pairs);
    v1::NarrativeSignatures signatures;
    auto* e = signatures.add_entries();
    e->set_id(7);
    e->set_signature(twice ? std::string(512, 'a') : std::string(100, 'a'));
    if (twice) *signatures.add_entries() = *e;
    writer->Write(signatures);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr(twice ? "id 7 given twice" : "id 7 has 100 bytes"));
  }
}

TEST_F(ValidatorServiceTest, ListRulesNamesEveryRule) {
  v1::ListRulesResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->ListRules(&context, {}, &response).ok());
  EXPECT_EQ(response.rules_size(), static_cast<int>(validator::DefaultRegistry().rules().size()));
  EXPECT_EQ(response.rules(0).id(), "structure.sections");
}

}  // namespace
}  // namespace gongkai
