#!/usr/bin/env bash
# Whole-process load test of the reference server's HTTP layer against the JDK HttpServer baseline,
# in the same run: both serve the same Coordinator; wrk (Debian package "wrk") posts an unsigned
# heartbeat (108 bytes) over keep-alive connections on loopback. Rounds alternate between the two
# servers so that machine drift hits both.
#
# Usage: kascompute-bench/http-load.sh [seconds-per-round] [connections] [rounds]
# Needs: ./mvnw -B -pl kascompute-bench -am package -DskipTests (for target/benchmarks.jar), wrk.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_ROUND=${1:-10}
CONNECTIONS=${2:-32}
ROUNDS=${3:-3}
JAR=target/benchmarks.jar
JDK_PORT=18091
NETTY_PORT=18092
LUA=$(mktemp --suffix=.lua)
cat > "$LUA" <<'LUA'
wrk.method = "POST"
wrk.path = "/v1/nodes/heartbeat"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"node_id":"kc_node_01","public_key_hex":"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"}'
LUA
java -Xmx512m -cp "$JAR" io.kascompute.bench.JdkHttpBaseline "$JDK_PORT" 2>/dev/null &
JDK_PID=$!
java -Xmx512m -cp "$JAR" io.kascompute.testkit.cli.KasComputeCli serve --port "$NETTY_PORT" 2>/dev/null &
NETTY_PID=$!
trap 'kill "$JDK_PID" "$NETTY_PID" 2>/dev/null; rm -f "$LUA"' EXIT
for port in "$JDK_PORT" "$NETTY_PORT"; do
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/v1/metrics" && break
    sleep 0.1
  done
  wrk -t1 -c"$CONNECTIONS" -d10s -s "$LUA" "http://127.0.0.1:$port" > /dev/null # warm-up (JIT)
done
for round in $(seq 1 "$ROUNDS"); do
  for server in jdk netty; do
    port=$JDK_PORT; [ "$server" = netty ] && port=$NETTY_PORT
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_ROUND}s" --latency -s "$LUA" "http://127.0.0.1:$port")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    echo "round $round $server: $rps req/s, p50 $p50, p99 $p99 $errors"
  done
done
