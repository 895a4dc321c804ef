#!/usr/bin/env bash
# The echo comparison: every echo server below, interleaved, for several rounds, driven by the demos'
# echo-load client (64-byte ping-pong, every byte verified), the server pinned to one CPU and the client to
# the other; one Markdown table of medians: round trips/s, p99, and the server's CPU time per round trip
# (read from /proc/PID/stat by the client at the very instants its measured window starts and ends), each
# beside the C server's. Bounded: every step runs under `timeout`, the whole run under --max-minutes, and
# every child is stopped on exit, however the script ends.
#
#   java/jselect-benchmarks/run-echo.sh                 # 3 rounds, N = 1 10 100 1000 10000: ~1 h (JNI and JNA rows)
#   java/jselect-benchmarks/run-echo.sh --quick         # 1 short round at N = 10: ~1 min, proves the pipeline
#   java/jselect-benchmarks/run-echo.sh --servers c,jselect-epoll,netty --connections 100 --rounds 5
#
# Servers (--servers, comma-separated; default all):
#   c                    native/bench/jsel_echo_server: level-triggered epoll in plain C, the floor
#   jselect-epoll        the demos' echo-server --mode echo --mechanism epoll     (one row per backend)
#   jselect-epoll-et     ... --mechanism epoll-et (edge-triggered)
#   jselect-poll         ... --mechanism poll
#   jselect-select       ... --mechanism select
#   jselect-select-seed  ... --mechanism select --mode seed: the lesson's protocol, like for like with python
#   nio                  java.nio Selector, one thread (io.jselect.benchmarks.echo.NioEchoServer)
#   netty                Netty's native epoll, one event loop (io.jselect.benchmarks.echo.NettyEchoServer)
#   python-select        the lesson's tests/system/python/select_server.py, unchanged (seed protocol)
# Only the epoll-based ones (c, jselect-epoll, jselect-epoll-et, nio, netty) run past 1000 connections:
# python's select stops at FD_SETSIZE (1024 descriptors), and poll and select are not meant for it.
#
# Options: --rounds R (3)  --connections LIST (1,10,100,1000,10000)  --servers LIST (all)
#          --backends jni[,jna] (jni, and jna when it loads)  --warmup S (5)  --duration S (10)
#          --server-cpu N (0)  --client-cpu N (1)  --out DIR (target/echo-<time>)  --max-minutes M (120)
#          --quiet-wait S (300: before each run, wait up to S seconds until other processes use < 10 % of a CPU)
#          --max-others P (25)  --repeats K (3: a run during whose window other processes took more than P %
#          of a CPU is kept in runs.jsonl marked "discarded", left out of the medians, and run again, at most
#          K times; the table counts them)  --no-build  --quick
# Run it on a quiet machine (README.md, "Running quietly"); each run's JSON says how much CPU other
# processes took during its window (machineCpuSeconds minus the server's and the client's).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench_jar="$here/target/jselect-benchmarks.jar"
demos_jar="$root/java/jselect-demos/target/jselect-demos.jar"
c_server="$root/java/jselect/target/native/bench/jsel_echo_server"
python_server="$root/tests/system/python/select_server.py"
all_servers=c,jselect-epoll,jselect-epoll-et,jselect-poll,jselect-select,jselect-select-seed,nio,netty,python-select

invocation="$0 $*"
rounds=3 connections=1,10,100,1000,10000 servers=$all_servers backends="" warmup=5 duration=10
server_cpu=0 client_cpu=1 out="" max_minutes=120 build=1 quiet_wait=300 max_others=25 repeats=3
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --server-cpu) server_cpu="$2"; shift 2 ;;
    --client-cpu) client_cpu="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --max-minutes) max_minutes="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --max-others) max_others="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --quick) rounds=1 connections=10 warmup=1 duration=2; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "run-echo: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
positive_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "run-echo: $1 must be a positive integer, got '$2'" >&2; exit 64; }; }
seconds_value() { [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "run-echo: $1 must be a number of seconds, got '$2'" >&2; exit 64; }; }
positive_int --rounds "$rounds"
positive_int --max-minutes "$max_minutes"
seconds_value --warmup "$warmup"
seconds_value --duration "$duration"
seconds_value --quiet-wait "$quiet_wait"
positive_int --max-others "$max_others"
[[ "$repeats" =~ ^[0-9]+$ ]] || { echo "run-echo: --repeats must be a count, got '$repeats'" >&2; exit 64; }
IFS=, read -r -a ns <<< "$connections"
for n in "${ns[@]}"; do positive_int --connections "$n"; done
IFS=, read -r -a server_list <<< "$servers"
for s in "${server_list[@]}"; do
  [[ ",$all_servers," == *",$s,"* ]] || { echo "run-echo: unknown server '$s' (one of $all_servers)" >&2; exit 64; }
done

if ((build)) && [[ ! -f "$bench_jar" || ! -f "$demos_jar" || ! -x "$c_server" ]]; then
  echo "run-echo: building (./mvnw -B -q -DskipTests package)"
  (cd "$root" && ./mvnw -B -q -DskipTests package)
fi
for f in "$bench_jar" "$demos_jar" "$c_server"; do
  [[ -e "$f" ]] || { echo "run-echo: $f is missing: build with './mvnw -B -DskipTests package'" >&2; exit 1; }
done
python_bin="$(command -v python3 || true)"
[[ -n "$python_bin" ]] || { echo "run-echo: python3 is needed (the lesson's server, and the table)" >&2; exit 1; }
# The interpreter itself, not a shim that execs it, so that the timed process is the one started.
python_bin="$("$python_bin" -c 'import sys; print(sys.executable)')"

# 10 000 connections need 10 000 descriptors in the client and as many in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit="$(ulimit -n)"

pin_server=() pin_client=()
if command -v taskset >/dev/null && taskset -c "$server_cpu" true 2>/dev/null && taskset -c "$client_cpu" true 2>/dev/null; then
  pin_server=(taskset -c "$server_cpu") pin_client=(taskset -c "$client_cpu")
else
  echo "run-echo: WARNING: cannot pin to CPUs $server_cpu and $client_cpu (taskset missing or CPU absent): noisier" >&2
fi

if [[ -z "$backends" ]]; then
  if java -Djselect.backend=jna -cp "$demos_jar" io.jselect.JSelect >/dev/null 2>&1; then
    backends=jni,jna
  else
    backends=jni
    echo "run-echo: the JNA backend does not load here: jselect rows are JNI only" >&2
  fi
fi
IFS=, read -r -a backend_list <<< "$backends"

out="${out:-$here/target/echo-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out/logs"
runs="$out/runs.jsonl"
: > "$runs"
deadline=$((SECONDS + max_minutes * 60))
remaining() { echo $((deadline - SECONDS)); }

{
  echo "command: $invocation"
  echo "date: $(date -Is)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs ($(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -1 | sed 's/^\(.\)/virtual machine on &/'))"
  echo "kernel: $(uname -srm)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "python: $("$python_bin" -V 2>&1)"
  echo "pinned: server ${pin_server[*]:-no}, client ${pin_client[*]:-no}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rounds: $rounds; connections: $connections; servers: $servers; backends: $backends"
  echo "each run: echo-load --size 64 --warmup $warmup --duration $duration; open-file limit $fd_limit"
  echo "noise: wait up to ${quiet_wait} s for others < 10 % of a CPU before each run; repeat a run (at most $repeats times) when others took > $max_others % of a CPU during its window"
} > "$out/machine.txt"
cat "$out/machine.txt"

# The children of the current run, stopped by whatever ends the script.
server_pid="" client_pid=""
stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$client_pid"
  stop_pid "$server_pid"
  client_pid="" server_pid=""
}
trap cleanup EXIT
trap 'echo "run-echo: interrupted" >&2; exit 130' INT TERM

# A port below the ephemeral range (so no client socket holds it) that nothing uses; a new one per run,
# so that the previous run's TIME_WAIT sockets never matter.
# Sets port.
port=20000
next_free_port() {
  local hex
  while :; do
    port=$((port + 1))
    ((port < 32000)) || port=20001
    hex="$(printf ':%04X ' "$port")"
    grep -qi "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null || return 0
  done
}

# Listening, as /proc/net/tcp says (state 0A): a probe connection would crash the lesson's python server.
await_listening() {
  local port="$1" pid="$2" hex
  hex="$(printf ':%04X 00000000:0000 0A' "$port")"
  for _ in $(seq 300); do
    grep -qi "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# The lesson's server, unchanged, run from outside: SO_REUSEADDR (it never closes its clients), the port
# given instead of its hard-coded 8888, and a listen backlog of 1024 instead of 5, which only makes
# connecting 1000 clients quick and changes nothing in its loop.
python_wrapper='import socket, sys
port, path = int(sys.argv[1]), sys.argv[2]
_bind, _listen = socket.socket.bind, socket.socket.listen
def bind(self, address):
    self.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return _bind(self, (address[0], port))
def listen(self, backlog):
    return _listen(self, 1024)
socket.socket.bind, socket.socket.listen = bind, listen
sys.argv = [path]
exec(compile(open(path).read(), path, "exec"), {"__name__": "__main__"})'

# The servers' connect and disconnect lines (10 000 of each) are not what is measured.
jvm_quiet=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
# Sets server_cmd to the command that runs $1 (on backend $2) on port $3.
server_command() {
  local server="$1" backend="$2" port="$3"
  case "$server" in
    c) server_cmd=("$c_server" --port "$port") ;;
    jselect-select-seed) server_cmd=(java "${jvm_quiet[@]}" -Djselect.backend="$backend" -jar "$demos_jar"
        echo-server --mode seed --mechanism select --port "$port") ;;
    jselect-*) server_cmd=(java "${jvm_quiet[@]}" -Djselect.backend="$backend" -jar "$demos_jar"
        echo-server --mode echo --mechanism "${server#jselect-}" --port "$port") ;;
    nio|netty) server_cmd=(java "${jvm_quiet[@]}" -cp "$bench_jar" io.jselect.benchmarks.echo.EchoServers "$server"
        --port "$port") ;;
    python-select) server_cmd=("$python_bin" -u -c "$python_wrapper" "$port" "$python_server") ;;
  esac
}
max_connections() {
  case "$1" in
    c|jselect-epoll|jselect-epoll-et|nio|netty) echo $((fd_limit - 100)) ;;
    *) echo 1000 ;;
  esac
}
seed_protocol() { [[ "$1" == python-select || "$1" == jselect-select-seed ]]; }

# Busy ticks (user nice system irq softirq) of every CPU together, from /proc/stat.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

# Between runs none of ours is running, so whatever keeps the CPUs busy is someone else's: wait (up to
# --quiet-wait seconds) until that is under a tenth of a CPU over a whole second.
await_quiet() {
  local waited=0 before after
  while :; do
    before="$(busy_ticks)"; sleep 1; after="$(busy_ticks)"
    ((after - before < 10)) && return 0  # ticks are 10 ms: < 10 % of one CPU over 1 s
    ((waited == 0)) && echo "  (waiting for a quiet machine: others use $((after - before)) % of a CPU)" >&2
    waited=$((waited + 1))
    if ((waited >= ${quiet_wait%.*} || $(remaining) <= 60)); then
      echo "  (still busy after ${waited} s: running anyway; the run's JSON shows how much others took)" >&2
      return 0
    fi
  done
}

# One run, repeated while other processes took more than --max-others % of a CPU during its window.
run_one() {
  local attempt others
  for ((attempt = 0; ; attempt++)); do
    run_attempt "$@"
    others="$(python3 -c 'import json, sys
r = json.loads(sys.argv[1])
print(round((r["machineCpuSeconds"] - r["serverCpuSeconds"] - r["clientCpuSeconds"]) / r["seconds"] * 100))' \
      "$(tail -1 "$runs")" 2>/dev/null || echo 0)"
    if ((others > max_others && attempt < repeats)) && (($(remaining) > 60)); then
      # The line just written stays, marked, so the table can count what was left out and why.
      sed -i '$ s/^{/{"discarded":"others took '"$others"' % of a CPU",/' "$runs"
      echo "  (others took $others % of a CPU during that window: discarded, run again)"
      continue
    fi
    return
  done
}

# One attempt: start the server pinned, wait until it listens, drive it, stop it, append one JSON line.
run_attempt() {
  local round="$1" n="$2" server="$3" backend="$4"
  local name log rc=0 seed_args=() result
  ((${quiet_wait%.*} > 0)) && await_quiet
  next_free_port
  name="$server${backend:+-$backend}-n$n-r$round"
  log="$out/logs/$name"
  server_command "$server" "$backend" "$port"
  "${pin_server[@]}" "${server_cmd[@]}" > "$log.server" 2>&1 &
  server_pid=$!
  local line_head="{\"round\":$round,\"server\":\"$server\",\"backend\":\"${backend:-}\",\"load1\":$(cut -d' ' -f1 /proc/loadavg)"
  if ! await_listening "$port" "$server_pid"; then
    echo "$line_head,\"connections\":$n,\"failed\":\"the server did not listen\"}" >> "$runs"
    echo "  $name: FAILED: the server did not listen (see $log.server)" >&2
    stop_pid "$server_pid"; server_pid=""
    return
  fi
  seed_protocol "$server" && seed_args=(--greeting hello --suffix response)
  local budget
  budget="$(awk -v w="$warmup" -v d="$duration" -v n="$n" 'BEGIN { printf "%d", w + d + 30 + n / 500 }')"
  if (($(remaining) < budget)); then budget="$(remaining)"; fi
  timeout --kill-after=5 "$budget" "${pin_client[@]}" java -jar "$demos_jar" echo-load --port "$port" \
    --connections "$n" --size 64 --warmup "$warmup" --duration "$duration" --server-pid "$server_pid" --quiet \
    --max-seconds "$budget" "${seed_args[@]}" > "$log.json" 2> "$log.client" &
  client_pid=$!
  wait "$client_pid" || rc=$?
  client_pid=""
  stop_pid "$server_pid"; server_pid=""
  result="$(tail -1 "$log.json" 2>/dev/null || true)"
  if [[ "$result" == "{"*"}" ]]; then
    echo "$line_head,\"exit\":$rc,${result#\{}" >> "$runs"
  else
    echo "$line_head,\"connections\":$n,\"exit\":$rc,\"failed\":\"echo-load printed no result\"}" >> "$runs"
  fi
  python3 - "$name" "$rc" "$result" <<'EOF' || true
import json, sys
name, rc, line = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    r = json.loads(line)
    print(f"  {name}: {r['roundTripsPerSecond']:,.0f} round trips/s, p99 {r['p99Us']:.0f} us, "
          f"server {r.get('serverCpuUsPerRoundTrip', float('nan')):.2f} us CPU per round trip, "
          f"{r['connected']}/{r['connections']} connected, {r['errors']} errors, exit {rc}")
except Exception:
    print(f"  {name}: FAILED (exit {rc}): no result", file=sys.stderr)
EOF
}

# Every (server, backend) of the run, in a fixed order that each round rotates, so that no server always
# follows the same one.
entries=()
for s in "${server_list[@]}"; do
  if [[ "$s" == jselect-* ]]; then
    for b in "${backend_list[@]}"; do entries+=("$s:$b"); done
  else
    entries+=("$s:")
  fi
done

for ((r = 1; r <= rounds; r++)); do
  for n in "${ns[@]}"; do
    echo "== round $r/$rounds, $n connections ($(cut -d' ' -f1-3 /proc/loadavg) load)"
    for ((i = 0; i < ${#entries[@]}; i++)); do
      entry="${entries[$(((i + r - 1) % ${#entries[@]}))]}"
      server="${entry%%:*}" backend="${entry#*:}"
      ((n <= $(max_connections "$server"))) || continue
      if (($(remaining) <= 0)); then
        echo "run-echo: --max-minutes reached; the table uses the runs done" >&2
        break 3
      fi
      run_one "$r" "$n" "$server" "$backend"
    done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

python3 "$here/echo_table.py" "$out" | tee "$out/table.md"
echo
echo "run-echo: results in $out (machine.txt, runs.jsonl: one JSON line per run, logs/, table.md)"
