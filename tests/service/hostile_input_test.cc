// Hostile input at the parser service's edge: each gets a clear status (or a refusal in the answer) within
// its limits, and the service keeps serving an ordinary report afterwards, to this client and to others.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server.h"
#include "gmock/gmock.h"
#include "gongkai/v1/parser_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/parser/parser_service.h"
#include "tools/corpus/docx_builder.h"
#include "tests/testing/test_data.h"

namespace gongkai {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.name = "parser-hostile";
    options.address = "127.0.0.1:0";
    options.drain = absl::ZeroDuration();
    options.max_receive_message_bytes = 16 << 20;
    options.max_concurrent_streams = 64;
    auto server = Server::Start(options, {{&service_, v1::ParserService::service_full_name()}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = NewStub();
  }

  std::unique_ptr<v1::ParserService::Stub> NewStub() {
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(64 << 20);
    args.SetInt("grpc.use_local_subchannel_pool", 1);  // a connection of its own
    return v1::ParserService::NewStub(
        grpc::CreateCustomChannel(server_->local_address(), grpc::InsecureChannelCredentials(), args));
  }

  // Parses `content` with a deadline; returns the status and fills `response`.
  grpc::Status Parse(v1::ParserService::Stub* stub, const std::string& content, const std::string& file_name,
                     v1::ParseResponse* response) {
    v1::ParseRequest request;
    request.set_content(content);
    request.set_file_name(file_name);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    return stub->Parse(&context, request, response);
  }

  // An ordinary report still parses, on a connection of its own.
  void ExpectStillServing() {
    std::string seed = testing::ReadFileOrDie(absl::StrCat(testing::TestDataDir(), "/reports/seed_001.txt"));
    auto other = NewStub();
    v1::ParseResponse response;
    grpc::Status status = Parse(other.get(), seed, "seed_001.txt", &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(response.report().table3().present());
  }

  parser::ParserServiceImpl service_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::ParserService::Stub> stub_;
};

TEST_F(HostileInputTest, OversizedMessageIsResourceExhausted) {
  v1::ParseResponse response;
  grpc::Status status = Parse(stub_.get(), std::string(20 << 20, 'a'), "big.txt", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  ExpectStillServing();
}

TEST_F(HostileInputTest, InvalidUtf8IsInvalidArgumentSayingWhere) {
  std::string text = "2024年度政府信息公开工作年度报告\n一、总体情况\n\xC3\x28\xFF 申请\n";
  v1::ParseResponse response;
  grpc::Status status = Parse(stub_.get(), text, "bad.txt", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("UTF-8"));
  EXPECT_THAT(status.error_message(), HasSubstr("line 3"));
  ExpectStillServing();
}

TEST_F(HostileInputTest, DeeplyNestedHtmlIsRefusedWithTheReason) {
  std::string html = "<html><head><meta charset=\"utf-8\"></head><body>";
  for (int i = 0; i < 200000; ++i) html += "<div>";
  html += "二、主动公开政府信息情况";
  for (int i = 0; i < 200000; ++i) html += "</div>";
  html += "</body></html>";
  v1::ParseResponse response;
  grpc::Status status = Parse(stub_.get(), html, "nested.html", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("nests its elements more than"));
  ExpectStillServing();
}

TEST_F(HostileInputTest, MillionsOfTinyCellsAreAnsweredWithinTheDeadline) {
  std::string text = "2024年度政府信息公开工作年度报告\n";
  text.reserve(12 << 20);
  for (int line = 0; line < 20000; ++line) {
    for (int cell = 0; cell < 100; ++cell) text += "1\t";
    text += "\n";
  }  // 2,000,000 cells
  v1::ParseResponse response;
  grpc::Status status = Parse(stub_.get(), text, "cells.txt", &response);
  if (status.ok()) {
    EXPECT_FALSE(response.report().table3().present());
  } else {
    EXPECT_THAT(status.error_code(), AnyOf(grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::RESOURCE_EXHAUSTED));
  }
  ExpectStillServing();
}

TEST_F(HostileInputTest, ZipBombIsRefusedWithTheReason) {
  std::string bomb = corpus::MakeZip({{"[Content_Types].xml", "<Types/>"},
                                       {"word/document.xml", std::string(300 << 20, ' ')}});
  ASSERT_LT(bomb.size(), 2u << 20);
  v1::ParseResponse response;
  grpc::Status status = Parse(stub_.get(), bomb, "bomb.docx", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("zip bomb"));
  ExpectStillServing();
}

TEST_F(HostileInputTest, StreamsThatNeverReadDoNotStopOtherClients) {
  // 1,000 streams on one connection, each sending a report and never reading its answer.
  auto hog = NewStub();
  grpc::CompletionQueue cq;
  std::string seed = testing::ReadFileOrDie(absl::StrCat(testing::TestDataDir(), "/reports/seed_002.txt"));
  struct Call {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientAsyncReaderWriter<v1::ParseRequest, v1::ParseResult>> stream;
  };
  std::vector<std::unique_ptr<Call>> calls;
  v1::ParseRequest request;
  request.set_content(seed);
  for (int i = 0; i < 1000; ++i) {
    auto call = std::make_unique<Call>();
    call->stream = hog->AsyncParseStream(&call->context, &cq, call.get());
    calls.push_back(std::move(call));
  }
  // Let the streams open (as many as the server admits) and send their reports.
  void* const kWritten = &cq;  // the tag of a finished write
  int started = 0;
  void* tag;
  bool ok;
  while (started < 1000 &&
         cq.AsyncNext(&tag, &ok, absl::ToChronoTime(absl::Now() + absl::Seconds(2))) == grpc::CompletionQueue::GOT_EVENT) {
    if (tag == kWritten) continue;
    ++started;
    if (ok) static_cast<Call*>(tag)->stream->Write(request, kWritten);
  }
  EXPECT_GT(started, 0);
  // Another client is served meanwhile.
  ExpectStillServing();
  for (auto& call : calls) call->context.TryCancel();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

}  // namespace
}  // namespace gongkai
