// Each job's results fed to the aggregator as they complete, over one AddReports stream per job, so that a
// finished job's summary needs no second pass over its stored results. The stream is trusted only when it
// saw every result of the job exactly once: the engine feeds only results the store has just marked done
// (never one completed twice), and Finish compares the count fed with the count the store holds. When they
// differ (a gateway restarted mid-job, a broken stream, another gateway replica did part of the job) Finish
// says so and the caller adds the job up from the store instead.
#ifndef GONGKAI_SERVICES_GATEWAY_RUNNING_AGGREGATES_H_
#define GONGKAI_SERVICES_GATEWAY_RUNNING_AGGREGATES_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "gongkai/v1/aggregator_service.grpc.pb.h"
#include "gongkai/v1/gateway_service.pb.h"
#include "services/gateway/engine.h"
#include "services/gateway/wire_calls.h"

namespace gongkai::gateway {

class RunningAggregates {
 public:
  // Streams over `channel` to the aggregator. At most `keep_finished` finished aggregates are kept.
  explicit RunningAggregates(std::shared_ptr<grpc::Channel> channel, int keep_finished = 8);
  // Cancels the streams still open.
  ~RunningAggregates();

  // Feeds results of `job` that the store has just marked done (each exactly once), moving their reports
  // (still serialised) and findings out. Thread-safe.
  void Add(const std::string& job, const std::vector<wire::ReportResult*>& results);

  // The aggregate of `job`, whose store holds `results_done` finished results and takes no more. OK only
  // when all of them were fed here; FailedPrecondition (with why) when the caller must add the job up itself.
  absl::StatusOr<gongkai::v1::Aggregate> Finish(const std::string& job, int64_t results_done);

  // Findings added to results of `job` already fed here (job-wide checks): fed after them, each result
  // still counted once. Moves the reports and findings out. When the aggregator cannot fold them in
  // exactly, Finish says so and the caller adds the job up from the store.
  void Amend(const std::string& job, std::vector<Engine::Amendment>* amendments);

  // Results of `job` fed here changed in a way not fed (amendments announced that the store did not take):
  // its running aggregate is dropped, and Finish sends the caller to the store.
  void Invalidate(const std::string& job);

 private:
  struct Job {
    absl::Mutex mu;
    grpc::ClientContext context;
    gongkai::v1::AddReportsResponse response;
    std::unique_ptr<grpc::ClientWriter<wire::CheckedReport>> writer ABSL_GUARDED_BY(mu);
    int64_t fed ABSL_GUARDED_BY(mu) = 0;
    bool broken ABSL_GUARDED_BY(mu) = false;
    bool finished ABSL_GUARDED_BY(mu) = false;
    gongkai::v1::Aggregate aggregate ABSL_GUARDED_BY(mu);
  };
  std::shared_ptr<Job> Get(const std::string& job, bool create);
  // Cancels and closes the job's stream to the aggregator, if one is open.
  static void CancelStreamLocked(Job* job) ABSL_EXCLUSIVE_LOCKS_REQUIRED(job->mu);
  // Writes one report (moved out) with its findings, and the findings added later when `added` is not
  // null, to the job's stream, provenance dropped; false (the job marked broken) when the stream broke.
  bool WriteLocked(Job* job, const std::string& job_id, std::string* report,
                   google::protobuf::RepeatedPtrField<gongkai::v1::Finding>* findings,
                   google::protobuf::RepeatedPtrField<gongkai::v1::Finding>* added)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(job->mu);

  AddReportsCall add_reports_;
  int keep_finished_;
  absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<Job>> jobs_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> finished_order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_RUNNING_AGGREGATES_H_
