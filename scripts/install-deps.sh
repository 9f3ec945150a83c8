#!/usr/bin/env bash
# Installs what building (and, with --test, testing) Dunlin needs on Debian 12, skipping what is
# already there. Uses apt-get as root, or through sudo.
set -euo pipefail

build_packages=(build-essential cmake ninja-build ccache pkg-config libboost1.81-dev
  libsimdjson-dev librocksdb-dev libfmt-dev libspdlog-dev libcli11-dev libgtest-dev libgmock-dev
  zlib1g-dev libssl-dev)
# clang and its compiler-rt (libFuzzer, ASan, UBSan runtimes) build the fuzzer of scripts/fuzz.sh;
# libclang-rt-14-dev is only a recommendation of clang-14, which apt skips here. Google Benchmark
# builds the micro-benchmarks (build/dunlin-micro), which CI compiles but never runs.
test_packages=(python3 python3-pytest python3-boto3 awscli curl clang libclang-rt-14-dev
  libbenchmark-dev)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${test_packages[@]}")
  # DynamoDB Local (the oracle) needs Java 17 and npm; keep whatever Java/Node is already there.
  command -v java >/dev/null 2>&1 || wanted+=(openjdk-17-jre-headless)
  command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
fi

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
echo "installing: ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
