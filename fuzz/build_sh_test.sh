#!/bin/bash -eu
# Runs fuzz/build.sh as OSS-Fuzz would (its environment variables set by hand, the
# service's usual ASan flags) for one small target, then checks what landed in $OUT and that
# the target runs its seed corpus under libFuzzer.
#
#   fuzz/build_sh_test.sh [TARGET]     (default fuzz_decoders)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${1:-fuzz_decoders}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/build-sh-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

flags="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address"
flags+=" -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
env CC=clang CXX=clang++ CFLAGS="$flags" CXXFLAGS="$flags" \
  LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT="$scratch/out" WORK="$scratch/work" \
  BCCONFORM_FUZZ_TARGETS="$target" "$root/fuzz/build.sh" > "$scratch/build.log" 2>&1 || {
  tail -n 40 "$scratch/build.log"
  echo "build_sh_test: fuzz/build.sh failed" >&2
  exit 1
}

fail() { echo "build_sh_test: $*" >&2; exit 1; }
[[ -x "$scratch/out/$target" ]] || fail "$target was not written to \$OUT"
[[ -f "$scratch/out/${target}_seed_corpus.zip" ]] || fail "no ${target}_seed_corpus.zip"
for extra in dict options; do
  if [[ -f "$root/fuzz/$target.$extra" && ! -f "$scratch/out/$target.$extra" ]]; then
    fail "$target.$extra was not copied"
  fi
done
# The seed corpus holds exactly the repository's corpus files.
want=$(cd "$root/corpus/$target" && find . -type f | wc -l)
got=$(unzip -Z1 "$scratch/out/${target}_seed_corpus.zip" | grep -cv '/$')
[[ "$want" == "$got" ]] || fail "seed corpus has $got files, corpus/$target has $want"
# The target must be a libFuzzer binary: it runs the unpacked seeds and exits 0.
mkdir "$scratch/seeds"
unzip -q "$scratch/out/${target}_seed_corpus.zip" -d "$scratch/seeds"
"$scratch/out/$target" -runs=0 "$scratch/seeds" > "$scratch/run.log" 2>&1 || {
  tail -n 20 "$scratch/run.log"
  fail "$target did not run its seed corpus"
}
grep -q 'INFO: Seed' "$scratch/run.log" || fail "$target is not linked with libFuzzer"
echo "build_sh_test: $target built, packaged and ran $want seeds"
