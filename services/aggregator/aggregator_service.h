// The aggregator service: a thin gRPC adapter over the aggregation library.
#ifndef GONGKAI_SERVICES_AGGREGATOR_AGGREGATOR_SERVICE_H_
#define GONGKAI_SERVICES_AGGREGATOR_AGGREGATOR_SERVICE_H_

#include "gongkai/v1/aggregator_service.grpc.pb.h"

namespace gongkai::aggregator {

// Implements gongkai.v1.AggregatorService. Thread-safe (each call folds into its own aggregate).
class AggregatorServiceImpl final : public gongkai::v1::AggregatorService::CallbackService {
 public:
  grpc::ServerReadReactor<gongkai::v1::CheckedReport>* AddReports(grpc::CallbackServerContext* context,
                                                                  gongkai::v1::AddReportsResponse* response) override;
  grpc::ServerUnaryReactor* Merge(grpc::CallbackServerContext* context, const gongkai::v1::MergeRequest* request,
                                  gongkai::v1::Aggregate* response) override;
};

}  // namespace gongkai::aggregator

#endif  // GONGKAI_SERVICES_AGGREGATOR_AGGREGATOR_SERVICE_H_
