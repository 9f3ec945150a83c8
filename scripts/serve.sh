#!/usr/bin/env bash
# Installs what is missing, builds, and starts Dunlin on 127.0.0.1:8000 with its data in
# ./dunlin-data. Extra arguments go to `dunlin serve` (e.g. --listen 127.0.0.1:8001).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh dunlin
exec build/dunlin serve --data-dir ./dunlin-data "$@"
