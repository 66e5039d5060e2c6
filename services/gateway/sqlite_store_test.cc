// The SQLite job store on a real database in a temporary folder: progress counters kept with every status
// change, a result written once, job-wide findings appended once, and a store from before the counters
// migrated on open.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <thread>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "common/schema.h"
#include "services/gateway/store.h"

namespace gongkai::gateway {
namespace {

namespace fs = std::filesystem;

v1::Document Doc(const std::string& id) {
  v1::Document d;
  d.set_content("report " + id);
  d.mutable_metadata()->set_document_id(id);
  return d;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / absl::StrCat("gongkai-store-", getpid(), "-", counter_++);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path() const { return (dir_ / "jobs.sqlite").string(); }
  // A sealed job of the caller "me" with one document of each id (Doc); "" and a test failure when the
  // store refused.
  static std::string SealedJob(JobStore* store, const std::vector<std::string>& ids) {
    absl::StatusOr<std::string> job = store->CreateJob("me");
    if (!job.ok()) {
      ADD_FAILURE() << job.status();
      return "";
    }
    std::vector<v1::Document> documents;
    for (const std::string& id : ids) documents.push_back(Doc(id));
    std::vector<bool> added;
    absl::Status status = store->AddDocuments("me", *job, documents, &added);
    if (status.ok()) status = store->Seal("me", *job);
    if (!status.ok()) {
      ADD_FAILURE() << status;
      return "";
    }
    return *job;
  }
  fs::path dir_;
  static inline int counter_ = 0;
};

// The signals the gateway's idle threads wait on are raised by the changes they wait for, and only by them.
TEST_F(SqliteStoreTest, SignalsNewWorkAndEveryJobStateChange) {
  auto store = *OpenSqliteStore(Path());
  ChangeSignal& work = store->signals().work;
  ChangeSignal& jobs = store->signals().jobs;
  std::string job = *store->CreateJob("me");
  int64_t w = work.Count(), j = jobs.Count();
  std::vector<bool> added;
  ASSERT_TRUE(store->AddDocuments("me", job, {Doc("a"), Doc("b")}, &added).ok());
  EXPECT_GT(work.Count(), w);
  EXPECT_TRUE(work.Await(w, absl::ZeroDuration()));
  // Nothing new: no signal.
  w = work.Count();
  ASSERT_TRUE(store->AddDocuments("me", job, {Doc("a")}, &added).ok());
  EXPECT_EQ(work.Count(), w);
  EXPECT_FALSE(work.Await(w, absl::Milliseconds(1)));
  ASSERT_TRUE(store->Seal("me", job).ok());
  std::vector<WorkItem> items = *store->Claim(10);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(store->Complete({{items[0], wire::ReportResult()}}).ok());
  EXPECT_EQ(jobs.Count(), j) << "a job with work left did not change state";
  ASSERT_TRUE(store->Complete({{items[1], wire::ReportResult()}}).ok());
  EXPECT_GT(jobs.Count(), j) << "running → checking";
  j = jobs.Count();
  ASSERT_TRUE(*store->FinishChecks(job, {}));
  EXPECT_GT(jobs.Count(), j) << "checking → done";
  // A cancelled job, and a job that a previous process left in work.
  std::string other = *store->CreateJob("me");
  ASSERT_TRUE(store->AddDocuments("me", other, {Doc("c")}, &added).ok());
  ASSERT_EQ(store->Claim(10)->size(), 1u);
  w = work.Count();
  ASSERT_EQ(*store->RecoverInterrupted(), 1);
  EXPECT_GT(work.Count(), w);
  j = jobs.Count();
  ASSERT_TRUE(store->Cancel("me", other).ok());
  EXPECT_GT(jobs.Count(), j);
}

// A waiter wakes when another thread raises the signal, not only at its timeout.
TEST(ChangeSignalTest, AWaiterWakesAtTheChangeNotAtItsTimeout) {
  ChangeSignal signal;
  int64_t seen = signal.Count();
  std::thread raiser([&] {
    absl::SleepFor(absl::Milliseconds(10));
    signal.Notify();
  });
  // An hour's timeout: only the raised signal can end this wait (the test's own time limit would fail it).
  EXPECT_TRUE(signal.Await(seen, absl::Hours(1)));
  raiser.join();
  EXPECT_EQ(signal.Count(), seen + 1);
  EXPECT_FALSE(signal.Await(signal.Count(), absl::Milliseconds(1)));
}

TEST_F(SqliteStoreTest, ProgressCountsEveryDocumentOnceWhateverHappensToIt) {
  auto store = *OpenSqliteStore(Path());
  std::string job = SealedJob(store.get(), {"a", "b", "c", "d", "a"});
  std::vector<WorkItem> items = *store->Claim(10);
  ASSERT_EQ(items.size(), 4u);
  // a: parsed; b: refused by the parser; c and d: their replica failed, c for the last time.
  std::vector<std::pair<WorkItem, wire::ReportResult>> results(2);
  results[0].first = items[0];
  results[1].first = items[1];
  results[1].second.set_error("not a report");
  std::vector<bool> written;
  ASSERT_TRUE(store->Complete(results, &written).ok());
  EXPECT_EQ(written, std::vector<bool>({true, true}));
  ASSERT_TRUE(store->Complete(results, &written).ok());  // again: nothing is written twice
  EXPECT_EQ(written, std::vector<bool>({false, false}));
  items[2].attempts = 2;  // its third attempt
  ASSERT_TRUE(store->Release({items[2], items[3]}, 3, "replica down").ok());
  v1::JobProgress p = *store->Progress("me", job);
  EXPECT_EQ(p.received(), 4);
  EXPECT_EQ(p.validated(), 1);
  EXPECT_EQ(p.failed(), 2);
  EXPECT_EQ(p.state(), "running");
  // d comes back and completes: the job is done with every document counted once.
  std::vector<WorkItem> again = *store->Claim(10);
  ASSERT_EQ(again.size(), 1u);
  ASSERT_TRUE(store->Complete({{again[0], wire::ReportResult()}}).ok());
  p = *store->Progress("me", job);
  EXPECT_EQ(p.validated(), 2);
  EXPECT_EQ(p.failed(), 2);
  // Every document is done: the job-wide checks are next, and then the job is done, once.
  EXPECT_EQ(p.state(), "checking");
  EXPECT_EQ(*store->NextToCheck(), job);
  EXPECT_TRUE(*store->FinishChecks(job, {}));
  EXPECT_EQ(store->Progress("me", job)->state(), "done");
  EXPECT_FALSE(*store->FinishChecks(job, {}));
  EXPECT_EQ(*store->NextToCheck(), "");
}

TEST_F(SqliteStoreTest, JobWideFindingsAreAppendedOnceAndCounted) {
  auto store = *OpenSqliteStore(Path());
  std::string job = SealedJob(store.get(), {"a", "b", "c"});
  std::vector<WorkItem> items = *store->Claim(10);
  ASSERT_EQ(items.size(), 3u);
  std::vector<std::pair<WorkItem, wire::ReportResult>> results;
  for (size_t i = 0; i < items.size(); ++i) {
    WorkItem item = items[i];
    if (i < 2) item.narrative_signature = std::string(512, static_cast<char>('x' + i));  // c has none
    item.validated_in = i == 0 ? 1 : 2;
    wire::ReportResult r;
    r.set_document_id(item.document.metadata().document_id());
    v1::AnnualReport report;
    report.set_agency(absl::StrCat("机关", i));
    r.set_report(report.SerializeAsString());
    results.push_back({item, std::move(r)});
  }
  ASSERT_TRUE(store->Complete(results).ok());
  std::vector<std::tuple<int64_t, int64_t, std::string>> signatures;
  ASSERT_TRUE(store->NarrativeSignatures(job, [&](int64_t seq, int64_t in, absl::string_view sig) {
    signatures.emplace_back(seq, in, std::string(sig));
  }).ok());
  ASSERT_EQ(signatures.size(), 2u);
  EXPECT_EQ(std::get<0>(signatures[0]), items[0].seq);
  EXPECT_EQ(std::get<1>(signatures[0]), 1);
  EXPECT_EQ(std::get<2>(signatures[1]), std::string(512, 'y'));
  auto stored = *store->StoredResults(job, {items[0].seq, items[2].seq, 999});
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[items[2].seq].document_id(), "c");

  v1::Finding copied;
  copied.set_rule_id("batch.copied");
  copied.set_severity(v1::SEVERITY_WARNING);
  copied.set_outcome(v1::OUTCOME_FAILED);
  std::map<int64_t, std::vector<v1::Finding>> found = {{items[0].seq, {copied}}, {items[1].seq, {copied}}};
  EXPECT_EQ(store->Progress("me", job)->state(), "checking");
  EXPECT_TRUE(*store->FinishChecks(job, found));
  EXPECT_FALSE(*store->FinishChecks(job, found));  // a second gateway, or a restart: nothing twice
  v1::JobProgress p = *store->Progress("me", job);
  EXPECT_EQ(p.state(), "done");
  EXPECT_EQ(p.rule_counts().at("batch.copied"), 2);
  ResultFilter filter;
  filter.rule_id = "batch.copied";
  std::vector<v1::ReportResult> got;
  ASSERT_TRUE(store->Results("me", job, filter, [&](int64_t, v1::ReportResult r) { got.push_back(std::move(r)); }).ok());
  ASSERT_EQ(got.size(), 2u);
  for (const v1::ReportResult& r : got) {
    EXPECT_TRUE(r.error().empty()) << r.error();
    EXPECT_FALSE(r.report().agency().empty());
    ASSERT_EQ(r.findings_size(), 1);
    EXPECT_EQ(r.findings(0).rule_id(), "batch.copied");
  }
  filter.rule_id.clear();
  filter.min_severity = v1::SEVERITY_WARNING;
  got.clear();
  ASSERT_TRUE(store->Results("me", job, filter, [&](int64_t, v1::ReportResult r) { got.push_back(std::move(r)); }).ok());
  EXPECT_EQ(got.size(), 2u);
}

TEST_F(SqliteStoreTest, ADamagedResultIsLeftOutOfTheJobWideChecksWhichGoOn) {
  auto store = *OpenSqliteStore(Path());
  std::string job = SealedJob(store.get(), {"a", "b"});
  std::vector<WorkItem> items = *store->Claim(10);
  ASSERT_EQ(items.size(), 2u);
  std::vector<std::pair<WorkItem, wire::ReportResult>> results;
  for (const WorkItem& item : items) results.push_back({item, wire::ReportResult()});
  ASSERT_TRUE(store->Complete(results).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &db), SQLITE_OK);
  std::string damage = absl::StrCat("UPDATE documents SET result = x'044C5A3400100000FFFF' WHERE seq = ", items[0].seq);
  ASSERT_EQ(sqlite3_exec(db, damage.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto stored = *store->StoredResults(job, {items[0].seq, items[1].seq});
  EXPECT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored.count(items[1].seq), 1u);
  v1::Finding copied;
  copied.set_rule_id("batch.copied");
  copied.set_outcome(v1::OUTCOME_FAILED);
  EXPECT_TRUE(*store->FinishChecks(job, {{items[0].seq, {copied}}, {items[1].seq, {copied}}}));
  v1::JobProgress p = *store->Progress("me", job);
  EXPECT_EQ(p.state(), "done");
  EXPECT_EQ(p.rule_counts().at("batch.copied"), 1);
}

TEST_F(SqliteStoreTest, ACancelledJobTakesNoJobWideFindings) {
  auto store = *OpenSqliteStore(Path());
  std::string job = *store->CreateJob("me");
  ASSERT_TRUE(*store->AddDocument("me", job, Doc("a")));
  ASSERT_TRUE(store->Seal("me", job).ok());
  std::vector<WorkItem> items = *store->Claim(10);
  ASSERT_TRUE(store->Complete({{items[0], wire::ReportResult()}}).ok());
  ASSERT_EQ(*store->NextToCheck(), job);
  ASSERT_TRUE(store->Cancel("me", job).ok());
  v1::Finding copied;
  copied.set_rule_id("batch.copied");
  copied.set_outcome(v1::OUTCOME_FAILED);
  EXPECT_FALSE(*store->FinishChecks(job, {{items[0].seq, {copied}}}));
  EXPECT_EQ(store->Progress("me", job)->state(), "cancelled");
  EXPECT_EQ(store->Progress("me", job)->rule_counts().count("batch.copied"), 0u);
}

TEST_F(SqliteStoreTest, AStoreFromBeforeTheCountersIsMigratedOnOpen) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &db), SQLITE_OK);
  const char* old_schema =
      "CREATE TABLE jobs(id TEXT PRIMARY KEY, caller TEXT NOT NULL, state TEXT NOT NULL, created INTEGER NOT NULL,"
      " sealed INTEGER NOT NULL DEFAULT 0, next_seq INTEGER NOT NULL DEFAULT 0, started_ms INTEGER);"
      "CREATE TABLE documents(job TEXT NOT NULL, seq INTEGER NOT NULL, doc_id TEXT NOT NULL, status TEXT NOT NULL,"
      " attempts INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, max_severity INTEGER, region TEXT,"
      " rules TEXT, document BLOB, result BLOB, PRIMARY KEY(job, seq));"
      "INSERT INTO jobs VALUES('j1', 'me', 'running', 1, 1, 3, 1);"
      "INSERT INTO documents(job, seq, doc_id, status, failed) VALUES('j1', 1, 'a', 'done', 0), ('j1', 2, 'b', 'done', 1),"
      " ('j1', 3, 'c', 'pending', 0);";
  ASSERT_EQ(sqlite3_exec(db, old_schema, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = OpenSqliteStore(Path());
  ASSERT_TRUE(store.ok()) << store.status();
  v1::JobProgress p = *(*store)->Progress("me", "j1");
  EXPECT_EQ(p.received(), 3);
  EXPECT_EQ(p.validated(), 1);
  EXPECT_EQ(p.failed(), 1);
  // Opening again finds the counters there and leaves them alone.
  store = OpenSqliteStore(Path());
  EXPECT_EQ((*store)->Progress("me", "j1")->validated(), 1);
}

// A result is stored as the engine holds it, its report still serialised, and reads back as a
// gongkai.v1.ReportResult; its region (for Results' filter) is the one the document was submitted with.
TEST_F(SqliteStoreTest, AResultWithItsReportSerialisedReadsBackWhole) {
  auto store = *OpenSqliteStore(Path());
  std::string job = *store->CreateJob("me");
  v1::Document doc = Doc("a");
  doc.mutable_metadata()->set_region_code("330106");
  std::vector<bool> added;
  ASSERT_TRUE(store->AddDocuments("me", job, {doc, Doc("b")}, &added).ok());
  ASSERT_TRUE(store->Seal("me", job).ok());
  std::vector<WorkItem> items = *store->Claim(10);
  ASSERT_EQ(items.size(), 2u);
  v1::AnnualReport report;
  report.set_agency("西湖区人民政府");
  report.set_report_year(2024);
  report.mutable_table3()->add_cells()->set_key("t3.received_new.total");
  std::vector<std::pair<WorkItem, wire::ReportResult>> results(2);
  for (int i = 0; i < 2; ++i) {
    results[i].first = items[i];
    results[i].second.set_document_id(items[i].document.metadata().document_id());
    results[i].second.set_report(report.SerializeAsString());
    v1::Finding* f = results[i].second.add_findings();
    f->set_rule_id("t3.balance");
    f->set_severity(v1::SEVERITY_ERROR);
    f->set_outcome(v1::OUTCOME_FAILED);
  }
  ASSERT_TRUE(store->Complete(results).ok());
  ResultFilter filter;
  filter.region_prefix = "3301";
  std::vector<v1::ReportResult> got;
  ASSERT_TRUE(store->Results("me", job, filter, [&](int64_t, v1::ReportResult r) { got.push_back(std::move(r)); }).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].document_id(), "a");
  EXPECT_EQ(got[0].report().agency(), "西湖区人民政府");
  EXPECT_EQ(got[0].report().table3().cells(0).key(), "t3.received_new.total");
  ASSERT_EQ(got[0].findings_size(), 1);
  EXPECT_EQ(got[0].findings(0).rule_id(), "t3.balance");
}

// A worker's finished batch and its next one in one transaction: the results are written once, the next
// documents are claimed once, and the counters see each document once.
TEST_F(SqliteStoreTest, CompleteAndClaimStoresOneBatchAndClaimsTheNext) {
  auto store = *OpenSqliteStore(Path());
  std::string job = SealedJob(store.get(), {"a", "b", "c", "d", "e"});
  std::vector<WorkItem> first = *store->Claim(2);
  ASSERT_EQ(first.size(), 2u);
  std::vector<std::pair<WorkItem, wire::ReportResult>> results;
  for (const WorkItem& item : first) results.push_back({item, wire::ReportResult()});
  std::vector<bool> written;
  absl::StatusOr<std::vector<WorkItem>> next = store->CompleteAndClaim(results, &written, 2);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(written, std::vector<bool>({true, true}));
  ASSERT_EQ(next->size(), 2u);
  EXPECT_EQ((*next)[0].document.metadata().document_id(), "c");
  EXPECT_EQ((*next)[1].document.metadata().document_id(), "d");
  EXPECT_EQ(store->Progress("me", job)->validated(), 2);
  // The same results again write nothing; only "e" is left to claim.
  absl::StatusOr<std::vector<WorkItem>> last = store->CompleteAndClaim(results, &written, 2);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(written, std::vector<bool>({false, false}));
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].document.metadata().document_id(), "e");
  EXPECT_EQ(store->Progress("me", job)->validated(), 2);
  EXPECT_TRUE(store->Claim(5)->empty());
}

// Documents claimed but never sent go back to pending with the attempt their claim counted taken back:
// a gateway that stops again and again never fails a document for it.
TEST_F(SqliteStoreTest, UnclaimedDocumentsKeepTheirAttempts) {
  auto store = *OpenSqliteStore(Path());
  std::string job = SealedJob(store.get(), {"a", "b"});
  for (int round = 0; round < 5; ++round) {
    std::vector<WorkItem> items = *store->Claim(2);
    ASSERT_EQ(items.size(), 2u) << "round " << round;
    EXPECT_EQ(items[0].attempts, 0) << "round " << round;
    EXPECT_EQ(items[1].attempts, 0) << "round " << round;
    ASSERT_TRUE(store->Unclaim(items).ok());
  }
  // A released (sent, then failed) document does count its attempt.
  std::vector<WorkItem> items = *store->Claim(2);
  ASSERT_TRUE(store->Release(items, 3, "replica down").ok());
  items = *store->Claim(2);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].attempts, 1);
  EXPECT_EQ(store->Progress("me", job)->validated(), 0);
}

// What the store writes is compressed when that pays (blob_codec.h), blobs written plain by earlier stores
// still read, and a blob that cannot be read makes a failed result that says so: the job still ends with
// every document counted.
TEST_F(SqliteStoreTest, BlobsAreCompressedPlainOnesStillReadAndDamagedOnesFailTheirDocument) {
  auto store = *OpenSqliteStore(Path());
  std::string job = *store->CreateJob("me");
  v1::Document big = Doc("big");
  for (int i = 0; i < 200; ++i) big.mutable_content()->append("一、总体情况。本年度共主动公开政府信息。\n");
  std::vector<bool> added;
  ASSERT_TRUE(store->AddDocuments("me", job, {big, Doc("plain"), Doc("damaged")}, &added).ok());
  ASSERT_TRUE(store->Seal("me", job).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &db), SQLITE_OK);
  auto blob_size = [&](const std::string& column, const std::string& doc_id) {
    sqlite3_stmt* s = nullptr;
    std::string sql = absl::StrCat("SELECT length(", column, ") FROM documents WHERE doc_id = ?");
    sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
    sqlite3_bind_text(s, 1, doc_id.c_str(), -1, SQLITE_TRANSIENT);
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
  };
  EXPECT_LT(blob_size("document", "big") * 5, static_cast<int64_t>(big.ByteSizeLong()));
  // "plain" as a store before compression wrote it; "damaged" a frame cut short.
  auto set_document = [&](const std::string& doc_id, const std::string& blob) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "UPDATE documents SET document = ? WHERE doc_id = ?", -1, &s, nullptr);
    sqlite3_bind_blob(s, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, doc_id.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
  };
  v1::Document plain = Doc("plain");
  plain.set_content(std::string(3000, 'x'));
  set_document("plain", plain.SerializeAsString());
  set_document("damaged", std::string("\x04LZ4\x00\x10\x00\x00\xff\xff", 10));
  std::vector<WorkItem> items = *store->Claim(10);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].document.content(), big.content());
  EXPECT_EQ(items[1].document.content(), plain.content());
  v1::JobProgress p = *store->Progress("me", job);
  EXPECT_EQ(p.failed(), 1);  // "damaged", at once
  v1::AnnualReport report;
  InitTables(v1::TEMPLATE_VERSION_V2021, &report);
  std::vector<std::pair<WorkItem, wire::ReportResult>> results;
  for (const WorkItem& item : items) {
    wire::ReportResult r;
    r.set_document_id(item.document.metadata().document_id());
    r.set_report(report.SerializeAsString());
    results.push_back({item, std::move(r)});
  }
  ASSERT_TRUE(store->Complete(results).ok());
  EXPECT_LT(blob_size("result", "big") * 3, static_cast<int64_t>(report.ByteSizeLong()));
  EXPECT_EQ(store->Progress("me", job)->state(), "checking");
  std::vector<v1::ReportResult> got;
  ASSERT_TRUE(store->Results("me", job, ResultFilter(), [&](int64_t, v1::ReportResult r) { got.push_back(std::move(r)); }).ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].report().table3().cells_size(), 175);
  EXPECT_EQ(got[0].report().table3().cells(0).key(), report.table3().cells(0).key());
  EXPECT_NE(got[2].error().find("cannot be read"), std::string::npos) << got[2].error();
  sqlite3_close(db);
}

}  // namespace
}  // namespace gongkai::gateway
