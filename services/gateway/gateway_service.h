// The gateway service: durable batch jobs over the store and the engine. A thin adapter: statuses from the
// store become gRPC statuses here and nowhere else.
#ifndef GONGKAI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define GONGKAI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gongkai/v1/aggregator_service.grpc.pb.h"
#include "gongkai/v1/gateway_service.grpc.pb.h"
#include "services/gateway/callers.h"
#include "services/gateway/engine.h"
#include "services/gateway/running_aggregates.h"
#include "services/gateway/store.h"

namespace gongkai::gateway {

struct GatewayServiceOptions {
  std::string aggregator_target;
  std::shared_ptr<grpc::ChannelCredentials> credentials;  // to the aggregator; null: plaintext
  absl::Duration watch_interval = absl::Milliseconds(500);  // Watch's progress this often, and at each job state change
  absl::Duration summary_deadline = absl::Minutes(10);
  int max_page_size = 1000;
  // Who is calling (callers.h). The default trusts the x-gongkai-caller header: for local use only.
  Authenticator authenticate = HeaderCaller;
};

class GatewayServiceImpl final : public gongkai::v1::GatewayService::Service {
 public:
  // `store` and `engine` are not owned and must outlive the service. A null `engine` serves the store's jobs
  // without running them (their progress then says nothing of what they wait for).
  GatewayServiceImpl(JobStore* store, Engine* engine, GatewayServiceOptions options);
  ~GatewayServiceImpl() override;

  grpc::Status Submit(grpc::ServerContext* context, grpc::ServerReader<gongkai::v1::SubmitRequest>* reader,
                      gongkai::v1::SubmitResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context, const gongkai::v1::JobRequest* request,
                     grpc::ServerWriter<gongkai::v1::JobProgress>* writer) override;
  grpc::Status Results(grpc::ServerContext* context, const gongkai::v1::ResultsRequest* request,
                       gongkai::v1::ResultsResponse* response) override;
  grpc::Status Summary(grpc::ServerContext* context, const gongkai::v1::JobRequest* request,
                       gongkai::v1::Aggregate* response) override;
  grpc::Status Cancel(grpc::ServerContext* context, const gongkai::v1::JobRequest* request,
                      gongkai::v1::JobProgress* response) override;
  grpc::Status List(grpc::ServerContext* context, const gongkai::v1::ListJobsRequest* request,
                    gongkai::v1::ListJobsResponse* response) override;

 private:
  JobStore* store_;
  Engine* engine_;
  GatewayServiceOptions options_;
  std::shared_ptr<gongkai::v1::AggregatorService::Stub> aggregator_;
  // Results fed to the aggregator as they complete; a finished job's summary comes from here when it saw
  // every result, else from a pass over the store.
  std::shared_ptr<RunningAggregates> running_;
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
