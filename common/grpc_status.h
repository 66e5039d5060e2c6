// The one place where library statuses become gRPC statuses (service edges only).
#ifndef GONGKAI_COMMON_GRPC_STATUS_H_
#define GONGKAI_COMMON_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace gongkai {

// Maps an absl::Status to the grpc::Status with the same code and message (the codes are numerically equal).
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

// Maps a grpc::Status back to absl::Status, for clients that call a service through a library interface.
inline absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace gongkai

#endif  // GONGKAI_COMMON_GRPC_STATUS_H_
