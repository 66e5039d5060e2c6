// The aggregator service over a real gRPC server on loopback.
#include <memory>

#include "common/server.h"
#include "gongkai/v1/aggregator_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/aggregator/aggregate.h"
#include "services/aggregator/aggregator_service.h"
#include "tools/corpus/report_factory.h"

namespace gongkai {
namespace {

// An aggregator service on a loopback port and a stub to it.
class AggregatorService : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.drain = absl::ZeroDuration();
    auto server = Server::Start(options, {{&service_, v1::AggregatorService::service_full_name()}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::AggregatorService::NewStub(grpc::CreateChannel(server_->local_address(), grpc::InsecureChannelCredentials()));
  }

  aggregator::AggregatorServiceImpl service_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::AggregatorService::Stub> stub_;
};

TEST_F(AggregatorService, FoldsAStreamAndMergesShardsIntoTheSameAnswerAsOnePass) {
  auto& stub = stub_;
  std::vector<v1::CheckedReport> reports;
  for (uint32_t i = 0; i < 10; ++i) {
    v1::CheckedReport c;
    *c.mutable_report() = corpus::ConsistentReport(i);
    c.mutable_report()->mutable_metadata()->set_region_code(i % 2 ? "230184100" : "230781100");
    reports.push_back(c);
  }
  v1::Aggregate local;
  for (const auto& r : reports) aggregator::AddReport(r, &local);
  // Two shards through two streams, merged by the service.
  v1::MergeRequest merge;
  for (int shard = 0; shard < 2; ++shard) {
    grpc::ClientContext context;
    v1::AddReportsResponse response;
    auto writer = stub->AddReports(&context, &response);
    for (size_t i = shard; i < reports.size(); i += 2) ASSERT_TRUE(writer->Write(reports[i]));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    *merge.add_aggregates() = response.aggregate();
  }
  v1::Aggregate merged;
  grpc::ClientContext context;
  ASSERT_TRUE(stub->Merge(&context, merge, &merged).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(merged, local));
  EXPECT_EQ(merged.nodes().at("230184100").reports(), 5);
}

// A long stream: the service reads reports into a message on an arena it renews every few hundred reports;
// every report must still count once, with its own values.
TEST_F(AggregatorService, ALongStreamAddsUpLikeOnePassInProcess) {
  auto& stub = stub_;
  v1::Aggregate local;
  grpc::ClientContext context;
  v1::AddReportsResponse response;
  auto writer = stub->AddReports(&context, &response);
  for (uint32_t i = 0; i < 700; ++i) {
    v1::CheckedReport c;
    *c.mutable_report() = corpus::ConsistentReport(i);
    c.mutable_report()->mutable_metadata()->set_region_code(i % 3 ? "230184100" : "230781100");
    if (i % 5 == 0) {
      v1::Finding* f = c.add_findings();
      f->set_rule_id("t3.balance");
      f->set_severity(i % 10 == 0 ? v1::SEVERITY_ERROR : v1::SEVERITY_WARNING);
      f->set_outcome(v1::OUTCOME_FAILED);
    }
    aggregator::AddReport(c, &local);
    ASSERT_TRUE(writer->Write(c));
  }
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response.aggregate(), local));
  EXPECT_EQ(response.aggregate().nodes().at("230184100").reports(), 466);
}

}  // namespace
}  // namespace gongkai
