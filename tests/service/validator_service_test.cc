// The validator service over a real gRPC server on loopback.
#include <memory>

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

TEST_F(ValidatorServiceTest, ListRulesNamesEveryRule) {
  v1::ListRulesResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->ListRules(&context, {}, &response).ok());
  EXPECT_EQ(response.rules_size(), static_cast<int>(validator::DefaultRegistry().rules().size()));
  EXPECT_EQ(response.rules(0).id(), "structure.sections");
}

}  // namespace
}  // namespace gongkai
