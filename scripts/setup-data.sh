#!/usr/bin/env bash
# Installs the offline data colsparse trains its tiny models on, and generates the speech corpus.
# Idempotent: everything already present is left alone. Safe to run as root; as another user it
# uses sudo for apt-get only. Prints each step.
#
#   dataset-fashion-mnist  Fashion-MNIST, 60k + 10k 28x28 images (MIT) -> /usr/share/datasets/fashion-mnist
#   espeak-ng              speech synthesizer (GPL-3; its output is ours) -> data/speech/generated/*.wav
#
# The repository already ships small slices (data/fashion-mnist-slice, data/speech, data/digits,
# data/cmu-mocap), so tests and `colsparse train` smoke runs work without this script; the full
# data makes the trained models better.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$here/data"
packages=(dataset-fashion-mnist espeak-ng)
voices=(en-us en-gb-x-rp en-us+f3)

say() { echo "setup-data: $*"; }

missing=()
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    say "$p already installed"
  else
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    say "apt-get not found: install ${missing[*]} with your package manager (Debian 12 package names)" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  say "apt-get update"
  "${sudo[@]}" apt-get update -qq
  say "apt-get install -y ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [ -f "/usr/share/datasets/fashion-mnist/$f" ] || { say "missing /usr/share/datasets/fashion-mnist/$f after install" >&2; exit 1; }
done
say "Fashion-MNIST: /usr/share/datasets/fashion-mnist (4 IDX files)"

# Speech: every sentence of data/speech/sentences.txt in each voice. Written to a temporary folder
# and moved into place, so an interrupted run never leaves a partial corpus that looks complete.
out="$data/speech/generated"
sentences="$data/speech/sentences.txt"
n=$(grep -c . "$sentences")
expected=$((n * ${#voices[@]}))
if [ -d "$out" ] && [ "$(find "$out" -maxdepth 1 -name '*.wav' | wc -l)" -eq "$expected" ]; then
  say "speech corpus already generated: $expected clips in $out"
else
  say "synthesizing $n sentences x ${#voices[@]} voices (${voices[*]}) with espeak-ng -> $out"
  tmp="$(mktemp -d "$data/speech/.generating.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  for v in "${voices[@]}"; do
    i=0
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      i=$((i + 1))
      espeak-ng -v "$v" -w "$tmp/espeak-${v//+/-}-$(printf '%02d' "$i").wav" "$line"
    done < "$sentences"
  done
  rm -rf "$out"
  mv "$tmp" "$out"
  trap - EXIT
  say "speech corpus: $expected clips in $out"
fi
say "done"
