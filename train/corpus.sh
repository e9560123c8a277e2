#!/usr/bin/env bash
# Writes the training corpus: the King James Version of the Bible (public domain) as Debian's
# bible-kjv and bible-kjv-text packages ship it, one verse per line, without book/chapter headings
# or verse numbers. Usage: train/corpus.sh OUT
set -euo pipefail
out=${1:?usage: corpus.sh OUT}
command -v bible >/dev/null || { echo "corpus.sh: the 'bible' program is missing (apt-get install bible-kjv)" >&2; exit 1; }
bible -l100000 gen1:1-rev22:21 </dev/null \
    | sed -n 's/^ *[0-9][0-9]* \(.*\)$/\1/p' >"$out.tmp"
mv "$out.tmp" "$out"
