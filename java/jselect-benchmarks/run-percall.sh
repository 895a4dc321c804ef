#!/usr/bin/env bash
# The per-call table: the C floor (jsel_floor) and the JMH suite (jselect on JNI and JNA, java.nio,
# Netty) run alternately for several rounds, pinned to one CPU, then one Markdown table of medians.
# Bounded: every step runs under `timeout`, and the whole run under --max-minutes.
#
#   java/jselect-benchmarks/run-percall.sh                # 3 rounds, ~10 min (JNI only) to ~25 min
#   java/jselect-benchmarks/run-percall.sh --quick        # 1 short round, ~1 min: proves it works
#   java/jselect-benchmarks/run-percall.sh --include 'EpollWait.*' -- -p keys=1   # a part; after -- JMH's
#
# Options: --rounds R (3)  --cpu N (1)  --backends jni,jna (both when JNA loads, else jni)
#          --include REGEX (every benchmark)  --out DIR (target/percall-<time>)  --max-minutes M (60)
#          --no-build  --quick
# Run it on a quiet machine: see README.md, "Running quietly".
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$here/target/jselect-benchmarks.jar"
floor="$root/java/jselect/target/native/bench/jsel_floor"

invocation="$0 $*"
rounds=3 cpu=1 backends="" out="" max_minutes=60 build=1 quick=0 include='io\.jselect\.benchmarks\..*'
jmh_extra=()
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --cpu) cpu="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --include) include="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --max-minutes) max_minutes="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --quick) quick=1; shift ;;
    --) shift; jmh_extra=("$@"); break ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "run-percall: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "run-percall: --rounds must be a positive integer" >&2; exit 64; }
[[ "$max_minutes" =~ ^[1-9][0-9]*$ ]] || { echo "run-percall: --max-minutes must be a positive integer" >&2; exit 64; }

if ((quick)); then
  rounds=1
  floor_args=(--reps 3 --rep-ms 50 --warmup-ms 50)
  jmh_args=(-f 1 -wi 1 -w 200ms -i 2 -r 200ms)
else
  # 5 x 200 ms repetitions per case in C; in Java 3 warm-up and 5 measured iterations of 1 s per fork.
  floor_args=(--reps 5 --rep-ms 200 --warmup-ms 200)
  jmh_args=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
fi

if ((build)) && [[ ! -f "$jar" || ! -x "$floor" ]]; then
  echo "run-percall: building (./mvnw -B -q -DskipTests package)"
  (cd "$root" && ./mvnw -B -q -DskipTests package)
fi
[[ -f "$jar" ]] || { echo "run-percall: $jar is missing: build with './mvnw -B -DskipTests package'" >&2; exit 1; }
[[ -x "$floor" ]] || { echo "run-percall: $floor is missing: build with './mvnw -B -DskipTests package'" >&2; exit 1; }

pin=()
if command -v taskset >/dev/null && taskset -c "$cpu" true 2>/dev/null; then
  pin=(taskset -c "$cpu")
else
  echo "run-percall: WARNING: cannot pin to CPU $cpu (taskset missing or CPU absent): numbers will be noisier" >&2
fi

if [[ -z "$backends" ]]; then
  if java -Djselect.backend=jna -cp "$jar" io.jselect.JSelect >/dev/null 2>&1; then
    backends=jni,jna
  else
    backends=jni
    echo "run-percall: WARNING: the JNA backend does not load here, so the table has no JNA column" \
         "(--backends jni,jna makes its benchmarks run, and fail, anyway)" >&2
  fi
fi

out="${out:-$here/target/percall-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
deadline=$((SECONDS + max_minutes * 60))
remaining() { echo $((deadline - SECONDS)); }

{
  echo "command: $invocation"
  echo "date: $(date -Is)"
  echo "kernel: $(uname -srm)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "pinned: ${pin[*]:-no}"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "rounds: $rounds; jsel_floor ${floor_args[*]}; jmh ${jmh_args[*]} -p backend=$backends ${jmh_extra[*]:-}"
} > "$out/machine.txt"
cat "$out/machine.txt"

for ((r = 1; r <= rounds; r++)); do
  if (($(remaining) <= 0)); then
    echo "run-percall: --max-minutes reached before round $r; the table uses the rounds done" >&2
    break
  fi
  echo "== round $r/$rounds: C floor"
  timeout --kill-after=10 "$(remaining)" "${pin[@]}" "$floor" "${floor_args[@]}" > "$out/floor-$r.jsonl" \
    || echo "run-percall: jsel_floor failed or ran out of time in round $r" >&2
  (($(remaining) > 0)) || continue
  echo "== round $r/$rounds: JMH (backends $backends)"
  timeout --kill-after=30 "$(remaining)" "${pin[@]}" java -jar "$jar" "${jmh_args[@]}" \
    -p "backend=$backends" -prof gc -rf json -rff "$out/jmh-$r.json" "${jmh_extra[@]}" \
    "$include" > "$out/jmh-$r.log" 2>&1 \
    || echo "run-percall: JMH failed or ran out of time in round $r (see $out/jmh-$r.log)" >&2
  grep -E "^# Run complete|ERROR|Exception" "$out/jmh-$r.log" | head -5 || true
done

python3 "$here/percall_table.py" "$out" | tee "$out/table.md"
echo
echo "run-percall: results in $out (machine.txt, floor-*.jsonl, jmh-*.json and .log, table.md)"
