#include "services/gateway/engine.h"

#include <array>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging.h"
#include "common/schema.h"
#include "common/status_macros.h"
#include "grpcpp/create_channel.h"

namespace gongkai::gateway {
namespace {

// The rule the job-wide checks run (FORMAT.md's id).
constexpr char kCopiedRule[] = "batch.copied";

}  // namespace

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
  validator_stub_ = v1::ValidatorService::NewStub(validator_channel_);
}

Engine::~Engine() { Stop(); }

absl::Status Engine::Start() {
  absl::StatusOr<int64_t> recovered = store_->RecoverInterrupted();
  if (!recovered.ok()) return recovered.status();
  if (*recovered > 0) {
    Log(LogSeverity::kInfo, "documents left in work by a previous process are pending again",
        {{"documents", absl::StrCat(*recovered)}});
  }
  stop_seen_ = stopping_.Count();
  running_ = true;
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this, i] { Work(i); });
  threads_.emplace_back([this] { CheckJobs(); });
  return absl::OkStatus();
}

void Engine::Stop() {
  if (!running_.exchange(false)) return;
  // Idle threads wait on the store's signals, and threads backing off on their own: wake them all. Calls in
  // flight are cancelled; their batches go back to pending as they were.
  stopping_.Notify();
  store_->signals().work.Notify();
  store_->signals().jobs.Notify();
  {
    absl::MutexLock lock(&calls_mu_);
    for (grpc::ClientContext* context : calls_) context->TryCancel();
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void Engine::Pause(absl::Duration d) { stopping_.Await(stop_seen_, d); }

Engine::CancelOnStop::CancelOnStop(Engine* engine, grpc::ClientContext* context) : engine_(engine), context_(context) {
  absl::MutexLock lock(&engine_->calls_mu_);
  // Stop clears running_ before it cancels what is registered: a call registered after that is cancelled here.
  if (!engine_->running_) context_->TryCancel();
  engine_->calls_.insert(context_);
}

Engine::CancelOnStop::~CancelOnStop() {
  absl::MutexLock lock(&engine_->calls_mu_);
  engine_->calls_.erase(context_);
}

void Engine::SetOnCompleted(CompletedFn fn) {
  absl::MutexLock lock(&mu_);
  on_completed_ = std::move(fn);
}

void Engine::SetOnAmending(AmendingFn fn) {
  absl::MutexLock lock(&mu_);
  on_amending_ = std::move(fn);
}

std::string Engine::WaitingFor() const {
  absl::MutexLock lock(&mu_);
  if (checks_waiting_for_.empty()) return waiting_for_;
  if (waiting_for_.empty()) return checks_waiting_for_;
  return absl::StrCat(waiting_for_, "; ", checks_waiting_for_);
}

void Engine::Work(int worker) {
  absl::Duration backoff = options_.backoff_initial;
  std::vector<WorkItem> next;  // claimed in the transaction that stored the last batch's results
  while (running_) {
    std::vector<WorkItem> items;
    if (!next.empty()) {
      items.swap(next);
    } else {
      int64_t seen = store_->signals().work.Count();  // read before looking, so that no new work is missed
      absl::StatusOr<std::vector<WorkItem>> claimed = store_->Claim(options_.batch_size);
      if (!claimed.ok()) {
        Log(LogSeverity::kError, "claiming work failed", {{"error", std::string(claimed.status().message())}});
        Pause(backoff);
        continue;
      }
      if (claimed->empty()) {
        store_->signals().work.Await(seen, options_.idle_poll);
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
    if (!running_) {
      // Cut short by Stop, not failed by a replica: back to pending with the attempt taken back.
      absl::Status unclaimed = store_->Unclaim(items);
      if (!unclaimed.ok()) Log(LogSeverity::kError, "releasing work failed", {{"error", std::string(unclaimed.message())}});
      break;
    }
    {
      absl::MutexLock lock(&mu_);
      waiting_for_ = reason;
    }
    Log(LogSeverity::kWarning, "batch returned to pending", {{"worker", absl::StrCat(worker)}, {"reason", reason},
                                                             {"documents", absl::StrCat(items.size())}});
    absl::Status released = store_->Release(items, options_.max_attempts, reason);
    if (!released.ok()) Log(LogSeverity::kError, "releasing work failed", {{"error", std::string(released.message())}});
    Pause(backoff);
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
    CancelOnStop cancel_on_stop(this, &context);
    grpc::Status status = (*parse_batch_)(&context, parse_request, &parsed);
    if (!status.ok() || parsed.results_size() != static_cast<int>(items.size())) {
      *reason = absl::StrCat("parser replicas: ", status.ok() ? "wrong number of results" : status.error_message(),
                             " (", static_cast<int>(status.error_code()), ")");
      return false;
    }
  }
  wire::ValidateBatchRequest validate_request;
  validate_request.set_narrative_signatures(options_.job_wide_copies);
  std::vector<int> validated;  // index into items of each report sent
  // A report's bytes move from the parser's answer to the validator's request and then into the result:
  // the gateway never parses a report, and never copies one.
  for (int i = 0; i < parsed.results_size(); ++i) {
    if (parsed.results(i).has_report()) {
      validate_request.add_reports()->mutable_report()->swap(*parsed.mutable_results(i)->mutable_report());
      validated.push_back(i);
    }
  }
  // Who filed each report for which year; with the job-wide history checks, last year's report of the same
  // organ goes with it when the caller's jobs already hold it (the rest are checked when the job ends).
  std::vector<ReportIdentity> identities(validated.size());
  std::vector<bool> had_previous(validated.size(), false);
  if (options_.job_wide_history) {
    std::map<std::string, std::vector<size_t>> by_job;
    for (size_t k = 0; k < validated.size(); ++k) {
      absl::StatusOr<ReportIdentity> identity = ReportIdentityFromBytes(validate_request.reports(static_cast<int>(k)).report());
      if (identity.ok()) identities[k] = *std::move(identity);
      by_job[items[static_cast<size_t>(validated[k])].job_id].push_back(k);
    }
    for (const auto& [job, ks] : by_job) {
      std::vector<ReportIdentity> asked;
      for (size_t k : ks) asked.push_back(identities[k]);
      absl::StatusOr<std::vector<std::string>> previous = store_->LastYearsReports(job, asked);
      if (!previous.ok()) {
        *reason = absl::StrCat("job store: ", previous.status().message());
        return false;
      }
      for (size_t n = 0; n < ks.size(); ++n) {
        if ((*previous)[n].empty()) continue;
        validate_request.mutable_reports(static_cast<int>(ks[n]))->mutable_previous()->swap((*previous)[n]);
        had_previous[ks[n]] = true;
      }
    }
  }
  v1::ValidateBatchResponse checked;
  if (!validated.empty()) {
    absl::Status status = ValidateBatch(validate_request, &checked);
    if (!status.ok()) {
      *reason = std::string(status.message());
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
  // The call that validated a document: the lowest seq of its job's documents in this call.
  std::map<std::string, int64_t> call_of_job;
  for (int i : validated) {
    const WorkItem& item = items[static_cast<size_t>(i)];
    auto [it, added] = call_of_job.emplace(item.job_id, item.seq);
    if (!added) it->second = std::min(it->second, item.seq);
  }
  for (size_t k = 0; k < validated.size(); ++k) {
    auto& [item, result] = results[static_cast<size_t>(validated[k])];
    v1::ValidateResponse& answer = *checked.mutable_results(static_cast<int>(k));
    result.mutable_report()->swap(*validate_request.mutable_reports(static_cast<int>(k))->mutable_report());
    result.mutable_findings()->Swap(answer.mutable_findings());
    item.narrative_signature.swap(*answer.mutable_narrative_signature());
    item.validated_in = call_of_job[item.job_id];
    item.agency = std::move(identities[k].agency);
    item.report_year = identities[k].report_year;
    item.had_previous = had_previous[k];
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

void Engine::CheckJobs() {
  absl::Duration backoff = options_.backoff_initial;
  while (running_) {
    int64_t seen = store_->signals().jobs.Count();
    absl::StatusOr<std::string> job = store_->NextToCheck();
    if (!job.ok() || job->empty()) {
      if (!job.ok()) Log(LogSeverity::kError, "finding a job to check failed", {{"error", std::string(job.status().message())}});
      store_->signals().jobs.Await(seen, options_.idle_poll);
      continue;
    }
    absl::Status checked = CheckJob(*job);
    if (checked.ok()) {
      backoff = options_.backoff_initial;
      absl::MutexLock lock(&mu_);
      checks_waiting_for_.clear();
      continue;
    }
    if (!running_) break;
    {
      absl::MutexLock lock(&mu_);
      checks_waiting_for_ = absl::StrCat("job-wide checks: ", checked.message());
    }
    Log(LogSeverity::kWarning, "job-wide checks will be tried again", {{"job", *job}, {"reason", std::string(checked.message())}});
    Pause(backoff);
    backoff = std::min(backoff * 2, options_.backoff_max);
  }
}

absl::Status Engine::CheckJob(const std::string& job) {
  std::map<int64_t, std::vector<v1::Finding>> found;
  if (options_.job_wide_copies || options_.job_wide_history) {
    // The validators' rule set says which rules run and at which severity; each pass's calls run its own
    // rules alone, at those severities.
    v1::ListRulesResponse rules;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_deadline));
    CancelOnStop cancel_on_stop(this, &context);
    grpc::Status status = validator_stub_->ListRules(&context, {}, &rules);
    if (!status.ok()) return absl::UnavailableError(absl::StrCat("validator replicas: ", status.error_message()));
    if (options_.job_wide_copies) GONGKAI_RETURN_IF_ERROR(JobWideCopies(job, rules, &found));
    if (options_.job_wide_history) GONGKAI_RETURN_IF_ERROR(JobWideHistory(job, rules, &found));
  }
  AmendingFn on_amending;
  {
    absl::MutexLock lock(&mu_);
    on_amending = on_amending_;
  }
  bool announced = false;
  if (!found.empty() && on_amending) {
    // What was passed on with each result, and what is added to it.
    std::vector<int64_t> seqs;
    for (const auto& [seq, f] : found) seqs.push_back(seq);
    absl::StatusOr<std::map<int64_t, wire::ReportResult>> stored = store_->StoredResults(job, seqs);
    if (!stored.ok()) return stored.status();
    std::vector<Amendment> amendments;
    for (auto& [seq, result] : *stored) {
      Amendment& a = amendments.emplace_back();
      a.report.swap(*result.mutable_report());
      a.findings.Swap(result.mutable_findings());
      for (const v1::Finding& f : found[seq]) *a.added.Add() = f;
    }
    on_amending(job, &amendments);
    announced = true;
  }
  absl::StatusOr<bool> finished = store_->FinishChecks(job, found);
  if (announced && (!finished.ok() || !*finished)) on_amending(job, nullptr);
  if (!finished.ok()) return finished.status();
  size_t findings = 0;
  for (const auto& [seq, f] : found) findings += f.size();
  Log(LogSeverity::kInfo, *finished ? "job done" : "job left checking (cancelled, or finished elsewhere)",
      {{"job", job}, {"job_wide_findings", absl::StrCat(*finished ? findings : 0)}});
  return absl::OkStatus();
}

absl::Status Engine::JobWideCopies(const std::string& job, const v1::ListRulesResponse& rules,
                                   std::map<int64_t, std::vector<v1::Finding>>* found) {
  bool active = false;
  v1::RuleConfig only_copied = OnlyRules(
      rules, "job-wide batch.copied", [](absl::string_view id) { return id == kCopiedRule; }, &active);
  if (!active) return absl::OkStatus();

  // Every signature to the validator, in chunks; it answers the candidate pairs.
  absl::Time started = absl::Now();
  std::map<int64_t, int64_t> call_of;  // seq -> the call that validated it
  v1::NarrativePairs pairs;
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.check_deadline));
    CancelOnStop cancel_on_stop(this, &context);
    auto writer = validator_stub_->PairNarratives(&context, &pairs);
    v1::NarrativeSignatures chunk;
    chunk.set_max_pairs_per_report(options_.max_copies_per_report);
    bool open = true;
    absl::Status read = store_->NarrativeSignatures(job, [&](int64_t seq, int64_t validated_in, absl::string_view signature) {
      call_of[seq] = validated_in;
      v1::NarrativeSignatures::Entry* e = chunk.add_entries();
      e->set_id(seq);
      e->set_signature(std::string(signature));
      if (chunk.entries_size() == 1024) {
        open = open && writer->Write(chunk);
        chunk.Clear();
      }
    });
    if (!read.ok()) {
      context.TryCancel();
      writer->Finish().IgnoreError();
      return read;
    }
    if (open && (chunk.entries_size() > 0 || chunk.max_pairs_per_report() > 0)) writer->Write(chunk);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (!status.ok()) return absl::UnavailableError(absl::StrCat("validator replicas: ", status.error_message()));
  }

  // Each candidate from two different calls (a call compared its own reports) confirmed by the two
  // reports validated together, on as many threads as the engine has workers; the findings are gathered in
  // pair order, so that a job's results do not depend on which thread finished first.
  std::vector<std::pair<int64_t, int64_t>> todo;
  for (const v1::NarrativePairs::Pair& pair : pairs.pairs()) {
    auto a = call_of.find(pair.a()), b = call_of.find(pair.b());
    if (a == call_of.end() || b == call_of.end() || a->second == b->second) continue;
    todo.emplace_back(pair.a(), pair.b());
  }
  absl::Time paired = absl::Now();
  std::vector<std::array<std::vector<v1::Finding>, 2>> answers(todo.size());
  GONGKAI_RETURN_IF_ERROR(InParallel(todo.size(), [&](size_t i) {
    return ConfirmCopied(job, todo[i], only_copied, &answers[i]);
  }));
  int64_t confirmed = 0;
  for (size_t i = 0; i < todo.size(); ++i) {
    confirmed += !answers[i][0].empty() || !answers[i][1].empty();
    for (int k = 0; k < 2; ++k) {
      int64_t seq = k == 0 ? todo[i].first : todo[i].second;
      for (v1::Finding& f : answers[i][k]) (*found)[seq].push_back(std::move(f));
    }
  }
  int64_t compared = static_cast<int64_t>(todo.size());
  Log(LogSeverity::kInfo, "job-wide batch.copied",
      {{"job", job}, {"signatures", absl::StrCat(call_of.size())}, {"candidates", absl::StrCat(pairs.pairs_size())},
       {"compared", absl::StrCat(compared)}, {"copied", absl::StrCat(confirmed)},
       {"left_out", absl::StrCat(pairs.left_out())},
       {"pairing_ms", absl::StrCat(absl::ToInt64Milliseconds(paired - started))},
       {"confirming_ms", absl::StrCat(absl::ToInt64Milliseconds(absl::Now() - paired))}});
  return absl::OkStatus();
}

absl::Status Engine::ValidateBatch(const wire::ValidateBatchRequest& request, v1::ValidateBatchResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_deadline));
  CancelOnStop cancel_on_stop(this, &context);
  grpc::Status status = (*validate_batch_)(&context, request, response);
  if (!status.ok() || response->results_size() != request.reports_size()) {
    return absl::UnavailableError(absl::StrCat("validator replicas: ",
                                               status.ok() ? "wrong number of results" : status.error_message(), " (",
                                               static_cast<int>(status.error_code()), ")"));
  }
  return absl::OkStatus();
}

v1::RuleConfig Engine::OnlyRules(const v1::ListRulesResponse& rules, absl::string_view name,
                                 const std::function<bool(absl::string_view)>& keep, bool* any) {
  v1::RuleConfig config;
  config.set_name(std::string(name));
  *any = false;
  for (const v1::RuleInfo& rule : rules.rules()) {
    v1::RuleConfig::Override* o = config.add_overrides();
    o->set_rule_id(rule.id());
    if (keep(rule.id())) {
      o->set_severity(rule.default_severity());
      *any = true;
    } else {
      o->set_disabled(true);
    }
  }
  return config;
}

absl::Status Engine::InParallel(size_t n, const std::function<absl::Status(size_t)>& fn) {
  std::atomic<size_t> next{0};
  absl::Mutex error_mu;
  absl::Status error;
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      absl::Status status = running_ ? fn(i) : absl::AbortedError("the gateway is stopping");
      if (!status.ok()) {
        absl::MutexLock lock(&error_mu);
        if (error.ok()) error = status;
        next = n;
      }
    }
  };
  std::vector<std::thread> threads;
  size_t n_threads = std::min<size_t>(static_cast<size_t>(std::max(1, options_.workers)), n);
  for (size_t t = 1; t < n_threads; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  return error;
}

absl::Status Engine::JobWideHistory(const std::string& job, const v1::ListRulesResponse& rules,
                                    std::map<int64_t, std::vector<v1::Finding>>* found) {
  bool active = false;
  v1::RuleConfig only_history = OnlyRules(
      rules, "job-wide history", [](absl::string_view id) { return absl::StartsWith(id, "history."); }, &active);
  if (!active) return absl::OkStatus();
  // Last year's report of each organ, the latest job's first; none where the call that validated the
  // report held one (the validator found it there).
  absl::Time started = absl::Now();
  std::map<int64_t, PreviousFiling> chosen;
  std::set<int64_t> found_in_call;
  GONGKAI_RETURN_IF_ERROR(store_->PreviousFilings(job, [&](const PreviousFiling& f) {
    if (f.previous_job == job && f.previous_validated_in == f.validated_in) found_in_call.insert(f.seq);
    chosen.emplace(f.seq, f);
  }));
  std::vector<PreviousFiling> todo;
  for (const auto& [seq, f] : chosen) {
    if (!found_in_call.count(seq)) todo.push_back(f);
  }
  // A batch of reports per call, each with its own last year's report; the findings of todo[i] go to
  // answers[i], gathered in todo's order.
  const size_t per_call = static_cast<size_t>(std::max(1, options_.batch_size));
  std::vector<std::vector<v1::Finding>> answers(todo.size());
  GONGKAI_RETURN_IF_ERROR(InParallel((todo.size() + per_call - 1) / per_call, [&](size_t c) -> absl::Status {
    std::vector<size_t> sent;  // index into todo of each report sent
    std::vector<int64_t> now_seqs;
    for (size_t i = c * per_call; i < std::min(todo.size(), (c + 1) * per_call); ++i) now_seqs.push_back(todo[i].seq);
    absl::StatusOr<std::map<int64_t, wire::ReportResult>> now = store_->StoredResults(job, now_seqs);
    if (!now.ok()) return now.status();
    wire::ValidateBatchRequest request;
    *request.mutable_rules() = only_history;
    for (size_t i = c * per_call; i < std::min(todo.size(), (c + 1) * per_call); ++i) {
      auto report = now->find(todo[i].seq);
      absl::StatusOr<std::map<int64_t, wire::ReportResult>> then =
          store_->StoredResults(todo[i].previous_job, {todo[i].previous_seq});
      if (!then.ok()) return then.status();
      if (report == now->end() || report->second.report().empty() || then->empty() ||
          then->begin()->second.report().empty()) {
        continue;  // unreadable, or not a report
      }
      wire::ValidateRequest* r = request.add_reports();
      r->mutable_report()->swap(*report->second.mutable_report());
      r->mutable_previous()->swap(*then->begin()->second.mutable_report());
      sent.push_back(i);
    }
    if (sent.empty()) return absl::OkStatus();
    v1::ValidateBatchResponse answer;
    GONGKAI_RETURN_IF_ERROR(ValidateBatch(request, &answer));
    for (size_t k = 0; k < sent.size(); ++k) {
      for (v1::Finding& f : *answer.mutable_results(static_cast<int>(k))->mutable_findings()) {
        if (absl::StartsWith(f.rule_id(), "history.")) answers[sent[k]].push_back(std::move(f));
      }
    }
    return absl::OkStatus();
  }));
  int64_t with_findings = 0;
  for (size_t i = 0; i < todo.size(); ++i) {
    if (answers[i].empty()) continue;
    ++with_findings;
    std::vector<v1::Finding>& out = (*found)[todo[i].seq];
    for (v1::Finding& f : answers[i]) out.push_back(std::move(f));
  }
  Log(LogSeverity::kInfo, "job-wide history",
      {{"job", job}, {"with_last_year", absl::StrCat(chosen.size())}, {"found_in_call", absl::StrCat(found_in_call.size())},
       {"compared", absl::StrCat(todo.size())}, {"with_findings", absl::StrCat(with_findings)},
       {"ms", absl::StrCat(absl::ToInt64Milliseconds(absl::Now() - started))}});
  return absl::OkStatus();
}

absl::Status Engine::ConfirmCopied(const std::string& job, std::pair<int64_t, int64_t> pair,
                                   const v1::RuleConfig& only_copied, std::array<std::vector<v1::Finding>, 2>* found) {
  absl::StatusOr<std::map<int64_t, wire::ReportResult>> stored = store_->StoredResults(job, {pair.first, pair.second});
  if (!stored.ok()) return stored.status();
  if (stored->size() != 2 || stored->begin()->second.report().empty() || stored->rbegin()->second.report().empty()) {
    return absl::OkStatus();  // a document that did not parse has no narrative
  }
  wire::ValidateBatchRequest request;
  *request.mutable_rules() = only_copied;
  for (auto& [seq, result] : *stored) request.add_reports()->mutable_report()->swap(*result.mutable_report());
  v1::ValidateBatchResponse answer;
  GONGKAI_RETURN_IF_ERROR(ValidateBatch(request, &answer));
  for (int k = 0; k < 2; ++k) {
    for (v1::Finding& f : *answer.mutable_results(k)->mutable_findings()) {
      if (f.rule_id() == kCopiedRule && f.outcome() == v1::OUTCOME_FAILED) (*found)[k].push_back(std::move(f));
    }
  }
  return absl::OkStatus();
}

}  // namespace gongkai::gateway
