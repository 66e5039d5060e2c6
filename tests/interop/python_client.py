#!/usr/bin/python3
"""A gateway client written with another gRPC implementation (Debian's python3-grpcio).

Usage: python_client.py STUBS_DIR GATEWAY_ADDRESS REPORT_FILE...

Submits the reports as one job, watches it to the end, pages through the results and asks for the summary,
then checks what it got against itself: every report accounted for once, and the summary's sums equal to
the sums of the results' own cells (for the reports the aggregator keeps: no ERROR finding). Exits non-zero
with a message saying what differed.
"""
import os
import sys

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
from gongkai.v1 import finding_pb2, gateway_service_pb2, gateway_service_pb2_grpc, report_pb2  # noqa: E402


def fail(message):
    print("python client: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    address, files = sys.argv[2], sys.argv[3:]
    channel = grpc.insecure_channel(address)
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = gateway_service_pb2_grpc.GatewayServiceStub(channel)
    caller = (("x-gongkai-caller", "python-interop"),)

    def document(path):
        with open(path, "rb") as f:
            doc = gateway_service_pb2.Document(content=f.read())
        doc.metadata.document_id = os.path.basename(path)
        doc.metadata.file_name = os.path.basename(path)
        return doc

    def requests():
        for path in files:
            yield gateway_service_pb2.SubmitRequest(document=document(path))
        # The first document again, then the seal: it must count as a duplicate, not as a new report.
        yield gateway_service_pb2.SubmitRequest(document=document(files[0]), seal=True)

    submitted = stub.Submit(requests(), metadata=caller, timeout=30)
    if submitted.accepted != len(files) or submitted.duplicates != 1:
        fail("Submit accepted %d and saw %d duplicates of %d documents" %
             (submitted.accepted, submitted.duplicates, len(files)))
    job = submitted.job_id

    # A sealed job takes no more documents: a clear FAILED_PRECONDITION, not a silent drop.
    try:
        extra = gateway_service_pb2.Document(content=b"x")
        extra.metadata.document_id = "late"
        stub.Submit(iter([gateway_service_pb2.SubmitRequest(job_id=job, document=extra)]), metadata=caller,
                    timeout=10)
        fail("a sealed job accepted another document")
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.FAILED_PRECONDITION:
            fail("a document for a sealed job got %s (%s), expected FAILED_PRECONDITION" % (e.code(), e.details()))

    last = None
    for progress in stub.Watch(gateway_service_pb2.JobRequest(job_id=job), metadata=caller, timeout=60):
        last = progress
        if progress.state in ("done", "cancelled"):
            break
    if last is None or last.state != "done":
        fail("the job did not finish: %s" % last)
    if last.received != len(files) or last.validated + last.failed != len(files):
        fail("progress counts %d received, %d validated, %d failed for %d documents" %
             (last.received, last.validated, last.failed, len(files)))

    results, token = [], ""
    while True:
        page = stub.Results(gateway_service_pb2.ResultsRequest(job_id=job, page_size=2, page_token=token),
                            metadata=caller, timeout=30)
        results.extend(page.results)
        token = page.next_page_token
        if not token:
            break
    ids = sorted(r.document_id for r in results)
    if ids != sorted(os.path.basename(p) for p in files):
        fail("results name %s, expected each of %s once" % (ids, sorted(os.path.basename(p) for p in files)))

    expected = {}
    kept = 0
    for r in results:
        if r.error:
            fail("%s was not parsed: %s" % (r.document_id, r.error))
        errors = [f for f in r.findings
                  if f.outcome == finding_pb2.OUTCOME_FAILED and f.severity == finding_pb2.SEVERITY_ERROR]
        if errors:
            continue
        if r.report.version not in (report_pb2.TEMPLATE_VERSION_V2021, report_pb2.TEMPLATE_VERSION_V2019):
            continue
        kept += 1
        for table in (r.report.table2, r.report.table3, r.report.table4):
            for cell in table.cells:
                if cell.state == report_pb2.CELL_STATE_PRESENT and cell.WhichOneof("value") == "int_value":
                    expected[cell.key] = expected.get(cell.key, 0) + cell.int_value

    aggregate = stub.Summary(gateway_service_pb2.JobRequest(job_id=job), metadata=caller, timeout=60)
    got, reports = {}, 0
    for node in aggregate.nodes.values():
        reports += node.reports
        for sums_by_version in (node.sums, node.area_sums):
            for sums in sums_by_version.values():
                for key, value in sums.cells.items():
                    if key in expected:
                        got[key] = got.get(key, 0) + value
    if reports != len(files):
        fail("the summary holds %d reports, expected %d" % (reports, len(files)))
    if kept == 0 or not expected:
        fail("no report was kept for the sums; the check would prove nothing")
    differing = [(k, expected[k], got.get(k)) for k in sorted(expected) if got.get(k) != expected[k]]
    if differing:
        fail("summary sums differ from the results' cells: %s" % differing[:5])

    # Another caller sees nothing of this job.
    try:
        stub.Summary(gateway_service_pb2.JobRequest(job_id=job), metadata=(("x-gongkai-caller", "someone-else"),),
                     timeout=10)
        fail("another caller read this job's summary")
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.NOT_FOUND:
            fail("another caller got %s, expected NOT_FOUND" % e.code())

    print("python client: job %s, %d reports, %d summed, %d cell sums agree" % (job, len(files), kept, len(expected)))


if __name__ == "__main__":
    main()
