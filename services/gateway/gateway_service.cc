#include "services/gateway/gateway_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/logging.h"
#include "grpcpp/create_channel.h"

namespace gongkai::gateway {

GatewayServiceImpl::GatewayServiceImpl(JobStore* store, Engine* engine, GatewayServiceOptions options)
    : store_(store), engine_(engine), options_(std::move(options)) {
  std::shared_ptr<grpc::Channel> aggregator_channel =
      MakeBalancedChannel(options_.aggregator_target, "gongkai.v1.AggregatorService", options_.credentials);
  aggregator_ = v1::AggregatorService::NewStub(aggregator_channel);
  running_ = std::make_shared<RunningAggregates>(aggregator_channel);
  if (engine_ != nullptr) {
    // The callback holds the running aggregates itself: a batch finishing during shutdown finds them alive.
    engine_->SetOnCompleted([running = running_](const std::string& job,
                                                 const std::vector<wire::ReportResult*>& results) {
      running->Add(job, results);
    });
    // Findings added to stored results after they went to the aggregator go after them.
    engine_->SetOnAmending([running = running_](const std::string& job, std::vector<Engine::Amendment>* amendments) {
      if (amendments == nullptr) {
        running->Invalidate(job);
      } else {
        running->Amend(job, amendments);
      }
    });
  }
}

GatewayServiceImpl::~GatewayServiceImpl() {
  if (engine_ != nullptr) {
    engine_->SetOnCompleted(nullptr);
    engine_->SetOnAmending(nullptr);
  }
}

grpc::Status GatewayServiceImpl::Submit(grpc::ServerContext* context, grpc::ServerReader<v1::SubmitRequest>* reader,
                                        v1::SubmitResponse* response) {
  absl::StatusOr<std::string> caller = options_.authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  v1::SubmitRequest request;
  std::string job_id;
  std::vector<v1::Document> pending;
  size_t pending_bytes = 0;
  auto flush = [&]() -> grpc::Status {
    if (pending.empty()) return grpc::Status::OK;
    std::vector<bool> added;
    absl::Status status = store_->AddDocuments(*caller, job_id, pending, &added);
    if (!status.ok()) return ToGrpcStatus(status);
    for (bool a : added) {
      if (a) {
        response->set_accepted(response->accepted() + 1);
      } else {
        response->set_duplicates(response->duplicates() + 1);
      }
    }
    pending.clear();
    pending_bytes = 0;
    return grpc::Status::OK;
  };
  while (reader->Read(&request)) {
    if (job_id.empty()) {
      if (request.job_id().empty()) {
        absl::StatusOr<std::string> created = store_->CreateJob(*caller);
        if (!created.ok()) return ToGrpcStatus(created.status());
        job_id = *created;
      } else {
        job_id = request.job_id();
      }
    } else if (!request.job_id().empty() && request.job_id() != job_id) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "one Submit stream feeds one job");
    }
    if (request.has_document()) {
      if (request.document().content().empty()) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            absl::StrCat("document ", response->accepted() + response->duplicates() + pending.size() + 1,
                                         " (", request.document().metadata().file_name(), ") has no content"));
      }
      pending_bytes += request.document().content().size();
      pending.push_back(std::move(*request.mutable_document()));
    }
    // Documents are stored in groups: one transaction per 256 documents or 16 MB, never the whole batch.
    if (pending.size() >= 256 || pending_bytes >= (16u << 20) || request.seal()) {
      grpc::Status flushed = flush();
      if (!flushed.ok()) return flushed;
    }
    if (request.seal()) {
      absl::Status sealed = store_->Seal(*caller, job_id);
      if (!sealed.ok()) return ToGrpcStatus(sealed);
    }
  }
  grpc::Status flushed = flush();
  if (!flushed.ok()) return flushed;
  if (job_id.empty()) {
    // An empty stream creates an empty job, to be fed later.
    absl::StatusOr<std::string> created = store_->CreateJob(*caller);
    if (!created.ok()) return ToGrpcStatus(created.status());
    job_id = *created;
  }
  response->set_job_id(job_id);
  return grpc::Status::OK;
}

grpc::Status GatewayServiceImpl::Watch(grpc::ServerContext* context, const v1::JobRequest* request,
                                       grpc::ServerWriter<v1::JobProgress>* writer) {
  absl::StatusOr<std::string> caller = options_.authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  while (!context->IsCancelled()) {
    int64_t seen = store_->signals().jobs.Count();  // read before looking, so that no change is missed
    absl::StatusOr<v1::JobProgress> progress = store_->Progress(*caller, request->job_id());
    if (!progress.ok()) return ToGrpcStatus(progress.status());
    if (engine_ != nullptr && (progress->state() == "running" || progress->state() == "checking")) {
      progress->set_waiting_for(engine_->WaitingFor());
    }
    if (!writer->Write(*progress)) break;
    if (progress->state() == "done" || progress->state() == "cancelled") break;
    // The next progress after the interval, or at once when a job changes state (the end is never late).
    store_->signals().jobs.Await(seen, options_.watch_interval);
  }
  return grpc::Status::OK;
}

grpc::Status GatewayServiceImpl::Results(grpc::ServerContext* context, const v1::ResultsRequest* request,
                                         v1::ResultsResponse* response) {
  absl::StatusOr<std::string> caller = options_.authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  ResultFilter filter;
  filter.min_severity = request->min_severity();
  filter.rule_id = request->rule_id();
  filter.region_prefix = request->region_prefix();
  filter.limit = request->page_size() > 0 ? std::min(request->page_size(), options_.max_page_size) : 100;
  if (!request->page_token().empty() && !absl::SimpleAtoi(request->page_token(), &filter.after_seq)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token is not one this service gave");
  }
  // A page ends at its count or at about 3 MB, whichever comes first, so that any client's default 4 MB
  // receive limit holds it.
  constexpr size_t kMaxPageBytes = 3 << 20;
  int64_t last = 0;
  size_t bytes = 0;
  bool cut = false;
  absl::Status status = store_->Results(*caller, request->job_id(), filter, [&](int64_t seq, v1::ReportResult r) {
    if (cut) return;
    size_t size = r.ByteSizeLong();
    if (response->results_size() > 0 && bytes + size > kMaxPageBytes) {
      cut = true;
      return;
    }
    bytes += size;
    *response->add_results() = std::move(r);
    last = seq;
  });
  if (!status.ok()) return ToGrpcStatus(status);
  if (cut || response->results_size() == filter.limit) response->set_next_page_token(absl::StrCat(last));
  return grpc::Status::OK;
}

grpc::Status GatewayServiceImpl::Summary(grpc::ServerContext* context, const v1::JobRequest* request,
                                         v1::Aggregate* response) {
  absl::StatusOr<std::string> caller = options_.authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  // A finished job whose every result went through this gateway's running aggregate needs no second pass.
  absl::StatusOr<v1::JobProgress> progress = store_->Progress(*caller, request->job_id());
  if (!progress.ok()) return ToGrpcStatus(progress.status());
  if (progress->state() == "done") {
    absl::StatusOr<v1::Aggregate> running = running_->Finish(request->job_id(), progress->validated() + progress->failed());
    if (running.ok()) {
      *response = *std::move(running);
      return grpc::Status::OK;
    }
    Log(LogSeverity::kInfo, "summary added up from the store",
        {{"job", request->job_id()}, {"why", std::string(running.status().message())}});
  }
  // Every stored result once, streamed to the aggregator: a document counts exactly once by construction.
  grpc::ClientContext client;
  client.set_deadline(absl::ToChronoTime(absl::Now() + options_.summary_deadline));
  v1::AddReportsResponse aggregated;
  auto writer = aggregator_->AddReports(&client, &aggregated);
  ResultFilter filter;
  filter.limit = 1000;
  bool more = true;
  while (more) {
    int n = 0;
    absl::Status status = store_->Results(*caller, request->job_id(), filter, [&](int64_t seq, v1::ReportResult r) {
      ++n;
      filter.after_seq = seq;
      if (!r.has_report()) return;
      v1::CheckedReport checked;
      *checked.mutable_report() = std::move(*r.mutable_report());
      for (v1::Finding& f : *r.mutable_findings()) *checked.add_findings() = std::move(f);
      writer->Write(checked);
    });
    if (!status.ok()) {
      client.TryCancel();
      writer->Finish();
      return ToGrpcStatus(status);
    }
    more = n == filter.limit;
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) {
    return grpc::Status(status.error_code() == grpc::StatusCode::UNAVAILABLE ? grpc::StatusCode::UNAVAILABLE
                                                                            : grpc::StatusCode::UNKNOWN,
                        absl::StrCat("aggregator: ", status.error_message()));
  }
  *response = std::move(*aggregated.mutable_aggregate());
  return grpc::Status::OK;
}

grpc::Status GatewayServiceImpl::Cancel(grpc::ServerContext* context, const v1::JobRequest* request,
                                        v1::JobProgress* response) {
  absl::StatusOr<std::string> caller = options_.authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::Status status = store_->Cancel(*caller, request->job_id());
  if (!status.ok()) return ToGrpcStatus(status);
  absl::StatusOr<v1::JobProgress> progress = store_->Progress(*caller, request->job_id());
  if (!progress.ok()) return ToGrpcStatus(progress.status());
  *response = *progress;
  return grpc::Status::OK;
}

grpc::Status GatewayServiceImpl::List(grpc::ServerContext* context, const v1::ListJobsRequest* request,
                                      v1::ListJobsResponse* response) {
  absl::StatusOr<std::string> caller = options_.authenticate(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<std::vector<v1::JobProgress>> jobs = store_->List(*caller);
  if (!jobs.ok()) return ToGrpcStatus(jobs.status());
  for (auto& j : *jobs) *response->add_jobs() = std::move(j);
  return grpc::Status::OK;
}

}  // namespace gongkai::gateway
