// The gateway's calls to the parser, validator and aggregator in their wire views (wire.proto): the same
// methods on the same channels as the generated stubs, with the reports left serialised.
#ifndef GONGKAI_SERVICES_GATEWAY_WIRE_CALLS_H_
#define GONGKAI_SERVICES_GATEWAY_WIRE_CALLS_H_

#include <memory>
#include <string>

#include "gongkai/v1/aggregator_service.pb.h"
#include "gongkai/v1/parser_service.pb.h"
#include "gongkai/v1/validator_service.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/impl/codegen/rpc_method.h"
#include "grpcpp/support/sync_stream.h"
#include "services/gateway/wire.pb.h"

namespace gongkai::gateway {

// gongkai.v1.ParserService/ParseBatch, answered with the reports serialised. Thread-safe.
class ParseBatchCall {
 public:
  explicit ParseBatchCall(std::shared_ptr<grpc::Channel> channel);
  grpc::Status operator()(grpc::ClientContext* context, const gongkai::v1::ParseBatchRequest& request,
                          wire::ParseBatchResponse* response) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  grpc::internal::RpcMethod method_;
};

// gongkai.v1.ValidatorService/ValidateBatch, asked with the reports serialised. Thread-safe.
class ValidateBatchCall {
 public:
  explicit ValidateBatchCall(std::shared_ptr<grpc::Channel> channel);
  grpc::Status operator()(grpc::ClientContext* context, const wire::ValidateBatchRequest& request,
                          gongkai::v1::ValidateBatchResponse* response) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  grpc::internal::RpcMethod method_;
};

// gongkai.v1.AggregatorService/AddReports, written with the reports serialised. Thread-safe.
class AddReportsCall {
 public:
  explicit AddReportsCall(std::shared_ptr<grpc::Channel> channel);
  // Opens the stream; `context` and `response` must outlive the writer.
  std::unique_ptr<grpc::ClientWriter<wire::CheckedReport>> operator()(grpc::ClientContext* context,
                                                                      gongkai::v1::AddReportsResponse* response) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  grpc::internal::RpcMethod method_;
};

// The paths the calls above use ("/gongkai.v1.ParserService/ParseBatch", …), for tests.
const char* ParseBatchMethodPath();
const char* ValidateBatchMethodPath();
const char* AddReportsMethodPath();

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_WIRE_CALLS_H_
