#!/usr/bin/python3
"""A generic client lists and describes a server's services through server reflection alone.

Usage: reflection_client.py STUBS_DIR ADDRESS EXPECTED_SERVICE [METHOD...]

Knows nothing of gongkai's protos: it asks the server which services it has, fetches the file that defines
EXPECTED_SERVICE (and the files it imports), and checks that the service is there with the named methods and
that every message a method takes or returns is described. Exits non-zero saying what was missing.
"""
import sys

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
from google.protobuf import descriptor_pb2  # noqa: E402
import reflection_v1alpha_pb2 as reflection_pb2  # noqa: E402
import reflection_v1alpha_pb2_grpc  # noqa: E402


def fail(message):
    print("reflection client: " + message, file=sys.stderr)
    sys.exit(1)


def ask(stub, **request):
    responses = list(stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(**request)]), timeout=10))
    if len(responses) != 1:
        fail("expected one answer to %s, got %d" % (request, len(responses)))
    r = responses[0]
    if r.HasField("error_response"):
        fail("the server could not answer %s: %s" % (request, r.error_response.error_message))
    return r


def main():
    address, service, methods = sys.argv[2], sys.argv[3], sys.argv[4:]
    channel = grpc.insecure_channel(address)
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = reflection_v1alpha_pb2_grpc.ServerReflectionStub(channel)

    listed = [s.name for s in ask(stub, list_services="").list_services_response.service]
    for wanted in (service, "grpc.health.v1.Health"):
        if wanted not in listed:
            fail("%s is not among the listed services %s" % (wanted, listed))

    files = {}
    for blob in ask(stub, file_containing_symbol=service).file_descriptor_response.file_descriptor_proto:
        fd = descriptor_pb2.FileDescriptorProto.FromString(blob)
        files[fd.name] = fd
    # Follow the imports the server has not sent yet.
    pending = [d for fd in list(files.values()) for d in fd.dependency if d not in files]
    while pending:
        name = pending.pop()
        if name in files:
            continue
        for blob in ask(stub, file_by_filename=name).file_descriptor_response.file_descriptor_proto:
            fd = descriptor_pb2.FileDescriptorProto.FromString(blob)
            files[fd.name] = fd
            pending.extend(d for d in fd.dependency if d not in files)

    messages = set()
    for fd in files.values():
        for m in fd.message_type:
            messages.add(".%s.%s" % (fd.package, m.name) if fd.package else "." + m.name)
    package, _, name = service.rpartition(".")
    found = None
    for fd in files.values():
        if fd.package == package:
            for s in fd.service:
                if s.name == name:
                    found = s
    if found is None:
        fail("no file the server sent defines %s" % service)
    have = {m.name: m for m in found.method}
    for method in methods:
        if method not in have:
            fail("%s has no method %s (it has %s)" % (service, method, sorted(have)))
    for m in have.values():
        for t in (m.input_type, m.output_type):
            if t not in messages:
                fail("%s.%s uses %s, which no file describes" % (service, m.name, t))
    print("reflection client: %s lists %d services; %s has %d methods, all their messages described"
          % (address, len(listed), service, len(have)))


if __name__ == "__main__":
    main()
