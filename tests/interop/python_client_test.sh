#!/usr/bin/env bash
# A client written with another gRPC implementation (python3-grpcio, stubs generated here from protos/ by
# python3-grpc-tools) runs a batch through the four real services on loopback ports; then a generic client
# lists and describes every service through server reflection alone.
# Usage: python_client_test.sh PROTOS_DIR DATA_DIR PARSER VALIDATOR AGGREGATOR GATEWAY
set -euo pipefail
protos="$1"; data="$2"; parser_bin="$3"; validator_bin="$4"; aggregator_bin="$5"; gateway_bin="$6"
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if ! "$py" -c 'import grpc, grpc_tools' 2>/dev/null; then
  echo "python3-grpcio and python3-grpc-tools are needed (make deps installs them)"; exit 1
fi
source "$here/../testing/services.sh"

"$py" -m grpc_tools.protoc -I "$protos" --python_out="$work" --grpc_python_out="$work" "$protos"/gongkai/v1/*.proto
"$py" -m grpc_tools.protoc -I "$here/protos" --python_out="$work" --grpc_python_out="$work" \
  "$here/protos/reflection_v1alpha.proto"
touch "$work/gongkai/__init__.py" "$work/gongkai/v1/__init__.py"

start parser "$parser_bin" "$base"
start validator "$validator_bin" $((base + 1))
start aggregator "$aggregator_bin" $((base + 2))
start gateway "$gateway_bin" $((base + 3)) --parser "ipv4:127.0.0.1:$base" --validator "ipv4:127.0.0.1:$((base + 1))" \
  --aggregator "127.0.0.1:$((base + 2))" --store "$work/jobs.sqlite"

"$py" "$here/python_client.py" "$work" "127.0.0.1:$((base + 3))" "$data"/reports/*

# Server reflection: a generic client lists and describes each service.
"$py" "$here/reflection_client.py" "$work" "127.0.0.1:$base" gongkai.v1.ParserService Parse ParseBatch ParseStream
"$py" "$here/reflection_client.py" "$work" "127.0.0.1:$((base + 1))" gongkai.v1.ValidatorService Validate ValidateBatch ListRules
"$py" "$here/reflection_client.py" "$work" "127.0.0.1:$((base + 2))" gongkai.v1.AggregatorService AddReports Merge
"$py" "$here/reflection_client.py" "$work" "127.0.0.1:$((base + 3))" gongkai.v1.GatewayService Submit Watch Results Summary Cancel List
