#!/usr/bin/env bash
# Installs the Debian 12 packages stratus needs: `build` for building and running the server,
# `test` adds the stock S3 clients the integration tests drive, nginx, the plain file server
# scripts/bench-limits.sh measures (Debian's nginx has the dav module; nginx-light is only a
# transitional name for it in Debian 12), and wrk, its cross-check client. Quick when all are
# present.
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libboost-dev libboost-system-dev libboost-context-dev libssl-dev libisal-dev librocksdb-dev libpugixml-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  awscli python3-boto3 python3-pytest rclone s3cmd curl openssl nginx wrk
)

packages=("${build_packages[@]}")
if [[ "${1:-build}" == "test" ]]; then packages+=("${test_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node.js runs the JavaScript SDK v3 tests; Debian's nodejs/npm unless a newer one is present.
if [[ "${1:-build}" == "test" ]] && ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
