#include "services/aggregator/aggregator_service.h"

#include "services/aggregator/aggregate.h"

namespace gongkai::aggregator {
namespace {

// Reads checked reports one by one and folds each in as it arrives; answers with the aggregate.
class AddReportsReactor final : public grpc::ServerReadReactor<v1::CheckedReport> {
 public:
  explicit AddReportsReactor(v1::AddReportsResponse* response) : response_(response) { StartRead(&report_); }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    AddReport(report_, response_->mutable_aggregate());
    report_.Clear();
    StartRead(&report_);
  }

  void OnDone() override { delete this; }

 private:
  v1::AddReportsResponse* response_;
  v1::CheckedReport report_;
};

}  // namespace

grpc::ServerReadReactor<v1::CheckedReport>* AggregatorServiceImpl::AddReports(grpc::CallbackServerContext* context,
                                                                             v1::AddReportsResponse* response) {
  return new AddReportsReactor(response);
}

grpc::ServerUnaryReactor* AggregatorServiceImpl::Merge(grpc::CallbackServerContext* context,
                                                       const v1::MergeRequest* request, v1::Aggregate* response) {
  for (const v1::Aggregate& a : request->aggregates()) aggregator::Merge(a, response);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace gongkai::aggregator
