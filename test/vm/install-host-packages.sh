#!/usr/bin/env bash
# install-host-packages.sh: installs the Debian packages of test/vm/host-packages that are missing
# (qemu and friends: what the host needs to boot the kernel-tier guest). Idempotent: with nothing
# missing it does nothing, not even `apt-get update`. As a non-root user it installs nothing,
# prints the apt-get line to run and exits 2.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
missing=()
for p in $(grep -v '^#' "$HERE/host-packages"); do
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] || missing+=("$p")
done
((${#missing[@]})) || exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing host packages: ${missing[*]}; as root run:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 2
fi
echo "installing host packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
