// The fan-out engine: worker threads claim batches of documents from the store, send them to parser
// replicas and the parsed reports to validator replicas, and write the results back. Channels are
// long-lived and balance round-robin over every address of their target (a headless Service's DNS name,
// or a list of loopback addresses in tests); every call has a deadline; gRPC retries UNAVAILABLE calls,
// and a batch whose call still fails (a dead or hung replica) goes back to pending and is tried again after
// a backoff. Work in flight is bounded by workers × batch size, so memory stays flat whatever the job's size.
// Once a sealed job's last document is done, one more thread runs its job-wide checks: batch.copied across
// every call's reports (the validators pair the narrative signatures they answered; each candidate pair
// that no one call held is validated together), its findings appended to the stored results in the
// transaction that marks the job done.
#ifndef GONGKAI_SERVICES_GATEWAY_ENGINE_H_
#define GONGKAI_SERVICES_GATEWAY_ENGINE_H_

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "gongkai/v1/validator_service.grpc.pb.h"
#include "grpcpp/security/credentials.h"
#include "services/gateway/change_signal.h"
#include "services/gateway/store.h"
#include "services/gateway/wire_calls.h"

namespace gongkai::gateway {

struct EngineOptions {
  std::string parser_target;     // "dns:///parser-headless:50051" or "ipv4:127.0.0.1:5001,127.0.0.1:5002"
  std::string validator_target;
  int workers = 16;              // batches in flight at once (parse, validate and store overlap)
  int batch_size = 16;           // documents per call (also the reach of batch.copied)
  absl::Duration call_deadline = absl::Seconds(30);
  int max_attempts = 6;          // a document fails (with the reason) after this many tries
  absl::Duration backoff_initial = absl::Milliseconds(100);
  absl::Duration backoff_max = absl::Seconds(5);
  // Idle threads wake when the store signals new work or a job's new state (store.h); they also look
  // this often for what no signal announces: another gateway's work on a shared store, documents
  // released for a retry.
  absl::Duration idle_poll = absl::Seconds(1);
  // Job-wide checks: once a sealed job's last document is done, batch.copied runs across all its batches
  // (the validator pairs the narrative signatures it answered, then each candidate pair from two different
  // calls is validated together). Off: batch.copied reaches only as far as one call's batch.
  bool job_wide_copies = true;
  int max_copies_per_report = 8;  // candidate pairs a report takes part in (the closest first)
  // Job-wide checks: the history.* rules for each report whose organ filed last year's report in this job
  // or an earlier job of the same caller (and not in the call that validated it). Off: only within a call.
  bool job_wide_history = true;
  absl::Duration check_deadline = absl::Minutes(5);  // the pairing call of one job
  std::shared_ptr<grpc::ChannelCredentials> credentials;  // null: plaintext
};

// A channel to `target` that balances round-robin over all its addresses, retries UNAVAILABLE calls
// (parse and validate are idempotent) and keeps connections alive.
std::shared_ptr<grpc::Channel> MakeBalancedChannel(const std::string& target, const std::string& service,
                                                   std::shared_ptr<grpc::ChannelCredentials> credentials);

class Engine {
 public:
  Engine(JobStore* store, EngineOptions options);
  ~Engine();

  // Puts work left in progress by a previous process back to pending, then starts the workers.
  absl::Status Start();
  // Stops the workers after their current batch (a thread backing off from a failure stops at once); claimed
  // work not finished is released.
  void Stop();

  // What the engine waits on, if anything ("parser replicas unavailable: …"); empty when work flows.
  std::string WaitingFor() const;

  // Called after each batch with the results the store has just written, grouped by job, each result
  // exactly once (the gateway service feeds them to the aggregator). The results are stored and no longer
  // needed: the callback may move their reports and findings out. Thread-safe; null to stop.
  using CompletedFn = std::function<void(const std::string& job, const std::vector<wire::ReportResult*>&)>;
  void SetOnCompleted(CompletedFn fn);

  // A stored result that job-wide checks amend: its report (serialised), the findings it was stored and
  // passed to CompletedFn with, and the findings added.
  struct Amendment {
    std::string report;
    google::protobuf::RepeatedPtrField<gongkai::v1::Finding> findings;
    google::protobuf::RepeatedPtrField<gongkai::v1::Finding> added;
  };
  // Called with a job's amendments just before the store takes them, and again with null when the store
  // did not (whatever was built from them must then be dropped). Thread-safe; null to stop.
  using AmendingFn = std::function<void(const std::string& job, std::vector<Amendment>* amendments)>;
  void SetOnAmending(AmendingFn fn);

 private:
  void Work(int worker);
  // Waits `d` (a backoff), or less when the engine stops.
  void Pause(absl::Duration d);
  // One batch through the parser and the validator, its results stored and, while the engine runs, the
  // worker's next batch claimed into `*next`. False (and the reason) when a replica or the store failed.
  bool Process(const std::vector<WorkItem>& items, std::string* reason, std::vector<WorkItem>* next);
  // Runs the job-wide checks of jobs whose documents are all done, one job at a time, until stopped.
  void CheckJobs();
  // The job-wide checks of `job`, their findings stored and the job marked done. Unavailable (and why)
  // when a validator failed: the job stays in checking and is tried again.
  absl::Status CheckJob(const std::string& job);
  // batch.copied across the job, under the validators' `rules`: findings added to `found` by seq.
  absl::Status JobWideCopies(const std::string& job, const gongkai::v1::ListRulesResponse& rules,
                             std::map<int64_t, std::vector<gongkai::v1::Finding>>* found);
  // The history.* rules against last year's report found in the caller's jobs: findings added by seq.
  absl::Status JobWideHistory(const std::string& job, const gongkai::v1::ListRulesResponse& rules,
                              std::map<int64_t, std::vector<gongkai::v1::Finding>>* found);
  // A configuration of the rules `keep` accepts, at their listed severities, every other rule off;
  // `*any` says whether any rule was kept.
  static gongkai::v1::RuleConfig OnlyRules(const gongkai::v1::ListRulesResponse& rules, absl::string_view name,
                                           const std::function<bool(absl::string_view)>& keep, bool* any);
  // One ValidateBatch call to the validator replicas, with the call deadline. Unavailable (and why) when it
  // failed or answered a different number of results.
  absl::Status ValidateBatch(const wire::ValidateBatchRequest& request, gongkai::v1::ValidateBatchResponse* response);
  // fn(0) … fn(n − 1) on up to `workers` threads; the first error (or Aborted when the engine stops).
  absl::Status InParallel(size_t n, const std::function<absl::Status(size_t)>& fn);
  // One candidate pair (seqs of `job`) validated together under `only_copied`: the failed batch.copied
  // findings of each of the two.
  absl::Status ConfirmCopied(const std::string& job, std::pair<int64_t, int64_t> pair,
                             const gongkai::v1::RuleConfig& only_copied,
                             std::array<std::vector<gongkai::v1::Finding>, 2>* found);

  // Registers a call's context for as long as it lives, so that Stop cancels it (at once when the engine has
  // already stopped): a stopping gateway does not wait out a hung replica's deadline.
  class CancelOnStop {
   public:
    CancelOnStop(Engine* engine, grpc::ClientContext* context);
    ~CancelOnStop();
    CancelOnStop(const CancelOnStop&) = delete;
    CancelOnStop& operator=(const CancelOnStop&) = delete;

   private:
    Engine* engine_;
    grpc::ClientContext* context_;
  };

  JobStore* store_;
  EngineOptions options_;
  std::shared_ptr<grpc::Channel> parser_channel_, validator_channel_;
  // Reports stay serialised from the parser's answer to the validator, the store and the aggregator.
  std::unique_ptr<ParseBatchCall> parse_batch_;
  std::unique_ptr<ValidateBatchCall> validate_batch_;
  std::unique_ptr<gongkai::v1::ValidatorService::Stub> validator_stub_;
  std::vector<std::thread> threads_;
  std::atomic<bool> running_{false};
  ChangeSignal stopping_;  // raised by Stop: threads backing off wake at once
  absl::Mutex calls_mu_;
  std::set<grpc::ClientContext*> calls_ ABSL_GUARDED_BY(calls_mu_);  // calls in flight, for Stop to cancel
  int64_t stop_seen_ = 0;  // its count when the engine last started
  mutable absl::Mutex mu_;
  std::string waiting_for_ ABSL_GUARDED_BY(mu_);         // the workers' (the last batch's failure)
  std::string checks_waiting_for_ ABSL_GUARDED_BY(mu_);  // the job-wide checks' (the last check's failure)
  CompletedFn on_completed_ ABSL_GUARDED_BY(mu_);
  AmendingFn on_amending_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_ENGINE_H_
