#!/bin/sh
# Installs and gathers every training source (and the evaluation-only FluidR3_GM kits) so that
# training is reproducible on a fresh Debian machine. Run from anywhere, as root for apt-get
# (or with the packages already installed: apt-get is skipped when nothing is missing).
#   sh models/training/fetch_data.sh
# Result: models/training/cache/ (git-ignored): npm/ (the npm package), render/ (soundfonts
# rendered note by note) and inventory.csv (one row per sound file). Then run train.py.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="$HERE/cache"
DEBS="hydrogen-drumkits avldrums.lv2-soundfont sonic-pi-samples lmms-common freepats opl3-soundfont
exadrums fluidsynth fluid-soundfont-gm timidity python3-torch python3-onnx python3-numpy python3-scipy
python3-matplotlib python3-soundfile"
missing=""
for p in $DEBS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# npm may come from Debian's npm package or from a nodejs install that provides it
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
    echo "installing:$missing"
    apt-get update
    # shellcheck disable=SC2086
    apt-get install -y --no-install-recommends $missing
fi
mkdir -p "$CACHE/npm"
if [ ! -f "$CACHE/npm/node_modules/supersonic-scsynth-samples/package.json" ]; then
    npm install --no-audit --no-fund --no-save --prefix "$CACHE/npm" supersonic-scsynth-samples@0.84.2
fi
/usr/bin/python3 "$HERE/sources.py"
