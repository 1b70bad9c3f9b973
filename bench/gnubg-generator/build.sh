#!/bin/sh
# Builds GNU Backgammon's move generator into a timing program (harness.c) for
# `npm run bench:engine -- --gnubg`. The generator's functions are taken from gnubg's own source:
# the folder in GNUBG_SOURCE, or else Debian's source package, fetched with `apt-get source`
# (which needs a deb-src line in the apt sources). Needs gcc and glib's headers
# (apt-get install gcc libglib2.0-dev).
# Usage: build.sh OUTPUT_DIR  (prints the path of the program)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR}
mkdir -p "$out"
program="$out/gnubg-generator"
if [ -x "$program" ] && [ "$program" -nt "$here/harness.c" ] && [ "$program" -nt "$here/build.sh" ]; then
  echo "$program"
  exit 0
fi
source_dir=${GNUBG_SOURCE:-}
if [ -z "$source_dir" ]; then
  (cd "$out" && ls -d gnubg-*/ >/dev/null 2>&1) || (cd "$out" && apt-get source --download-only gnubg >&2 && tar xzf gnubg_*.orig.tar.gz)
  source_dir=$(cd "$out" && cd "$(ls -d gnubg-*/ | head -n 1)" && pwd)
fi
[ -f "$source_dir/eval.c" ] || { echo "build.sh: no eval.c in $source_dir" >&2; exit 1; }

# A function as gnubg writes it: its return type on the line before its name, its body up to a "}" alone on a line.
extract() {
  awk -v name="$2" '
    $0 ~ "^" name "[ ]*\\(" { printing = 1; print previous }
    printing { print }
    printing && /^}/ { exit }
    { previous = $0 }
  ' "$source_dir/$1"
}
generated="$out/gnubg-generator.c"
{
  cat "$here/harness.c"
  extract positionid.c PositionKey
  extract eval.c swap
  for name in ApplySubMove SaveMoves LegalMove GenerateMovesSub GenerateMoves; do extract eval.c "$name"; done
} >"$generated"
[ -f "$source_dir/config.h" ] || : >"$out/config.h"
# shellcheck disable=SC2046
gcc -O2 -I"$out" -I"$source_dir" -I"$source_dir/lib" $(pkg-config --cflags glib-2.0) -o "$program" "$generated" >&2
echo "$program"
