#include "services/gateway/wire_calls.h"

#include <utility>

#include "grpcpp/impl/codegen/client_unary_call.h"

namespace gongkai::gateway {
namespace {

// The methods' paths, as the generated stubs of gongkai.v1 name them (wire_test checks them against the
// services' descriptors).
constexpr char kParseBatch[] = "/gongkai.v1.ParserService/ParseBatch";
constexpr char kValidateBatch[] = "/gongkai.v1.ValidatorService/ValidateBatch";
constexpr char kAddReports[] = "/gongkai.v1.AggregatorService/AddReports";

}  // namespace

ParseBatchCall::ParseBatchCall(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)), method_(kParseBatch, grpc::internal::RpcMethod::NORMAL_RPC, channel_) {}

grpc::Status ParseBatchCall::operator()(grpc::ClientContext* context, const v1::ParseBatchRequest& request,
                                        wire::ParseBatchResponse* response) const {
  return grpc::internal::BlockingUnaryCall<v1::ParseBatchRequest, wire::ParseBatchResponse,
                                           grpc::protobuf::MessageLite, grpc::protobuf::MessageLite>(
      channel_.get(), method_, context, request, response);
}

ValidateBatchCall::ValidateBatchCall(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)), method_(kValidateBatch, grpc::internal::RpcMethod::NORMAL_RPC, channel_) {}

grpc::Status ValidateBatchCall::operator()(grpc::ClientContext* context, const wire::ValidateBatchRequest& request,
                                           v1::ValidateBatchResponse* response) const {
  return grpc::internal::BlockingUnaryCall<wire::ValidateBatchRequest, v1::ValidateBatchResponse,
                                           grpc::protobuf::MessageLite, grpc::protobuf::MessageLite>(
      channel_.get(), method_, context, request, response);
}

AddReportsCall::AddReportsCall(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)), method_(kAddReports, grpc::internal::RpcMethod::CLIENT_STREAMING, channel_) {}

std::unique_ptr<grpc::ClientWriter<wire::CheckedReport>> AddReportsCall::operator()(
    grpc::ClientContext* context, v1::AddReportsResponse* response) const {
  return std::unique_ptr<grpc::ClientWriter<wire::CheckedReport>>(
      grpc::internal::ClientWriterFactory<wire::CheckedReport>::Create(channel_.get(), method_, context, response));
}

const char* ParseBatchMethodPath() { return kParseBatch; }
const char* ValidateBatchMethodPath() { return kValidateBatch; }
const char* AddReportsMethodPath() { return kAddReports; }

}  // namespace gongkai::gateway
