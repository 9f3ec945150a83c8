#!/usr/bin/env bash
# Starts a throw-away server on a free loopback port, runs COMMAND with its URL appended, stops
# the server and exits with COMMAND's status.
# Usage: scripts/with-server.sh dunlin COMMAND...
#        scripts/with-server.sh ddblocal JAR_DIR COMMAND...
set -uo pipefail
cd "$(dirname "$0")/.."
kind=$1
shift
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
workdir=$(mktemp -d)
if [[ $kind == dunlin ]]; then
  build/dunlin serve --listen "127.0.0.1:$port" --data-dir "$workdir/data" --log-level warn &
else
  jar_dir=$1
  shift
  (cd "$jar_dir" && exec java -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar \
    -inMemory -port "$port") >"$workdir/ddblocal.log" 2>&1 &
fi
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$workdir"' EXIT
for _ in $(seq 1 150); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
"$@" "http://127.0.0.1:$port"
