// The parser service over a real gRPC server on loopback.
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/server.h"
#include "gmock/gmock.h"
#include "gongkai/v1/parser_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/parser/parser_service.h"
#include "tests/testing/test_data.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

class ParserServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.name = "parser-test";
    options.address = "127.0.0.1:0";
    options.drain = absl::ZeroDuration();
    options.max_receive_message_bytes = 1 << 20;
    auto server = Server::Start(options, {{&service_, v1::ParserService::service_full_name()}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(server_->local_address(), grpc::InsecureChannelCredentials());
    stub_ = v1::ParserService::NewStub(channel_);
  }

  std::string Seed(const char* n) {
    return testing::ReadFileOrDie(absl::StrCat(testing::TestDataDir(), "/reports/seed_", n, ".txt"));
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health(const std::string& service) {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::ClientContext context;
    grpc::Status status = health->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  }

  parser::ParserServiceImpl service_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ParserService::Stub> stub_;
};

TEST_F(ParserServiceTest, HealthIsNotServingUntilReadyThenServing) {
  using Status = grpc::health::v1::HealthCheckResponse;
  EXPECT_EQ(Health(""), Status::NOT_SERVING);
  EXPECT_EQ(Health("gongkai.v1.ParserService"), Status::NOT_SERVING);
  server_->SetServing(true);
  EXPECT_EQ(Health(""), Status::SERVING);
  EXPECT_EQ(Health("gongkai.v1.ParserService"), Status::SERVING);
}

TEST_F(ParserServiceTest, ParseAnswersTheSameReportAsTheLibrary) {
  std::string text = Seed("002");
  v1::ParseRequest request;
  request.set_content(text);
  request.set_file_name("seed_002.txt");
  request.mutable_metadata()->set_document_id("doc-2");
  v1::ParseResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->Parse(&context, request, &response).ok());
  auto local = parser::ParseText(text);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(testing::CellsOf(response.report()), testing::CellsOf(*local));
  EXPECT_EQ(response.report().metadata().document_id(), "doc-2");
  EXPECT_EQ(response.report().metadata().file_name(), "seed_002.txt");
  EXPECT_EQ(response.report().agency(), "辛店镇");
}

TEST_F(ParserServiceTest, NotAReportIsInvalidArgumentWithTheReason) {
  v1::ParseRequest request;
  request.set_content(std::string("\x00\x01\x02binary", 9));
  v1::ParseResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub_->Parse(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("NUL"));
}

TEST_F(ParserServiceTest, OversizedRequestIsResourceExhaustedAndTheServerGoesOn) {
  v1::ParseRequest request;
  request.set_content(std::string(2 << 20, 'a'));
  v1::ParseResponse response;
  grpc::ClientContext context;
  EXPECT_EQ(stub_->Parse(&context, request, &response).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  request.set_content(Seed("001"));
  grpc::ClientContext again;
  EXPECT_TRUE(stub_->Parse(&again, request, &response).ok());
}

TEST_F(ParserServiceTest, BatchGoesOnPastABadDocumentAndKeepsOrder) {
  v1::ParseBatchRequest request;
  const char* seeds[] = {"000", "001", "bad", "003"};
  for (const char* n : seeds) {
    v1::ParseRequest* doc = request.add_documents();
    doc->mutable_metadata()->set_document_id(n);
    doc->set_content(std::string(n) == "bad" ? std::string("\xff\xfe\xfd") : Seed(n));
  }
  v1::ParseBatchResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->ParseBatch(&context, request, &response).ok());
  ASSERT_EQ(response.results_size(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(response.results(i).document_id(), seeds[i]);
  EXPECT_TRUE(response.results(0).has_report());
  EXPECT_TRUE(response.results(1).has_report());
  ASSERT_TRUE(response.results(2).has_error());
  EXPECT_EQ(response.results(2).error().code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(response.results(2).error().message(), HasSubstr("UTF-8"));
  EXPECT_EQ(response.results(3).report().agency(), "青同镇人民政府");
}

TEST_F(ParserServiceTest, StreamAnswersEachDocumentInOrder) {
  grpc::ClientContext context;
  auto stream = stub_->ParseStream(&context);
  const char* seeds[] = {"004", "000", "002"};
  for (const char* n : seeds) {
    v1::ParseRequest request;
    request.set_content(Seed(n));
    request.mutable_metadata()->set_document_id(n);
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  v1::ParseResult result;
  int i = 0;
  while (stream->Read(&result)) {
    ASSERT_LT(i, 3);
    EXPECT_EQ(result.document_id(), seeds[i]);
    EXPECT_TRUE(result.has_report());
    ++i;
  }
  EXPECT_EQ(i, 3);
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(ParserServiceTest, ShutdownAnnouncesNotServingAndRefusesNewCalls) {
  server_->SetServing(true);
  server_->Shutdown();
  v1::ParseRequest request;
  request.set_content(Seed("001"));
  v1::ParseResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::Status status = stub_->Parse(&context, request, &response);
  EXPECT_FALSE(status.ok());
}

}  // namespace
}  // namespace gongkai
