// The job store: jobs, their documents, each document's status and result. The gateway keeps nothing it
// cannot lose in memory: a gateway killed mid-job and restarted finds every document here, claimed work
// returns to pending, and each document's result is written once. SQLite (WAL) by default; the interface
// is small so that a shared database can stand behind it when several gateways run.
#ifndef GONGKAI_SERVICES_GATEWAY_STORE_H_
#define GONGKAI_SERVICES_GATEWAY_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/schema.h"
#include "services/gateway/change_signal.h"
#include "gongkai/v1/gateway_service.pb.h"
#include "services/gateway/wire.pb.h"

namespace gongkai::gateway {

// A document claimed for processing.
struct WorkItem {
  std::string job_id;
  int64_t seq = 0;  // the document's number within its job
  gongkai::v1::Document document;
  int attempts = 0;  // how many times it was claimed before
  // Set by the engine once the document is validated, for the job-wide checks: the validator's signature
  // of its narrative (empty: none), and the call that validated it (the lowest seq of the job's documents
  // in that call), so that pairs a call already compared are not compared again.
  std::string narrative_signature;
  int64_t validated_in = 0;
  // Who filed it and for which year (from the parsed report), so that the caller's later jobs can find it
  // as last year's report of the same organ.
  std::string agency;
  int report_year = 0;
  bool had_previous = false;  // validated with last year's report from the store (no job-wide history check)
};

// Last year's report of the same organ, for a report of a job: where it is stored.
struct PreviousFiling {
  int64_t seq = 0;           // the report's document in the job checked
  int64_t validated_in = 0;  // the call that validated it
  std::string previous_job;  // the caller's job (this one or an earlier one) holding last year's report
  int64_t previous_seq = 0;
  int64_t previous_validated_in = 0;
};

// Filters of a results query.
struct ResultFilter {
  gongkai::v1::Severity min_severity = gongkai::v1::SEVERITY_UNSPECIFIED;  // ERROR is the highest
  std::string rule_id;
  std::string region_prefix;
  int64_t after_seq = 0;  // paging: results with seq > after_seq
  int limit = 100;
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // A new open job owned by `caller`; returns its id.
  virtual absl::StatusOr<std::string> CreateJob(absl::string_view caller) = 0;
  // Adds a document to an open job. Returns false when the job already holds the caller's document id
  // (submitting twice is idempotent). NotFound when the job is not the caller's; FailedPrecondition when
  // the job is sealed or cancelled.
  virtual absl::StatusOr<bool> AddDocument(absl::string_view caller, absl::string_view job_id,
                                           const gongkai::v1::Document& document) = 0;
  // The same for many documents in one transaction; `added[i]` says whether document i was new.
  virtual absl::Status AddDocuments(absl::string_view caller, absl::string_view job_id,
                                    const std::vector<gongkai::v1::Document>& documents, std::vector<bool>* added) = 0;
  // No more documents will come.
  virtual absl::Status Seal(absl::string_view caller, absl::string_view job_id) = 0;
  virtual absl::Status Cancel(absl::string_view caller, absl::string_view job_id) = 0;

  // Claims up to `limit` pending documents of running jobs (oldest job first), marking them in work.
  virtual absl::StatusOr<std::vector<WorkItem>> Claim(int limit) = 0;
  // Returns claimed documents to pending (a replica failed); after `max_attempts` a document fails with
  // `reason` instead.
  virtual absl::Status Release(const std::vector<WorkItem>& items, int max_attempts, absl::string_view reason) = 0;
  // Returns claimed documents that were never sent to a replica (the gateway is stopping) to pending and
  // takes back the attempt their claim counted, so that restarts never use up a document's attempts.
  virtual absl::Status Unclaim(const std::vector<WorkItem>& items) = 0;
  // Writes the results of claimed documents, all at once (a document's result is written once). When
  // `written` is not null it says, result by result, which were written now (false: the document was no
  // longer in work, its result already stored), so that each result is passed on exactly once.
  // A result's report stays serialised (wire.proto); the stored bytes read back as a gongkai.v1.ReportResult.
  virtual absl::Status Complete(const std::vector<std::pair<WorkItem, wire::ReportResult>>& results,
                                std::vector<bool>* written = nullptr) = 0;
  // Complete, then Claim(limit) unless `limit` is 0: the next batch of a worker that has just finished one.
  // A store that can does both in one transaction (one commit per batch instead of two); a failed Complete
  // claims nothing.
  virtual absl::StatusOr<std::vector<WorkItem>> CompleteAndClaim(
      const std::vector<std::pair<WorkItem, wire::ReportResult>>& results, std::vector<bool>* written, int limit) {
    absl::Status completed = Complete(results, written);
    if (!completed.ok()) return completed;
    if (limit <= 0) return std::vector<WorkItem>();
    return Claim(limit);
  }
  // Puts every document left in work by a previous process back to pending. Returns how many.
  virtual absl::StatusOr<int64_t> RecoverInterrupted() = 0;

  // Job-wide checks. A sealed job whose every document is done goes to state "checking" (not "done"):
  // batch.copied across all its batches still has to run. The oldest such job, or "" when there is none.
  virtual absl::StatusOr<std::string> NextToCheck() = 0;
  // Every done document of `job` that has a narrative signature, in seq order, with its validated_in.
  virtual absl::Status NarrativeSignatures(
      absl::string_view job_id,
      const std::function<void(int64_t seq, int64_t validated_in, absl::string_view signature)>& on_signature) = 0;
  // Last year's report (serialised) for each identity of a report of `job`: the report the same organ filed
  // for the year before in any of the caller's jobs (this one included) whose result is stored, the latest
  // job's and then the last filed; "" when there is none (or the identity is incomplete).
  virtual absl::StatusOr<std::vector<std::string>> LastYearsReports(absl::string_view job_id,
                                                                    const std::vector<ReportIdentity>& identities) = 0;
  // For each report of `job` validated without last year's report from the store (had_previous false) whose
  // organ filed a report for the year before in any of the caller's jobs (this one included): where that
  // report is, the latest job's first; several for one seq when the organ filed more than once. In seq order.
  virtual absl::Status PreviousFilings(absl::string_view job_id,
                                       const std::function<void(const PreviousFiling&)>& on_filing) = 0;
  // The stored results of the documents `seqs` of `job` that are done and readable, by seq (reports
  // serialised); a damaged one is left out, as the checks must go on past it.
  virtual absl::StatusOr<std::map<int64_t, wire::ReportResult>> StoredResults(absl::string_view job_id,
                                                                               const std::vector<int64_t>& seqs) = 0;
  // In one transaction: appends the job-wide findings to the stored results (by seq; a damaged result
  // takes none), counts them in the job's progress, and marks the job done. False, with nothing written,
  // when the job is no longer "checking" (cancelled, or finished by another gateway): the findings are never
  // appended twice.
  virtual absl::StatusOr<bool> FinishChecks(absl::string_view job_id,
                                            const std::map<int64_t, std::vector<gongkai::v1::Finding>>& findings) = 0;

  // Progress of a job (NotFound when it is not the caller's).
  virtual absl::StatusOr<gongkai::v1::JobProgress> Progress(absl::string_view caller, absl::string_view job_id) = 0;
  virtual absl::StatusOr<std::vector<gongkai::v1::JobProgress>> List(absl::string_view caller) = 0;
  // Results in document order, filtered; each with its seq through `on_result`.
  virtual absl::Status Results(absl::string_view caller, absl::string_view job_id, const ResultFilter& filter,
                               const std::function<void(int64_t seq, gongkai::v1::ReportResult)>& on_result) = 0;

  // What the gateway's threads wait on instead of polling. The store raises `work` after documents become
  // pending (added, or left in work by a previous process) and `jobs` after a job changes state (checking,
  // done, cancelled). It may raise them for a change it then rolls back (a waiter that looks and finds
  // nothing waits again), and never for another process's changes to a shared store: waiters still look
  // now and then.
  struct Signals {
    ChangeSignal work;
    ChangeSignal jobs;
  };
  Signals& signals() { return signals_; }

 protected:
  Signals signals_;
};

// A store in the SQLite database at `path` (created when absent; WAL journal).
absl::StatusOr<std::unique_ptr<JobStore>> OpenSqliteStore(const std::string& path);

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_STORE_H_
