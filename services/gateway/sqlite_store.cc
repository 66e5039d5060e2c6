// The SQLite job store.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "services/gateway/store.h"

namespace gongkai::gateway {
namespace {

constexpr char kSchema[] = R"sql(
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS jobs(
  id TEXT PRIMARY KEY, caller TEXT NOT NULL, state TEXT NOT NULL, created INTEGER NOT NULL,
  sealed INTEGER NOT NULL DEFAULT 0, next_seq INTEGER NOT NULL DEFAULT 0, started_ms INTEGER);
CREATE TABLE IF NOT EXISTS documents(
  job TEXT NOT NULL, seq INTEGER NOT NULL, doc_id TEXT NOT NULL, document BLOB, status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, result BLOB, region TEXT, max_severity INTEGER, rules TEXT,
  failed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(job, seq));
CREATE UNIQUE INDEX IF NOT EXISTS documents_doc_id ON documents(job, doc_id) WHERE doc_id != '';
CREATE INDEX IF NOT EXISTS documents_status ON documents(status, job, seq);
CREATE TABLE IF NOT EXISTS rule_counts(job TEXT NOT NULL, rule TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY(job, rule));
)sql";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, absl::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
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

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

class SqliteStore : public JobStore {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close(db_); }

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
    Stmt s(db_, "INSERT INTO jobs(id, caller, state, created) VALUES(?, ?, 'open', ?)");
    s.Bind(1, id).Bind(2, caller).Bind(3, NowMs());
    if (s.Step() != SQLITE_DONE) return Error("create job");
    return id;
  }

  // The job's state when it is the caller's.
  absl::StatusOr<std::string> StateOf(absl::string_view caller, absl::string_view job_id) {
    Stmt s(db_, "SELECT state, caller FROM jobs WHERE id = ?");
    s.Bind(1, job_id);
    if (s.Step() != SQLITE_ROW || s.Text(1) != caller) {
      return absl::NotFoundError(absl::StrCat("no job ", job_id, " of this caller"));
    }
    return s.Text(0);
  }

  absl::StatusOr<bool> AddDocument(absl::string_view caller, absl::string_view job_id,
                                   const v1::Document& document) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<std::string> state = StateOf(caller, job_id);
    if (!state.ok()) return state.status();
    if (*state == "cancelled" || *state == "done") {
      return absl::FailedPreconditionError(absl::StrCat("job ", job_id, " is ", *state, "; it takes no more documents"));
    }
    {
      Stmt sealed(db_, "SELECT sealed FROM jobs WHERE id = ?");
      sealed.Bind(1, job_id);
      if (sealed.Step() == SQLITE_ROW && sealed.Int(0)) {
        return absl::FailedPreconditionError(absl::StrCat("job ", job_id, " is sealed; it takes no more documents"));
      }
    }
    const std::string& doc_id = document.metadata().document_id();
    if (!doc_id.empty()) {
      Stmt dup(db_, "SELECT 1 FROM documents WHERE job = ? AND doc_id = ?");
      dup.Bind(1, job_id).Bind(2, doc_id);
      if (dup.Step() == SQLITE_ROW) return false;
    }
    if (!Exec("BEGIN IMMEDIATE").ok()) return Error("begin");
    int64_t seq = 0;
    {
      Stmt next(db_, "UPDATE jobs SET next_seq = next_seq + 1, state = CASE WHEN state = 'open' THEN 'running' ELSE state END, "
                     "started_ms = COALESCE(started_ms, ?) WHERE id = ? RETURNING next_seq");
      next.Bind(1, NowMs()).Bind(2, job_id);
      if (next.Step() != SQLITE_ROW) {
        Exec("ROLLBACK");
        return Error("number the document");
      }
      seq = next.Int(0);
      next.Step();  // run the statement to its end
    }
    {
      Stmt insert(db_, "INSERT INTO documents(job, seq, doc_id, document, status) VALUES(?, ?, ?, ?, 'pending')");
      insert.Bind(1, job_id).Bind(2, seq).Bind(3, doc_id).BindBlob(4, document.SerializeAsString());
      if (insert.Step() != SQLITE_DONE) {
        Exec("ROLLBACK");
        return Error("store the document");
      }
    }
    if (!Exec("COMMIT").ok()) return Error("commit");
    return true;
  }

  absl::Status SetFlag(absl::string_view caller, absl::string_view job_id, const char* sql) {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<std::string> state = StateOf(caller, job_id);
    if (!state.ok()) return state.status();
    Stmt s(db_, sql);
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
    Stmt drop(db_, "UPDATE documents SET status = 'cancelled', document = NULL WHERE job = ? AND status IN ('pending', 'working')");
    drop.Bind(1, job_id);
    drop.Step();
    return absl::OkStatus();
  }

  // A sealed job with nothing left to do is done.
  void MaybeFinish(absl::string_view job_id) {
    Stmt s(db_, "UPDATE jobs SET state = 'done' WHERE id = ? AND sealed = 1 AND state = 'running' AND NOT EXISTS "
                "(SELECT 1 FROM documents WHERE job = ? AND status IN ('pending', 'working'))");
    s.Bind(1, job_id).Bind(2, job_id);
    s.Step();
    Stmt e(db_, "UPDATE jobs SET state = 'done' WHERE id = ? AND sealed = 1 AND state = 'open'");
    e.Bind(1, job_id);
    e.Step();
  }

  absl::StatusOr<std::vector<WorkItem>> Claim(int limit) override {
    absl::MutexLock lock(&mu_);
    std::vector<WorkItem> items;
    if (!Exec("BEGIN IMMEDIATE").ok()) return Error("begin");
    {
      Stmt s(db_, "SELECT d.job, d.seq, d.document, d.attempts FROM documents d JOIN jobs j ON j.id = d.job "
                  "WHERE d.status = 'pending' AND j.state = 'running' ORDER BY j.created, d.seq LIMIT ?");
      s.Bind(1, limit);
      while (s.Step() == SQLITE_ROW) {
        WorkItem item;
        item.job_id = s.Text(0);
        item.seq = s.Int(1);
        item.document.ParseFromString(s.Blob(2));
        item.attempts = static_cast<int>(s.Int(3));
        items.push_back(std::move(item));
      }
    }
    for (const WorkItem& item : items) {
      Stmt u(db_, "UPDATE documents SET status = 'working', attempts = attempts + 1 WHERE job = ? AND seq = ?");
      u.Bind(1, item.job_id).Bind(2, item.seq);
      u.Step();
    }
    if (!Exec("COMMIT").ok()) return Error("commit");
    return items;
  }

  absl::Status Release(const std::vector<WorkItem>& items, int max_attempts, absl::string_view reason) override {
    absl::MutexLock lock(&mu_);
    if (!Exec("BEGIN IMMEDIATE").ok()) return Error("begin");
    for (const WorkItem& item : items) {
      if (item.attempts + 1 >= max_attempts) {
        v1::ReportResult result;
        result.set_document_id(item.document.metadata().document_id());
        result.set_error(absl::StrCat("not processed after ", item.attempts + 1, " attempts: ", reason));
        Stmt u(db_, "UPDATE documents SET status = 'done', failed = 1, result = ?, document = NULL "
                    "WHERE job = ? AND seq = ? AND status = 'working'");
        u.BindBlob(1, result.SerializeAsString()).Bind(2, item.job_id).Bind(3, item.seq);
        u.Step();
      } else {
        Stmt u(db_, "UPDATE documents SET status = 'pending' WHERE job = ? AND seq = ? AND status = 'working'");
        u.Bind(1, item.job_id).Bind(2, item.seq);
        u.Step();
      }
      MaybeFinish(item.job_id);
    }
    return Exec("COMMIT").ok() ? absl::OkStatus() : Error("commit");
  }

  absl::Status Complete(const std::vector<std::pair<WorkItem, v1::ReportResult>>& results) override {
    absl::MutexLock lock(&mu_);
    if (!Exec("BEGIN IMMEDIATE").ok()) return Error("begin");
    for (const auto& [item, result] : results) {
      int max_severity = 0;
      std::string rules = ",";
      for (const v1::Finding& f : result.findings()) {
        if (f.outcome() != v1::OUTCOME_FAILED) continue;
        int rank = f.severity() == v1::SEVERITY_ERROR ? 3 : f.severity() == v1::SEVERITY_WARNING ? 2 : 1;
        max_severity = std::max(max_severity, rank);
        rules += f.rule_id() + ",";
      }
      // Only a document still in work is completed: a result is written once, whatever happens.
      Stmt u(db_, "UPDATE documents SET status = 'done', result = ?, document = NULL, region = ?, max_severity = ?, "
                  "rules = ?, failed = ? WHERE job = ? AND seq = ? AND status = 'working'");
      u.BindBlob(1, result.SerializeAsString())
          .Bind(2, result.report().metadata().region_code())
          .Bind(3, max_severity)
          .Bind(4, rules)
          .Bind(5, result.error().empty() ? 0 : 1)
          .Bind(6, item.job_id)
          .Bind(7, item.seq);
      u.Step();
      if (sqlite3_changes(db_) == 1) {
        for (const v1::Finding& f : result.findings()) {
          if (f.outcome() != v1::OUTCOME_FAILED) continue;
          Stmt c(db_, "INSERT INTO rule_counts(job, rule, count) VALUES(?, ?, 1) "
                      "ON CONFLICT(job, rule) DO UPDATE SET count = count + 1");
          c.Bind(1, item.job_id).Bind(2, f.rule_id());
          c.Step();
        }
      }
      MaybeFinish(item.job_id);
    }
    return Exec("COMMIT").ok() ? absl::OkStatus() : Error("commit");
  }

  absl::StatusOr<int64_t> RecoverInterrupted() override {
    absl::MutexLock lock(&mu_);
    Stmt s(db_, "UPDATE documents SET status = 'pending' WHERE status = 'working'");
    if (s.Step() != SQLITE_DONE) return Error("recover");
    return sqlite3_changes(db_);
  }

  absl::StatusOr<v1::JobProgress> ProgressLocked(absl::string_view job_id) {
    v1::JobProgress p;
    p.set_job_id(std::string(job_id));
    Stmt j(db_, "SELECT state, started_ms FROM jobs WHERE id = ?");
    j.Bind(1, job_id);
    if (j.Step() != SQLITE_ROW) return absl::NotFoundError(absl::StrCat("no job ", job_id));
    p.set_state(j.Text(0));
    int64_t started = j.Int(1);
    Stmt c(db_, "SELECT COUNT(*), SUM(status = 'done'), SUM(failed), SUM(status = 'done' AND failed = 0) "
                "FROM documents WHERE job = ?");
    c.Bind(1, job_id);
    if (c.Step() == SQLITE_ROW) {
      p.set_received(c.Int(0));
      p.set_parsed(c.Int(1) - c.Int(2));
      p.set_failed(c.Int(2));
      p.set_validated(c.Int(3));
    }
    Stmt r(db_, "SELECT rule, count FROM rule_counts WHERE job = ?");
    r.Bind(1, job_id);
    while (r.Step() == SQLITE_ROW) (*p.mutable_rule_counts())[r.Text(0)] = r.Int(1);
    int64_t done = p.validated() + p.failed();
    if (started > 0 && done > 0 && p.state() == "running") {
      double elapsed = static_cast<double>(NowMs() - started) / 1000.0;
      p.set_seconds_left(elapsed / static_cast<double>(done) * static_cast<double>(p.received() - done));
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
    Stmt s(db_, "SELECT id FROM jobs WHERE caller = ? ORDER BY created");
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
      Stmt s(db_, "SELECT seq, result FROM documents WHERE job = ? AND status = 'done' AND seq > ? "
                  "AND COALESCE(max_severity, 0) >= ? AND (? = '' OR rules LIKE '%,' || ? || ',%') "
                  "AND (? = '' OR region LIKE ? || '%') ORDER BY seq LIMIT ?");
      s.Bind(1, job_id).Bind(2, filter.after_seq).Bind(3, min_rank).Bind(4, filter.rule_id).Bind(5, filter.rule_id);
      s.Bind(6, filter.region_prefix).Bind(7, filter.region_prefix).Bind(8, filter.limit);
      while (s.Step() == SQLITE_ROW) rows.emplace_back(s.Int(0), s.Blob(1));
    }
    for (auto& [seq, blob] : rows) {
      v1::ReportResult result;
      result.ParseFromString(blob);
      on_result(seq, std::move(result));
    }
    return absl::OkStatus();
  }

 private:
  absl::Mutex mu_;
  sqlite3* db_;
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
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace gongkai::gateway
