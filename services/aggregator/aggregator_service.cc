#include "services/aggregator/aggregator_service.h"

#include <memory>

#include "google/protobuf/arena.h"
#include "common/grpc_status.h"
#include "services/aggregator/aggregate.h"

namespace gongkai::aggregator {
namespace {

// Reads checked reports one by one and folds each in as it arrives (or, for a report carrying
// added_findings, folds those in); answers with the aggregate.
//
// Each report is read into a message on a protobuf arena: a report is ~800 small objects, and a message
// cleared off the heap frees its cells' positions one by one only to allocate them again for the next
// report. The arena is dropped and started again every kReportsPerArena reports, so memory stays flat.
class AddReportsReactor final : public grpc::ServerReadReactor<v1::CheckedReport> {
 public:
  explicit AddReportsReactor(v1::AddReportsResponse* response) : response_(response) {
    Renew();
    StartRead(report_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(amended_.ok() ? grpc::Status::OK : ToGrpcStatus(amended_));
      return;
    }
    if (report_->added_findings_size() == 0) {
      AddReport(*report_, response_->mutable_aggregate());
    } else if (amended_.ok()) {
      amended_ = AmendReport(*report_, response_->mutable_aggregate());
    }
    // Reading the next report clears this one (a parse starts from an empty message); its cells stay
    // allocated for reuse, and what Clear abandons stays on the arena until it is renewed.
    if (++read_on_arena_ == kReportsPerArena) Renew();
    StartRead(report_);
  }

  void OnDone() override { delete this; }

 private:
  static constexpr int kReportsPerArena = 256;  // ~3 MB of abandoned positions at most

  void Renew() {
    google::protobuf::ArenaOptions options;
    options.start_block_size = 64 << 10;
    options.max_block_size = 1 << 20;
    arena_ = std::make_unique<google::protobuf::Arena>(options);  // the previous report goes with its arena
    report_ = google::protobuf::Arena::CreateMessage<v1::CheckedReport>(arena_.get());
    read_on_arena_ = 0;
  }

  v1::AddReportsResponse* response_;
  std::unique_ptr<google::protobuf::Arena> arena_;
  v1::CheckedReport* report_ = nullptr;  // on arena_
  int read_on_arena_ = 0;
  absl::Status amended_;  // the first amendment that could not be folded in exactly
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
