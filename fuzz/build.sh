#!/bin/bash -eu
# Builds the libFuzzer targets the way OSS-Fuzz and ClusterFuzzLite expect a project's
# build.sh to: the compiler, the instrumentation and the fuzzing engine come from the
# environment, and everything a fuzzing service needs is written to $OUT.
#
#   CC, CXX                 compilers (clang)
#   CFLAGS, CXXFLAGS        sanitizer and coverage flags for ALL code (-fsanitize=fuzzer-no-link …)
#   LIB_FUZZING_ENGINE      what fuzz targets link with (-fsanitize=fuzzer, or an engine library)
#   OUT                     where targets, <target>_seed_corpus.zip, <target>.dict and
#                           <target>.options go
#   WORK                    scratch space for the build tree (default: a temporary directory)
#   BCCONFORM_FUZZ_TARGETS  optional: build only these targets (space-separated)
#
# The repository's own fuzz preset (`cmake --preset fuzz`) is for local use; this script is
# the same targets with the service's flags.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${OUT:?OUT must name the output directory}"
: "${LIB_FUZZING_ENGINE:?LIB_FUZZING_ENGINE must name the fuzzing engine}"
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/bcconform-fuzz.XXXXXX")}
build="$work/bcconform-fuzz-build"

targets=${BCCONFORM_FUZZ_TARGETS:-}
if [[ -z "$targets" ]]; then
  for src in "$root"/fuzz/fuzz_*.cpp; do
    targets+=" $(basename "$src" .cpp)"
  done
fi

# CMAKE_BUILD_TYPE stays empty so that only the service's flags apply.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE= \
  -DCMAKE_C_COMPILER="${CC:-clang}" -DCMAKE_CXX_COMPILER="${CXX:-clang++}" \
  -DCMAKE_C_FLAGS="${CFLAGS:-}" -DCMAKE_CXX_FLAGS="${CXXFLAGS:-}" \
  -DBCCONFORM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DBCCONFORM_BUILD_TESTS=OFF -DBCCONFORM_BUILD_BENCH=OFF
# shellcheck disable=SC2086  # targets is a word list
cmake --build "$build" --parallel "$(nproc)" --target $targets

mkdir -p "$OUT"
for target in $targets; do
  cp "$build/bin/$target" "$OUT/"
  for extra in dict options; do
    if [[ -f "$root/fuzz/$target.$extra" ]]; then
      cp "$root/fuzz/$target.$extra" "$OUT/"
    fi
  done
  if [[ -d "$root/corpus/$target" ]]; then
    rm -f "$OUT/${target}_seed_corpus.zip"
    # Regression inputs go in too: a service should start from every known crasher.
    (cd "$root/corpus/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
  fi
done
