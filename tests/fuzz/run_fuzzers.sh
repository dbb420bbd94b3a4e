#!/usr/bin/env bash
# Runs the fuzz targets of a GAPSCOPE_FUZZ build (it builds nothing; see
# scripts/fuzz.sh), each for SECONDS_EACH, starting from the seed corpus that
# make_seed_corpus writes into a temp dir.
#   tests/fuzz/run_fuzzers.sh BUILD_FUZZ_DIR SECONDS_EACH [TARGET...]
# TARGET: a tests/fuzz/TARGET_fuzzer.cpp (default: all; workspace only where it
# was built). For a long run outside CI, GAPSCOPE_FUZZ_JOBS=J runs J processes
# per target on one shared corpus, and GAPSCOPE_FUZZ_RUNS=N stops the target
# after N executions in all (SECONDS_EACH still caps it). GAPSCOPE_FUZZ_CORPUS=DIR
# keeps each target's corpus in DIR/TARGET, so a long run can go on from where
# an earlier one stopped (on this or another machine). GAPSCOPE_FUZZ_SEEDS=DIR
# takes the seeds from DIR (what make_seed_corpus wrote on another machine,
# e.g. for one without the Qt libraries make_seed_corpus links).
# Prints per target the executions (libFuzzer's stat::number_of_executed_units,
# summed over the processes) and whether it found anything; exits 1 on any finding. Crash inputs and the
# target's log are kept in ${GAPSCOPE_FUZZ_FINDINGS:-BUILD_FUZZ_DIR/fuzz-findings}.
set -uo pipefail

if [[ $# -lt 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_FUZZ_DIR SECONDS_EACH [TARGET...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
seconds=$2
shift 2
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  for source in "$(dirname "$0")"/*_fuzzer.cpp; do
    name=$(basename "$source" .cpp)
    targets+=("${name%_fuzzer}")
  done
fi
jobs=${GAPSCOPE_FUZZ_JOBS:-1}
runs=${GAPSCOPE_FUZZ_RUNS:-}
if [[ ! $jobs =~ ^[1-9][0-9]*$ || ( -n $runs && ! $runs =~ ^[1-9][0-9]*$ ) ]]; then
  echo "GAPSCOPE_FUZZ_JOBS must be a positive count and GAPSCOPE_FUZZ_RUNS empty or one" >&2
  exit 2
fi
fuzz_bin=$build/tests/fuzz
findings=${GAPSCOPE_FUZZ_FINDINGS:-$build/fuzz-findings}
mkdir -p "$findings"

# On tmpfs where there is one: the run-history targets write and fsync an
# SQLite file per input, 10x slower on a disk.
base=${TMPDIR:-/tmp}
if [[ -z ${TMPDIR:-} && -d /dev/shm && -w /dev/shm ]]; then
  base=/dev/shm
fi
work=$(mktemp -d "$base/gapscope-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The targets' scratch files (fuzz_support.h) go in $work too: libFuzzer ends
# a timed run without the atexit that would remove them.
export TMPDIR=$work/scratch
mkdir -p "$TMPDIR"
if [[ -n ${GAPSCOPE_FUZZ_SEEDS:-} ]]; then
  cp -r "$GAPSCOPE_FUZZ_SEEDS" "$work/seeds" || exit 2
elif ! "$fuzz_bin/make_seed_corpus" "$work/seeds"; then
  echo "make_seed_corpus failed (is $build a -DGAPSCOPE_FUZZ=ON build?)" >&2
  exit 2
fi

failed=0
printf '%-16s %12s  %s\n' target executions result
for target in "${targets[@]}"; do
  exe=$fuzz_bin/${target}_fuzzer
  if [[ ! -x $exe ]]; then
    if [[ $target == workspace ]]; then
      printf '%-16s %12s  %s\n' "$target" - "skipped (not built: no Qt6 Core)"
      continue
    fi
    printf '%-16s %12s  %s\n' "$target" - "MISSING: $exe"
    failed=1
    continue
  fi
  corpus=${GAPSCOPE_FUZZ_CORPUS:-$work/corpus}/$target
  mkdir -p "$corpus"
  cp -r "$work/seeds/$target/." "$corpus/"
  log=$work/$target.log
  # -timeout: one input running 25 s is a finding (a hang), not a slow run.
  options=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=25 -print_final_stats=1
           -artifact_prefix="$findings/${target}-")
  [[ -n $runs ]] && options+=(-runs=$(( (runs + jobs - 1) / jobs )))
  pids=()
  for ((job = 0; job < jobs; ++job)); do
    "$exe" "$corpus" "${options[@]}" >"$log.$job" 2>&1 &
    pids+=($!)
  done
  rc=0
  for pid in "${pids[@]}"; do wait "$pid" || rc=$?; done
  cat "$log".* >"$log"
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk -F: '{ sum += $NF } END { if (NR) print sum }')
  if [[ $rc -eq 0 ]]; then
    printf '%-16s %12s  %s\n' "$target" "${execs:-?}" "nothing found"
  else
    failed=1
    cp "$log" "$findings/${target}.log"
    what=$(grep -m1 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*terminate called|.*ERROR: libFuzzer)' "$log")
    printf '%-16s %12s  %s\n' "$target" "${execs:-?}" "FINDING (exit $rc): ${what:-see log}"
    ls "$findings/${target}-"* 2>/dev/null | sed 's/^/    input: /'
    echo "    log:   $findings/${target}.log"
  fi
done
exit $failed
