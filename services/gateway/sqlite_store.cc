// The SQLite job store.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "common/logging.h"
#include "services/gateway/blob_codec.h"
#include "services/gateway/store.h"
#include "common/status_macros.h"

namespace gongkai::gateway {
namespace {


// page_size applies to a new store only (it must precede WAL): a result of ~12 KB then fits in one
// page instead of a chain of four 4 KB pages, so a batch writes fewer, larger pages (+7 % end to end).
constexpr char kSchema[] = R"sql(
PRAGMA page_size=16384;
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-65536;
PRAGMA mmap_size=1073741824;
PRAGMA temp_store=MEMORY;
CREATE TABLE IF NOT EXISTS jobs(
  id TEXT PRIMARY KEY, caller TEXT NOT NULL, state TEXT NOT NULL, created INTEGER NOT NULL,
  sealed INTEGER NOT NULL DEFAULT 0, next_seq INTEGER NOT NULL DEFAULT 0, started_ms INTEGER,
  done_count INTEGER NOT NULL DEFAULT 0, failed_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS documents(
  job TEXT NOT NULL, seq INTEGER NOT NULL, doc_id TEXT NOT NULL, status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, max_severity INTEGER, region TEXT,
  rules TEXT, document BLOB, result BLOB, PRIMARY KEY(job, seq));
CREATE UNIQUE INDEX IF NOT EXISTS documents_doc_id ON documents(job, doc_id) WHERE doc_id != '';
CREATE INDEX IF NOT EXISTS documents_status ON documents(status, job, seq);
CREATE INDEX IF NOT EXISTS documents_job_status ON documents(job, status, failed);
-- Narrative signatures for the job-wide checks, apart from the results: reading a job's signatures then
-- touches 600 bytes a document, not the pages of its result.
CREATE TABLE IF NOT EXISTS narratives(job TEXT NOT NULL, seq INTEGER NOT NULL, validated_in INTEGER NOT NULL,
  signature BLOB NOT NULL, PRIMARY KEY(job, seq)) WITHOUT ROWID;
-- Who filed each parsed report for which year, so that a job finds last year's reports of its organs in the
-- caller's earlier jobs (the history.* rules).
CREATE TABLE IF NOT EXISTS filings(caller TEXT NOT NULL, agency TEXT NOT NULL, year INTEGER NOT NULL,
  job TEXT NOT NULL, seq INTEGER NOT NULL, validated_in INTEGER NOT NULL, had_previous INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(caller, agency, year, job, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS filings_job ON filings(job, seq);
CREATE TABLE IF NOT EXISTS rule_counts(job TEXT NOT NULL, rule TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY(job, rule));
)sql";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Prepared statements kept for reuse, a free list per SQL text: preparing a statement costs more than
// running most of the store's. Used under the store's lock only.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache() { Clear(); }

  // A statement for `sql`, prepared now or reused; *rc is sqlite3_prepare_v2's result.
  sqlite3_stmt* Take(const char* sql, int* rc) {
    std::vector<sqlite3_stmt*>& free = free_[sql];
    if (!free.empty()) {
      sqlite3_stmt* stmt = free.back();
      free.pop_back();
      *rc = SQLITE_OK;
      return stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    *rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    return stmt;
  }

  // Takes back a statement from Take, reset and unbound (so it holds no lock and no caller's data).
  void Give(const char* sql, sqlite3_stmt* stmt) {
    if (stmt == nullptr) return;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    free_[sql].push_back(stmt);
  }

  // Finalizes every kept statement (before the database closes).
  void Clear() {
    for (auto& [sql, free] : free_) {
      for (sqlite3_stmt* stmt : free) sqlite3_finalize(stmt);
    }
    free_.clear();
  }

 private:
  sqlite3* db_;
  // Keyed by the SQL text itself: every caller passes a string literal, which outlives the store.
  absl::flat_hash_map<absl::string_view, std::vector<sqlite3_stmt*>> free_;
};

// A prepared statement for one use, taken from the cache and given back to it. `sql` must outlive the
// store (every caller passes a string literal): the cache keys its statements by it.
class Stmt {
 public:
  Stmt(StatementCache* cache, const char* sql) : cache_(cache), sql_(sql) { stmt_ = cache->Take(sql, &rc_); }
  ~Stmt() { cache_->Give(sql_, stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, absl::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // Binds a serialised message, compressed when that makes it smaller (blob_codec.h).
  Stmt& BindMessage(int i, absl::string_view serialized) {
    std::string blob = PackBlob(serialized);
    sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindBlob(int i, const std::string& blob) {
    sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  std::string Blob(int col) {
    const void* b = sqlite3_column_blob(stmt_, col);
    return b ? std::string(static_cast<const char*>(b), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : "";
  }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  sqlite3_stmt* get() { return stmt_; }

 private:
  StatementCache* cache_;
  const char* sql_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

class SqliteStore : public JobStore {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db), statements_(db) {}
  ~SqliteStore() override {
    statements_.Clear();  // a database with statements left open does not close
    sqlite3_close(db_);
  }

  // Runs one statement that returns no rows (BEGIN, COMMIT, ROLLBACK), prepared once.
  absl::Status Run(const char* sql) {
    Stmt s(&statements_, sql);
    if (!s.ok() || s.Step() != SQLITE_DONE) return absl::InternalError(absl::StrCat(sql, ": ", sqlite3_errmsg(db_)));
    return absl::OkStatus();
  }

  absl::Status Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      return absl::InternalError(absl::StrCat("job store: ", message));
    }
    return absl::OkStatus();
  }

  absl::Status Error(absl::string_view what) {
    return absl::UnavailableError(absl::StrCat("job store: ", what, ": ", sqlite3_errmsg(db_)));
  }

  absl::StatusOr<std::string> CreateJob(absl::string_view caller) override {
    absl::MutexLock lock(&mu_);
    static std::atomic<uint64_t> counter{0};
    std::mt19937_64 rng(static_cast<uint64_t>(NowMs()) ^ (counter++ << 20));
    std::string id = absl::StrFormat("job-%d-%016x", NowMs(), rng());
    Stmt s(&statements_, "INSERT INTO jobs(id, caller, state, created) VALUES(?, ?, 'open', ?)");
    s.Bind(1, id).Bind(2, caller).Bind(3, NowMs());
    if (s.Step() != SQLITE_DONE) return Error("create job");
    return id;
  }

  // The caller of a job; "" when there is no such job.
  std::string CallerOf(absl::string_view job_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Stmt s(&statements_, "SELECT caller FROM jobs WHERE id = ?");
    s.Bind(1, job_id);
    return s.Step() == SQLITE_ROW ? s.Text(0) : std::string();
  }

  // The job's state when it is the caller's.
  absl::StatusOr<std::string> StateOf(absl::string_view caller, absl::string_view job_id) {
    Stmt s(&statements_, "SELECT state, caller FROM jobs WHERE id = ?");
    s.Bind(1, job_id);
    if (s.Step() != SQLITE_ROW || s.Text(1) != caller) {
      return absl::NotFoundError(absl::StrCat("no job ", job_id, " of this caller"));
    }
    return s.Text(0);
  }

  absl::StatusOr<bool> AddDocument(absl::string_view caller, absl::string_view job_id,
                                   const v1::Document& document) override {
    std::vector<bool> added;
    absl::Status status = AddDocuments(caller, job_id, {document}, &added);
    if (!status.ok()) return status;
    return added[0];
  }

  absl::Status AddDocuments(absl::string_view caller, absl::string_view job_id, const std::vector<v1::Document>& documents,
                            std::vector<bool>* added) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<std::string> state = StateOf(caller, job_id);
    if (!state.ok()) return state.status();
    if (*state == "cancelled" || *state == "done") {
      return absl::FailedPreconditionError(absl::StrCat("job ", job_id, " is ", *state, "; it takes no more documents"));
    }
    {
      Stmt sealed(&statements_, "SELECT sealed FROM jobs WHERE id = ?");
      sealed.Bind(1, job_id);
      if (sealed.Step() == SQLITE_ROW && sealed.Int(0)) {
        return absl::FailedPreconditionError(absl::StrCat("job ", job_id, " is sealed; it takes no more documents"));
      }
    }
    added->assign(documents.size(), false);
    if (!Run("BEGIN IMMEDIATE").ok()) return Error("begin");
    int64_t seq = 0;
    {
      Stmt next(&statements_, "SELECT next_seq FROM jobs WHERE id = ?");
      next.Bind(1, job_id);
      if (next.Step() == SQLITE_ROW) seq = next.Int(0);
    }
    {
      // A document id the job already holds is ignored by the partial unique index (job, doc_id): no row is
      // added and the seq is not used.
      Stmt insert(&statements_, "INSERT OR IGNORE INTO documents(job, seq, doc_id, document, status) VALUES(?, ?, ?, ?, 'pending')");
      for (size_t i = 0; i < documents.size(); ++i) {
        const std::string& doc_id = documents[i].metadata().document_id();
        sqlite3_reset(insert.get());
        insert.Bind(1, job_id).Bind(2, seq + 1).Bind(3, doc_id).BindMessage(4, documents[i].SerializeAsString());
        if (insert.Step() != SQLITE_DONE) {
          Run("ROLLBACK").IgnoreError();  // the error being returned matters more
          return Error("store a document");
        }
        if (sqlite3_changes(db_) == 1) {
          ++seq;
          (*added)[i] = true;
        }
      }
    }
    bool any_added = std::find(added->begin(), added->end(), true) != added->end();
    {
      Stmt update(&statements_, "UPDATE jobs SET next_seq = ?, state = CASE WHEN state = 'open' THEN 'running' ELSE state END, "
                       "started_ms = COALESCE(started_ms, ?) WHERE id = ?");
      update.Bind(1, seq).Bind(2, NowMs()).Bind(3, job_id);
      if (update.Step() != SQLITE_DONE) {
        Run("ROLLBACK").IgnoreError();  // the error being returned matters more
        return Error("number the documents");
      }
    }
    if (!Run("COMMIT").ok()) return Error("commit");
    if (any_added) signals_.work.Notify();
    return absl::OkStatus();
  }

  absl::Status SetFlag(absl::string_view caller, absl::string_view job_id, const char* sql) {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<std::string> state = StateOf(caller, job_id);
    if (!state.ok()) return state.status();
    Stmt s(&statements_, sql);
    s.Bind(1, job_id);
    if (s.Step() != SQLITE_DONE) return Error("update job");
    MaybeFinish(job_id);
    return absl::OkStatus();
  }

  absl::Status Seal(absl::string_view caller, absl::string_view job_id) override {
    return SetFlag(caller, job_id, "UPDATE jobs SET sealed = 1 WHERE id = ?");
  }

  absl::Status Cancel(absl::string_view caller, absl::string_view job_id) override {
    absl::Status s = SetFlag(caller, job_id, "UPDATE jobs SET state = 'cancelled', sealed = 1 WHERE id = ? AND state != 'done'");
    if (!s.ok()) return s;
    absl::MutexLock lock(&mu_);
    Stmt drop(&statements_, "UPDATE documents SET status = 'cancelled', document = NULL WHERE job = ? AND status IN ('pending', 'working')");
    drop.Bind(1, job_id);
    drop.Step();
    signals_.jobs.Notify();
    return absl::OkStatus();
  }

  // A sealed job with nothing left to do goes on to its job-wide checks (an empty one is done).
  void MaybeFinish(absl::string_view job_id) {
    Stmt s(&statements_, "UPDATE jobs SET state = 'checking' WHERE id = ? AND sealed = 1 AND state = 'running' AND NOT EXISTS "
                "(SELECT 1 FROM documents WHERE job = ? AND status IN ('pending', 'working'))");
    s.Bind(1, job_id).Bind(2, job_id);
    s.Step();
    bool changed = sqlite3_changes(db_) > 0;
    Stmt e(&statements_, "UPDATE jobs SET state = 'done' WHERE id = ? AND sealed = 1 AND state = 'open'");
    e.Bind(1, job_id);
    e.Step();
    // Raised inside the transaction: a waiter's next look at the store waits for this one's lock, so it
    // sees the change committed (or, rolled back, none).
    if (changed || sqlite3_changes(db_) > 0) signals_.jobs.Notify();
  }

  absl::StatusOr<std::vector<WorkItem>> Claim(int limit) override {
    absl::MutexLock lock(&mu_);
    if (!Run("BEGIN IMMEDIATE").ok()) return Error("begin");
    std::vector<WorkItem> items = ClaimLocked(limit);
    if (!Run("COMMIT").ok()) return Error("commit");
    return items;
  }

  // Claim's work inside the caller's transaction.
  std::vector<WorkItem> ClaimLocked(int limit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::vector<WorkItem> items;
    {
      // Keys first, through the status index (no blob is read to choose), then each document by its key.
      std::vector<std::string> jobs;
      {
        Stmt j(&statements_, "SELECT id FROM jobs WHERE state = 'running' ORDER BY created");
        while (j.Step() == SQLITE_ROW) jobs.push_back(j.Text(0));
      }
      Stmt keys(&statements_, "SELECT seq FROM documents WHERE status = 'pending' AND job = ? ORDER BY seq LIMIT ?");
      Stmt fetch(&statements_, "SELECT document, attempts FROM documents WHERE job = ? AND seq = ?");
      std::vector<std::pair<WorkItem, std::string>> damaged;  // with why it cannot be read
      for (const std::string& job : jobs) {
        if (static_cast<int>(items.size()) >= limit) break;
        sqlite3_reset(keys.get());
        keys.Bind(1, job).Bind(2, static_cast<int64_t>(limit - static_cast<int>(items.size())));
        std::vector<int64_t> seqs;
        while (keys.Step() == SQLITE_ROW) seqs.push_back(keys.Int(0));
        for (int64_t seq : seqs) {
          sqlite3_reset(fetch.get());
          fetch.Bind(1, job).Bind(2, seq);
          if (fetch.Step() != SQLITE_ROW) continue;
          WorkItem item;
          item.job_id = job;
          item.seq = seq;
          item.attempts = static_cast<int>(fetch.Int(1));
          absl::StatusOr<std::string> document = UnpackBlob(fetch.Blob(0));
          if (!document.ok() || !item.document.ParseFromString(*document)) {
            damaged.emplace_back(std::move(item), document.ok() ? "not a gongkai.v1.Document" : document.status().message());
            continue;
          }
          items.push_back(std::move(item));
        }
      }
      FailDamaged(damaged);
    }
    {
      Stmt u(&statements_, "UPDATE documents SET status = 'working', attempts = attempts + 1 WHERE job = ? AND seq = ?");
      for (const WorkItem& item : items) {
        sqlite3_reset(u.get());
        u.Bind(1, item.job_id).Bind(2, item.seq);
        u.Step();
      }
    }
    return items;
  }

  // Documents whose stored bytes cannot be read become failed results that say so (they are never
  // retried: the same bytes would fail again, and a job must still end).
  void FailDamaged(const std::vector<std::pair<WorkItem, std::string>>& damaged) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (damaged.empty()) return;
    Stmt fail(&statements_, "UPDATE documents SET status = 'done', failed = 1, result = ?, document = NULL "
                   "WHERE job = ? AND seq = ? AND status = 'pending'");
    std::map<std::string, std::pair<int64_t, int64_t>> finished;
    for (const auto& [item, why] : damaged) {
      v1::ReportResult result;
      result.set_error(absl::StrCat("the stored document ", item.seq, " of job ", item.job_id, " cannot be read: ", why));
      Log(LogSeverity::kError, "a stored document cannot be read", {{"job", item.job_id}, {"seq", absl::StrCat(item.seq)}, {"error", why}});
      sqlite3_reset(fail.get());
      fail.BindMessage(1, result.SerializeAsString()).Bind(2, item.job_id).Bind(3, item.seq);
      if (fail.Step() == SQLITE_DONE && sqlite3_changes(db_) == 1) {
        ++finished[item.job_id].first;
        ++finished[item.job_id].second;
      }
    }
    CountFinished(finished);
    for (const auto& [job, counts] : finished) MaybeFinish(job);
  }

  absl::Status Unclaim(const std::vector<WorkItem>& items) override {
    absl::MutexLock lock(&mu_);
    if (!Run("BEGIN IMMEDIATE").ok()) return Error("begin");
    Stmt back(&statements_, "UPDATE documents SET status = 'pending', attempts = MAX(attempts - 1, 0) "
                   "WHERE job = ? AND seq = ? AND status = 'working'");
    for (const WorkItem& item : items) {
      sqlite3_reset(back.get());
      back.Bind(1, item.job_id).Bind(2, item.seq);
      if (back.Step() != SQLITE_DONE) {
        Run("ROLLBACK").IgnoreError();
        return Error("unclaim");
      }
    }
    if (!Run("COMMIT").ok()) return Error("commit");
    return absl::OkStatus();
  }

  absl::Status Release(const std::vector<WorkItem>& items, int max_attempts, absl::string_view reason) override {
    absl::MutexLock lock(&mu_);
    if (!Run("BEGIN IMMEDIATE").ok()) return Error("begin");
    Stmt fail(&statements_, "UPDATE documents SET status = 'done', failed = 1, result = ?, document = NULL "
                   "WHERE job = ? AND seq = ? AND status = 'working'");
    Stmt retry(&statements_, "UPDATE documents SET status = 'pending' WHERE job = ? AND seq = ? AND status = 'working'");
    std::set<std::string> jobs;
    std::map<std::string, std::pair<int64_t, int64_t>> finished;  // job -> (done, failed) newly
    for (const WorkItem& item : items) {
      if (item.attempts + 1 >= max_attempts) {
        v1::ReportResult result;
        result.set_document_id(item.document.metadata().document_id());
        result.set_error(absl::StrCat("not processed after ", item.attempts + 1, " attempts: ", reason));
        sqlite3_reset(fail.get());
        fail.BindMessage(1, result.SerializeAsString()).Bind(2, item.job_id).Bind(3, item.seq);
        if (fail.Step() == SQLITE_DONE && sqlite3_changes(db_) == 1) {
          ++finished[item.job_id].first;
          ++finished[item.job_id].second;
        }
      } else {
        sqlite3_reset(retry.get());
        retry.Bind(1, item.job_id).Bind(2, item.seq);
        retry.Step();
      }
      jobs.insert(item.job_id);
    }
    CountFinished(finished);
    for (const std::string& job : jobs) MaybeFinish(job);
    return Run("COMMIT").ok() ? absl::OkStatus() : Error("commit");
  }

  absl::Status Complete(const std::vector<std::pair<WorkItem, wire::ReportResult>>& results,
                        std::vector<bool>* written) override {
    return CompleteAndClaim(results, written, 0).status();
  }

  absl::StatusOr<std::vector<WorkItem>> CompleteAndClaim(
      const std::vector<std::pair<WorkItem, wire::ReportResult>>& results, std::vector<bool>* written,
      int limit) override {
    std::vector<ResultRow> rows = ResultRows(results);
    absl::MutexLock lock(&mu_);
    if (!Run("BEGIN IMMEDIATE").ok()) return Error("begin");
    GONGKAI_RETURN_IF_ERROR(CompleteLocked(results, rows, written));
    std::vector<WorkItem> next;
    if (limit > 0) next = ClaimLocked(limit);
    if (!Run("COMMIT").ok()) return Error("commit");
    return next;
  }

  // A result as it is stored, worked out before the lock: its blob, severity and failed rules.
  struct ResultRow {
    std::string blob, rules;
    int max_severity = 0;
    std::vector<std::string> failed_rules;
  };

  // A result as it is stored.
  static ResultRow RowOf(const wire::ReportResult& result) {
    ResultRow row;
    row.blob = PackBlob(result.SerializeAsString());
    row.rules = ",";
    for (const v1::Finding& f : result.findings()) {
      if (f.outcome() != v1::OUTCOME_FAILED) continue;
      int rank = f.severity() == v1::SEVERITY_ERROR ? 3 : f.severity() == v1::SEVERITY_WARNING ? 2 : 1;
      row.max_severity = std::max(row.max_severity, rank);
      absl::StrAppend(&row.rules, f.rule_id(), ",");
      row.failed_rules.push_back(f.rule_id());
    }
    return row;
  }

  static std::vector<ResultRow> ResultRows(const std::vector<std::pair<WorkItem, wire::ReportResult>>& results) {
    // Everything that needs no database is done before the lock: blobs, severities, rule lists.
    std::vector<ResultRow> rows;
    rows.reserve(results.size());
    for (const auto& [item, result] : results) rows.push_back(RowOf(result));
    return rows;
  }

  // Complete's work inside the caller's transaction; on an error the transaction is rolled back.
  absl::Status CompleteLocked(const std::vector<std::pair<WorkItem, wire::ReportResult>>& results,
                              const std::vector<ResultRow>& rows, std::vector<bool>* written)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (written != nullptr) written->assign(results.size(), false);
    // Only a document still in work is completed: a result is written once, whatever happens.
    Stmt u(&statements_, "UPDATE documents SET status = 'done', result = ?, document = NULL, region = ?, max_severity = ?, "
                "rules = ?, failed = ? WHERE job = ? AND seq = ? AND status = 'working'");
    Stmt n(&statements_, "INSERT OR REPLACE INTO narratives(job, seq, validated_in, signature) VALUES(?, ?, ?, ?)");
    Stmt filed(&statements_, "INSERT OR REPLACE INTO filings(caller, agency, year, job, seq, validated_in, had_previous) "
                             "VALUES(?, ?, ?, ?, ?, ?, ?)");
    std::map<std::string, std::string> caller_of;  // job -> its caller, looked up once a batch
    std::map<std::pair<std::string, std::string>, int64_t> counts;  // (job, rule) -> reports newly failing it
    std::map<std::string, std::pair<int64_t, int64_t>> finished;     // job -> (done, failed) newly
    std::set<std::string> jobs;
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& [item, result] = results[i];
      sqlite3_reset(u.get());
      u.BindBlob(1, rows[i].blob)
          .Bind(2, item.document.metadata().region_code())  // the parser copies it onto the report
          .Bind(3, rows[i].max_severity)
          .Bind(4, rows[i].rules)
          .Bind(5, result.error().empty() ? 0 : 1)
          .Bind(6, item.job_id)
          .Bind(7, item.seq);
      if (u.Step() != SQLITE_DONE) {
        Run("ROLLBACK").IgnoreError();  // the error being returned matters more
        return Error("store a result");
      }
      bool now = sqlite3_changes(db_) == 1;
      if (now && !item.narrative_signature.empty()) {
        sqlite3_reset(n.get());
        n.Bind(1, item.job_id).Bind(2, item.seq).Bind(3, item.validated_in).BindBlob(4, item.narrative_signature);
        if (n.Step() != SQLITE_DONE) {
          Run("ROLLBACK").IgnoreError();  // the error being returned matters more
          return Error("store a narrative signature");
        }
      }
      if (now && !item.agency.empty() && item.report_year > 0) {
        auto caller = caller_of.find(item.job_id);
        if (caller == caller_of.end()) caller = caller_of.emplace(item.job_id, CallerOf(item.job_id)).first;
        sqlite3_reset(filed.get());
        filed.Bind(1, caller->second).Bind(2, item.agency).Bind(3, item.report_year).Bind(4, item.job_id);
        filed.Bind(5, item.seq).Bind(6, item.validated_in).Bind(7, item.had_previous ? 1 : 0);
        if (filed.Step() != SQLITE_DONE) {
          Run("ROLLBACK").IgnoreError();  // the error being returned matters more
          return Error("store a filing");
        }
      }
      if (now) {
        for (const std::string& rule : rows[i].failed_rules) ++counts[{item.job_id, rule}];
        ++finished[item.job_id].first;
        if (!result.error().empty()) ++finished[item.job_id].second;
      }
      if (written != nullptr) (*written)[i] = now;
      jobs.insert(item.job_id);
    }
    for (const auto& [key, n] : counts) AddRuleCount(key.first, key.second, n);
    CountFinished(finished);
    for (const std::string& job : jobs) MaybeFinish(job);
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> RecoverInterrupted() override {
    absl::MutexLock lock(&mu_);
    Stmt s(&statements_, "UPDATE documents SET status = 'pending' WHERE status = 'working'");
    if (s.Step() != SQLITE_DONE) return Error("recover");
    int64_t recovered = sqlite3_changes(db_);
    if (recovered > 0) signals_.work.Notify();
    return recovered;
  }

  absl::StatusOr<std::string> NextToCheck() override {
    absl::MutexLock lock(&mu_);
    Stmt s(&statements_, "SELECT id FROM jobs WHERE state = 'checking' ORDER BY created LIMIT 1");
    int rc = s.Step();
    if (rc == SQLITE_ROW) return s.Text(0);
    if (rc != SQLITE_DONE) return Error("find a job to check");
    return std::string();
  }

  absl::Status NarrativeSignatures(
      absl::string_view job_id,
      const std::function<void(int64_t, int64_t, absl::string_view)>& on_signature) override {
    // Page by page, so that the lock is never held for a whole job.
    int64_t after = 0;
    for (;;) {
      std::vector<std::tuple<int64_t, int64_t, std::string>> page;
      {
        absl::MutexLock lock(&mu_);
        Stmt s(&statements_, "SELECT seq, validated_in, signature FROM narratives WHERE job = ? AND seq > ? "
                             "ORDER BY seq LIMIT 4096");
        s.Bind(1, job_id).Bind(2, after);
        int rc;
        while ((rc = s.Step()) == SQLITE_ROW) page.emplace_back(s.Int(0), s.Int(1), s.Blob(2));
        if (rc != SQLITE_DONE) return Error("read narrative signatures");
      }
      for (const auto& [seq, validated_in, signature] : page) on_signature(seq, validated_in, signature);
      if (page.size() < 4096) return absl::OkStatus();
      after = std::get<0>(page.back());
    }
  }

  absl::Status PreviousFilings(absl::string_view job_id,
                               const std::function<void(const PreviousFiling&)>& on_filing) override {
    std::vector<PreviousFiling> filings;
    {
      absl::MutexLock lock(&mu_);
      Stmt s(&statements_,
             "SELECT f.seq, f.validated_in, p.job, p.seq, p.validated_in FROM filings f "
             "JOIN filings p ON p.caller = f.caller AND p.agency = f.agency AND p.year = f.year - 1 "
             "JOIN jobs j ON j.id = p.job WHERE f.job = ? AND f.had_previous = 0 "
             "ORDER BY f.seq, j.created DESC, p.job DESC, p.seq DESC");
      s.Bind(1, job_id);
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        filings.push_back({s.Int(0), s.Int(1), s.Text(2), s.Int(3), s.Int(4)});
      }
      if (rc != SQLITE_DONE) return Error("find last year's reports");
    }
    for (const PreviousFiling& f : filings) on_filing(f);
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::string>> LastYearsReports(absl::string_view job_id,
                                                            const std::vector<ReportIdentity>& identities) override {
    std::vector<std::string> blobs(identities.size());
    {
      absl::MutexLock lock(&mu_);
      const std::string caller = CallerOf(job_id);
      // The latest job's filing first: job ids begin with their creation time in milliseconds, so they sort
      // as the jobs were created, and the key's own order answers without a sort.
      Stmt find(&statements_, "SELECT job, seq FROM filings WHERE caller = ? AND agency = ? AND year = ? "
                              "ORDER BY job DESC, seq DESC LIMIT 1");
      Stmt fetch(&statements_, "SELECT result FROM documents WHERE job = ? AND seq = ? AND status = 'done'");
      for (size_t i = 0; i < identities.size(); ++i) {
        if (caller.empty() || identities[i].agency.empty() || identities[i].report_year <= 0) continue;
        sqlite3_reset(find.get());
        find.Bind(1, caller).Bind(2, identities[i].agency).Bind(3, identities[i].report_year - 1);
        int rc = find.Step();
        if (rc == SQLITE_DONE) continue;
        if (rc != SQLITE_ROW) return Error("find last year's report");
        sqlite3_reset(fetch.get());
        fetch.Bind(1, find.Text(0)).Bind(2, find.Int(1));
        if (fetch.Step() == SQLITE_ROW) blobs[i] = fetch.Blob(0);
      }
    }
    // Unpacked outside the lock; an unreadable one is as good as none.
    std::vector<std::string> reports(identities.size());
    for (size_t i = 0; i < blobs.size(); ++i) {
      if (blobs[i].empty()) continue;
      absl::StatusOr<wire::ReportResult> result = ReadResultBlob(blobs[i], job_id, 0);
      if (result.ok()) reports[i].swap(*result->mutable_report());
    }
    return reports;
  }

  // The stored result of a done document; NotFound when there is none.
  absl::StatusOr<wire::ReportResult> StoredResultLocked(absl::string_view job_id, int64_t seq)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Stmt s(&statements_, "SELECT result FROM documents WHERE job = ? AND seq = ? AND status = 'done'");
    s.Bind(1, job_id).Bind(2, seq);
    if (s.Step() != SQLITE_ROW) return absl::NotFoundError(absl::StrCat("no result ", seq, " in job ", job_id));
    return ReadResultBlob(s.Blob(0), job_id, seq);
  }

  // A stored result's blob read back (its report left serialised); DataLoss when it cannot be.
  static absl::StatusOr<wire::ReportResult> ReadResultBlob(const std::string& blob, absl::string_view job_id,
                                                           int64_t seq) {
    absl::StatusOr<std::string> serialized = UnpackBlob(blob);
    wire::ReportResult result;
    if (!serialized.ok() || !result.ParseFromString(*serialized)) {
      return absl::DataLossError(absl::StrCat("the stored result ", seq, " of job ", job_id, " cannot be read"));
    }
    return result;
  }

  absl::StatusOr<std::map<int64_t, wire::ReportResult>> StoredResults(absl::string_view job_id,
                                                                       const std::vector<int64_t>& seqs) override {
    absl::MutexLock lock(&mu_);
    std::map<int64_t, wire::ReportResult> out;
    for (int64_t seq : seqs) {
      absl::StatusOr<wire::ReportResult> result = StoredResultLocked(job_id, seq);
      if (result.ok()) {
        out[seq] = *std::move(result);
      } else if (!absl::IsNotFound(result.status()) && !absl::IsDataLoss(result.status())) {
        return result.status();
      }
    }
    return out;
  }

  absl::StatusOr<bool> FinishChecks(absl::string_view job_id,
                                    const std::map<int64_t, std::vector<v1::Finding>>& findings) override {
    absl::MutexLock lock(&mu_);
    if (!Run("BEGIN IMMEDIATE").ok()) return Error("begin");
    auto fail = [&](absl::Status status) {
      Run("ROLLBACK").IgnoreError();  // the error being returned matters more
      return status;
    };
    {
      Stmt state(&statements_, "SELECT state FROM jobs WHERE id = ?");
      state.Bind(1, job_id);
      if (state.Step() != SQLITE_ROW || state.Text(0) != "checking") {
        Run("ROLLBACK").IgnoreError();
        return false;
      }
    }
    std::map<std::string, int64_t> counts;  // rule -> failed findings added (as Complete counts them)
    for (const auto& [seq, added] : findings) {
      if (added.empty()) continue;
      absl::StatusOr<wire::ReportResult> result = StoredResultLocked(job_id, seq);
      // A result that cannot be read is listed as such by Results; it takes no findings.
      if (absl::IsDataLoss(result.status())) continue;
      if (!result.ok()) return fail(result.status());
      for (const v1::Finding& f : added) {
        *result->add_findings() = f;
        if (f.outcome() == v1::OUTCOME_FAILED) ++counts[f.rule_id()];
      }
      ResultRow row = RowOf(*result);
      Stmt u(&statements_, "UPDATE documents SET result = ?, max_severity = ?, rules = ? WHERE job = ? AND seq = ?");
      u.BindBlob(1, row.blob).Bind(2, row.max_severity).Bind(3, row.rules).Bind(4, job_id).Bind(5, seq);
      if (u.Step() != SQLITE_DONE) return fail(Error("store job-wide findings"));
    }
    for (const auto& [rule, n] : counts) {
      if (!AddRuleCount(job_id, rule, n)) return fail(Error("count job-wide findings"));
    }
    Stmt done(&statements_, "UPDATE jobs SET state = 'done' WHERE id = ? AND state = 'checking'");
    done.Bind(1, job_id);
    if (done.Step() != SQLITE_DONE) return fail(Error("finish a job"));
    if (!Run("COMMIT").ok()) return Error("commit");
    signals_.jobs.Notify();
    return true;
  }

  absl::StatusOr<v1::JobProgress> ProgressLocked(absl::string_view job_id) {
    v1::JobProgress p;
    p.set_job_id(std::string(job_id));
    // One row: the counters are kept with every status change, in the same transaction.
    Stmt j(&statements_, "SELECT state, started_ms, next_seq, done_count, failed_count FROM jobs WHERE id = ?");
    j.Bind(1, job_id);
    if (j.Step() != SQLITE_ROW) return absl::NotFoundError(absl::StrCat("no job ", job_id));
    p.set_state(j.Text(0));
    int64_t started = j.Int(1);
    int64_t received = j.Int(2), done = j.Int(3), failed = j.Int(4);
    p.set_received(received);
    p.set_parsed(done - failed);
    p.set_failed(failed);
    p.set_validated(done - failed);
    Stmt r(&statements_, "SELECT rule, count FROM rule_counts WHERE job = ?");
    r.Bind(1, job_id);
    while (r.Step() == SQLITE_ROW) (*p.mutable_rule_counts())[r.Text(0)] = r.Int(1);
    if (started > 0 && done > 0 && p.state() == "running") {
      double elapsed = static_cast<double>(NowMs() - started) / 1000.0;
      p.set_seconds_left(elapsed / static_cast<double>(done) * static_cast<double>(received - done));
    }
    return p;
  }

  absl::StatusOr<v1::JobProgress> Progress(absl::string_view caller, absl::string_view job_id) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<std::string> state = StateOf(caller, job_id);
    if (!state.ok()) return state.status();
    return ProgressLocked(job_id);
  }

  absl::StatusOr<std::vector<v1::JobProgress>> List(absl::string_view caller) override {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> ids;
    Stmt s(&statements_, "SELECT id FROM jobs WHERE caller = ? ORDER BY created");
    s.Bind(1, caller);
    while (s.Step() == SQLITE_ROW) ids.push_back(s.Text(0));
    std::vector<v1::JobProgress> out;
    for (const std::string& id : ids) {
      absl::StatusOr<v1::JobProgress> p = ProgressLocked(id);
      if (p.ok()) out.push_back(*p);
    }
    return out;
  }

  absl::Status Results(absl::string_view caller, absl::string_view job_id, const ResultFilter& filter,
                       const std::function<void(int64_t, v1::ReportResult)>& on_result) override {
    std::vector<std::pair<int64_t, std::string>> rows;
    {
      absl::MutexLock lock(&mu_);
      absl::StatusOr<std::string> state = StateOf(caller, job_id);
      if (!state.ok()) return state.status();
      int min_rank = filter.min_severity == v1::SEVERITY_ERROR     ? 3
                     : filter.min_severity == v1::SEVERITY_WARNING ? 2
                     : filter.min_severity == v1::SEVERITY_INFO    ? 1
                                                                   : 0;
      Stmt s(&statements_, "SELECT seq, result FROM documents WHERE job = ? AND status = 'done' AND seq > ? "
                  "AND COALESCE(max_severity, 0) >= ? AND (? = '' OR rules LIKE '%,' || ? || ',%') "
                  "AND (? = '' OR region LIKE ? || '%') ORDER BY seq LIMIT ?");
      s.Bind(1, job_id).Bind(2, filter.after_seq).Bind(3, min_rank).Bind(4, filter.rule_id).Bind(5, filter.rule_id);
      s.Bind(6, filter.region_prefix).Bind(7, filter.region_prefix).Bind(8, filter.limit);
      while (s.Step() == SQLITE_ROW) rows.emplace_back(s.Int(0), s.Blob(1));
    }
    for (auto& [seq, blob] : rows) {
      v1::ReportResult result;
      absl::StatusOr<std::string> serialized = UnpackBlob(blob);
      if (!serialized.ok() || !result.ParseFromString(*serialized)) {
        // Listed all the same, saying what is wrong: a report is never silently dropped from the results.
        result.Clear();
        result.set_error(absl::StrCat("the stored result ", seq, " of job ", job_id, " cannot be read: ",
                                      serialized.ok() ? "not a gongkai.v1.ReportResult" : serialized.status().message()));
      }
      on_result(seq, std::move(result));
    }
    return absl::OkStatus();
  }

  // A store written before jobs kept their progress counters gets them, counted once from its documents.
  absl::Status AddProgressCounters() {
    absl::MutexLock lock(&mu_);
    Stmt info(&statements_, "SELECT 1 FROM pragma_table_info('jobs') WHERE name = 'done_count'");
    if (info.Step() == SQLITE_ROW) return absl::OkStatus();
    return Exec(
        "BEGIN IMMEDIATE;"
        "ALTER TABLE jobs ADD COLUMN done_count INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE jobs ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;"
        "UPDATE jobs SET done_count = (SELECT COUNT(*) FROM documents d WHERE d.job = jobs.id AND d.status = 'done'),"
        " failed_count = (SELECT COUNT(*) FROM documents d WHERE d.job = jobs.id AND d.status = 'done' AND d.failed = 1);"
        "COMMIT;");
  }

 private:
  // Adds `n` failed findings of `rule` to the job's counts (inside the caller's transaction). False when the
  // statement failed.
  bool AddRuleCount(absl::string_view job_id, absl::string_view rule, int64_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Stmt c(&statements_, "INSERT INTO rule_counts(job, rule, count) VALUES(?, ?, ?) "
                         "ON CONFLICT(job, rule) DO UPDATE SET count = count + excluded.count");
    c.Bind(1, job_id).Bind(2, rule).Bind(3, n);
    return c.Step() == SQLITE_DONE;
  }

  // Adds newly finished documents to their jobs' progress counters (inside the caller's transaction).
  void CountFinished(const std::map<std::string, std::pair<int64_t, int64_t>>& done_failed_by_job) {
    Stmt u(&statements_, "UPDATE jobs SET done_count = done_count + ?, failed_count = failed_count + ? WHERE id = ?");
    for (const auto& [job, n] : done_failed_by_job) {
      sqlite3_reset(u.get());
      u.Bind(1, n.first).Bind(2, n.second).Bind(3, job);
      u.Step();
    }
  }

  absl::Mutex mu_;
  sqlite3* db_;
  StatementCache statements_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<JobStore>> OpenSqliteStore(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat("cannot open the job store ", path, ": ", message));
  }
  sqlite3_busy_timeout(db, 10000);
  auto store = std::make_unique<SqliteStore>(db);
  absl::Status schema = store->Exec(kSchema);
  if (!schema.ok()) return schema;
  absl::Status migrated = store->AddProgressCounters();
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace gongkai::gateway
