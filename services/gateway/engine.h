// The fan-out engine: worker threads claim batches of documents from the store, send them to parser
// replicas and the parsed reports to validator replicas, and write the results back. Channels are
// long-lived and balance round-robin over every address of their target (a headless Service's DNS name,
// or a list of loopback addresses in tests); every call has a deadline; gRPC retries UNAVAILABLE calls,
// and a batch whose call still fails (a dead or hung replica) goes back to pending and is tried again after
// a backoff. Work in flight is bounded by workers × batch size, so memory stays flat whatever the job's size.
#ifndef GONGKAI_SERVICES_GATEWAY_ENGINE_H_
#define GONGKAI_SERVICES_GATEWAY_ENGINE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
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
  absl::Duration idle_poll = absl::Milliseconds(20);
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
  // Stops the workers after their current batch; claimed work not finished is released.
  void Stop();

  // What the engine waits on, if anything ("parser replicas unavailable: …"); empty when work flows.
  std::string WaitingFor() const;

  // Called after each batch with the results the store has just written, grouped by job, each result
  // exactly once (the gateway service feeds them to the aggregator). The results are stored and no longer
  // needed: the callback may move their reports and findings out. Thread-safe; null to stop.
  using CompletedFn = std::function<void(const std::string& job, const std::vector<wire::ReportResult*>&)>;
  void SetOnCompleted(CompletedFn fn);

 private:
  void Work(int worker);
  // One batch through the parser and the validator, its results stored and, while the engine runs, the
  // worker's next batch claimed into `*next`. False (and the reason) when a replica or the store failed.
  bool Process(const std::vector<WorkItem>& items, std::string* reason, std::vector<WorkItem>* next);

  JobStore* store_;
  EngineOptions options_;
  std::shared_ptr<grpc::Channel> parser_channel_, validator_channel_;
  // Reports stay serialised from the parser's answer to the validator, the store and the aggregator.
  std::unique_ptr<ParseBatchCall> parse_batch_;
  std::unique_ptr<ValidateBatchCall> validate_batch_;
  std::vector<std::thread> threads_;
  std::atomic<bool> running_{false};
  mutable absl::Mutex mu_;
  std::string waiting_for_ ABSL_GUARDED_BY(mu_);
  CompletedFn on_completed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_ENGINE_H_
