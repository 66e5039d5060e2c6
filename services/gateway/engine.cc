#include "services/gateway/engine.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging.h"
#include "grpcpp/create_channel.h"

namespace gongkai::gateway {

std::shared_ptr<grpc::Channel> MakeBalancedChannel(const std::string& target, const std::string& service,
                                                   std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(absl::StrCat(
      R"({"loadBalancingConfig":[{"round_robin":{}}],"methodConfig":[{"name":[{"service":")", service,
      R"("}],"retryPolicy":{"maxAttempts":3,"initialBackoff":"0.1s","maxBackoff":"1s","backoffMultiplier":2,)",
      R"("retryableStatusCodes":["UNAVAILABLE"]}}]})"));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10'000);
  args.SetMaxReceiveMessageSize(256 << 20);
  args.SetMaxSendMessageSize(256 << 20);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 8 << 20);
  return grpc::CreateCustomChannel(target, credentials ? credentials : grpc::InsecureChannelCredentials(), args);
}

Engine::Engine(JobStore* store, EngineOptions options) : store_(store), options_(std::move(options)) {
  parser_channel_ = MakeBalancedChannel(options_.parser_target, "gongkai.v1.ParserService", options_.credentials);
  validator_channel_ = MakeBalancedChannel(options_.validator_target, "gongkai.v1.ValidatorService", options_.credentials);
  parse_batch_ = std::make_unique<ParseBatchCall>(parser_channel_);
  validate_batch_ = std::make_unique<ValidateBatchCall>(validator_channel_);
}

Engine::~Engine() { Stop(); }

absl::Status Engine::Start() {
  absl::StatusOr<int64_t> recovered = store_->RecoverInterrupted();
  if (!recovered.ok()) return recovered.status();
  if (*recovered > 0) {
    Log(LogSeverity::kInfo, "documents left in work by a previous process are pending again",
        {{"documents", absl::StrCat(*recovered)}});
  }
  running_ = true;
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this, i] { Work(i); });
  return absl::OkStatus();
}

void Engine::Stop() {
  if (!running_.exchange(false)) return;
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void Engine::SetOnCompleted(CompletedFn fn) {
  absl::MutexLock lock(&mu_);
  on_completed_ = std::move(fn);
}

std::string Engine::WaitingFor() const {
  absl::MutexLock lock(&mu_);
  return waiting_for_;
}

void Engine::Work(int worker) {
  absl::Duration backoff = options_.backoff_initial;
  std::vector<WorkItem> next;  // claimed in the transaction that stored the last batch's results
  while (running_) {
    std::vector<WorkItem> items;
    if (!next.empty()) {
      items.swap(next);
    } else {
      absl::StatusOr<std::vector<WorkItem>> claimed = store_->Claim(options_.batch_size);
      if (!claimed.ok()) {
        Log(LogSeverity::kError, "claiming work failed", {{"error", std::string(claimed.status().message())}});
        absl::SleepFor(backoff);
        continue;
      }
      if (claimed->empty()) {
        absl::SleepFor(options_.idle_poll);
        continue;
      }
      items = std::move(*claimed);
    }
    std::string reason;
    if (Process(items, &reason, &next)) {
      backoff = options_.backoff_initial;
      absl::MutexLock lock(&mu_);
      waiting_for_.clear();
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      waiting_for_ = reason;
    }
    Log(LogSeverity::kWarning, "batch returned to pending", {{"worker", absl::StrCat(worker)}, {"reason", reason},
                                                             {"documents", absl::StrCat(items.size())}});
    absl::Status released = store_->Release(items, options_.max_attempts, reason);
    if (!released.ok()) Log(LogSeverity::kError, "releasing work failed", {{"error", std::string(released.message())}});
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, options_.backoff_max);
  }
  if (!next.empty()) {
    // Claimed but never sent: back to pending, and the claim's attempt is taken back.
    absl::Status released = store_->Unclaim(next);
    if (!released.ok()) Log(LogSeverity::kError, "releasing work failed", {{"error", std::string(released.message())}});
  }
}

bool Engine::Process(const std::vector<WorkItem>& items, std::string* reason, std::vector<WorkItem>* next) {
  v1::ParseBatchRequest parse_request;
  for (const WorkItem& item : items) {
    v1::ParseRequest* r = parse_request.add_documents();
    r->set_content(item.document.content());
    r->set_file_name(item.document.metadata().file_name());
    *r->mutable_metadata() = item.document.metadata();
  }
  wire::ParseBatchResponse parsed;
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_deadline));
    grpc::Status status = (*parse_batch_)(&context, parse_request, &parsed);
    if (!status.ok() || parsed.results_size() != static_cast<int>(items.size())) {
      *reason = absl::StrCat("parser replicas: ", status.ok() ? "wrong number of results" : status.error_message(),
                             " (", static_cast<int>(status.error_code()), ")");
      return false;
    }
  }
  wire::ValidateBatchRequest validate_request;
  std::vector<int> validated;  // index into items of each report sent
  // A report's bytes move from the parser's answer to the validator's request and then into the result:
  // the gateway never parses a report, and never copies one.
  for (int i = 0; i < parsed.results_size(); ++i) {
    if (parsed.results(i).has_report()) {
      validate_request.add_reports()->mutable_report()->swap(*parsed.mutable_results(i)->mutable_report());
      validated.push_back(i);
    }
  }
  v1::ValidateBatchResponse checked;
  if (!validated.empty()) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_deadline));
    grpc::Status status = (*validate_batch_)(&context, validate_request, &checked);
    if (!status.ok() || checked.results_size() != static_cast<int>(validated.size())) {
      *reason = absl::StrCat("validator replicas: ", status.ok() ? "wrong number of results" : status.error_message(),
                             " (", static_cast<int>(status.error_code()), ")");
      return false;
    }
  }
  std::vector<std::pair<WorkItem, wire::ReportResult>> results;
  results.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    wire::ReportResult result;
    result.set_document_id(items[i].document.metadata().document_id());
    const wire::ParseResult& p = parsed.results(static_cast<int>(i));
    if (p.has_error()) result.set_error(p.error().message());
    results.emplace_back(items[i], std::move(result));
  }
  for (size_t k = 0; k < validated.size(); ++k) {
    wire::ReportResult& result = results[static_cast<size_t>(validated[k])].second;
    result.mutable_report()->swap(*validate_request.mutable_reports(static_cast<int>(k))->mutable_report());
    result.mutable_findings()->Swap(checked.mutable_results(static_cast<int>(k))->mutable_findings());
  }
  std::vector<bool> written;
  // One commit per batch: the results, and the worker's next batch unless the engine is stopping.
  absl::StatusOr<std::vector<WorkItem>> stored =
      store_->CompleteAndClaim(results, &written, running_ ? options_.batch_size : 0);
  if (!stored.ok()) {
    *reason = absl::StrCat("job store: ", stored.status().message());
    return false;
  }
  *next = std::move(*stored);
  CompletedFn on_completed;
  {
    absl::MutexLock lock(&mu_);
    on_completed = on_completed_;
  }
  if (on_completed) {
    std::map<std::string, std::vector<wire::ReportResult*>> by_job;
    for (size_t i = 0; i < results.size(); ++i) {
      if (written[i]) by_job[results[i].first.job_id].push_back(&results[i].second);
    }
    for (const auto& [job, done] : by_job) on_completed(job, done);
  }
  return true;
}

}  // namespace gongkai::gateway
