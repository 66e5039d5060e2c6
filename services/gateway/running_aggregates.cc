#include "services/gateway/running_aggregates.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/schema.h"

namespace gongkai::gateway {

RunningAggregates::RunningAggregates(std::shared_ptr<grpc::Channel> channel, int keep_finished)
    : add_reports_(std::move(channel)), keep_finished_(keep_finished) {}

RunningAggregates::~RunningAggregates() {
  std::map<std::string, std::shared_ptr<Job>> jobs;
  {
    absl::MutexLock lock(&mu_);
    jobs.swap(jobs_);
  }
  for (auto& [id, job] : jobs) {
    absl::MutexLock job_lock(&job->mu);
    CancelStreamLocked(job.get());
  }
}

void RunningAggregates::CancelStreamLocked(Job* job) {
  if (job->writer == nullptr) return;
  job->context.TryCancel();
  job->writer->Finish().IgnoreError();
  job->writer.reset();
}

std::shared_ptr<RunningAggregates::Job> RunningAggregates::Get(const std::string& job, bool create) {
  absl::MutexLock lock(&mu_);
  auto it = jobs_.find(job);
  if (it != jobs_.end()) return it->second;
  if (!create) return nullptr;
  auto j = std::make_shared<Job>();
  jobs_[job] = j;
  return j;
}

void RunningAggregates::Add(const std::string& job_id, const std::vector<wire::ReportResult*>& results) {
  if (results.empty()) return;
  std::shared_ptr<Job> job = Get(job_id, true);
  absl::MutexLock lock(&job->mu);
  if (job->broken || job->finished) {
    job->broken = true;
    return;
  }
  if (job->writer == nullptr) job->writer = add_reports_(&job->context, &job->response);
  for (wire::ReportResult* result : results) {
    ++job->fed;
    if (result->report().empty()) continue;  // a document that could not be parsed adds nothing up
    if (!WriteLocked(job.get(), job_id, result->mutable_report(), result->mutable_findings(), nullptr)) return;
  }
}

bool RunningAggregates::WriteLocked(Job* job, const std::string& job_id, std::string* report,
                                    google::protobuf::RepeatedPtrField<v1::Finding>* findings,
                                    google::protobuf::RepeatedPtrField<v1::Finding>* added) {
  // The aggregator reads values, identity and rules, not where they came from: the report goes on with
  // its provenance dropped on the bytes (a fifth smaller, and a third cheaper to parse), as it came from the
  // parser should they not read as a report.
  wire::CheckedReport checked;
  absl::StatusOr<std::string> lean = DropProvenanceFromBytes(*report);
  if (lean.ok()) {
    checked.mutable_report()->swap(*lean);
  } else {
    checked.mutable_report()->swap(*report);
  }
  checked.mutable_findings()->Swap(findings);
  DropFindingProvenance(checked.mutable_findings());
  if (added != nullptr) {
    checked.mutable_added_findings()->Swap(added);
    DropFindingProvenance(checked.mutable_added_findings());
  }
  if (job->writer->Write(checked)) return true;
  job->broken = true;
  Log(LogSeverity::kWarning, "running aggregate stream broke; the summary will add the job up from the store",
      {{"job", job_id}});
  return false;
}

absl::StatusOr<v1::Aggregate> RunningAggregates::Finish(const std::string& job_id, int64_t results_done) {
  std::shared_ptr<Job> job = Get(job_id, false);
  if (job == nullptr) {
    if (results_done == 0) return v1::Aggregate();
    return absl::FailedPreconditionError(absl::StrCat("no results of job ", job_id, " went through this gateway"));
  }
  absl::StatusOr<v1::Aggregate> answer;
  bool just_finished = false;
  {
    absl::MutexLock lock(&job->mu);
    if (job->finished) return job->aggregate;
    if (job->broken) {
      answer = absl::FailedPreconditionError("the stream to the aggregator broke");
    } else if (job->fed != results_done) {
      answer = absl::FailedPreconditionError(
          absl::StrCat(job->fed, " of the job's ", results_done, " results went through this gateway"));
    } else {
      job->writer->WritesDone();
      grpc::Status status = job->writer->Finish();
      job->writer.reset();
      if (status.ok()) {
        job->finished = true;
        job->aggregate = std::move(*job->response.mutable_aggregate());
        answer = job->aggregate;
        just_finished = true;
      } else {
        answer = absl::FailedPreconditionError(absl::StrCat("the aggregator: ", status.error_message()));
      }
    }
    if (!just_finished) CancelStreamLocked(job.get());
    job->broken = !just_finished;
  }
  absl::MutexLock lock(&mu_);
  if (just_finished) {
    finished_order_.push_back(job_id);
    while (static_cast<int>(finished_order_.size()) > keep_finished_) {
      jobs_.erase(finished_order_.front());
      finished_order_.pop_front();
    }
  } else {
    jobs_.erase(job_id);  // never trusted again; the caller adds the job up from the store
  }
  return answer;
}

void RunningAggregates::Amend(const std::string& job_id, std::vector<Engine::Amendment>* amendments) {
  std::shared_ptr<Job> job = Get(job_id, false);
  if (job == nullptr) return;  // none of the job's results went through here: Finish sends the caller to the store
  bool finished;
  {
    absl::MutexLock lock(&job->mu);
    finished = job->finished;
    if (!finished && !job->broken && job->writer != nullptr) {
      for (Engine::Amendment& a : *amendments) {
        if (a.report.empty()) continue;
        if (!WriteLocked(job.get(), job_id, &a.report, &a.findings, &a.added)) return;
      }
    }
  }
  if (finished) Invalidate(job_id);  // summed before the amendment: never trusted again
}

void RunningAggregates::Invalidate(const std::string& job_id) {
  std::shared_ptr<Job> job = Get(job_id, false);
  if (job == nullptr) return;
  {
    absl::MutexLock lock(&job->mu);
    job->broken = true;
    job->finished = false;
    CancelStreamLocked(job.get());
  }
  absl::MutexLock lock(&mu_);
  jobs_.erase(job_id);
  finished_order_.erase(std::remove(finished_order_.begin(), finished_order_.end(), job_id), finished_order_.end());
}

}  // namespace gongkai::gateway
