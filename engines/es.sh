#!/usr/bin/env bash
# A real Elasticsearch node for the tests (and by hand): engines/es.sh build|start|stop|status|url
#   ES_PORT   HTTP port on 127.0.0.1 (default 9200; the transport takes ES_PORT+100)
#   ES_HEAP   JVM heap (default 768m)
#   ES_HOME   node home and data (default engines/target/es-<port>, wiped at every start)
# start waits until the node answers GET / with a green or yellow cluster (at most 180 s) and
# fails otherwise; stop sends SIGTERM (the node closes itself) and waits for the JVM to exit.
set -euo pipefail
ENGINES="$(cd "$(dirname "$0")" && pwd)"
PORT="${ES_PORT:-9200}"
HEAP="${ES_HEAP:-768m}"
HOME_DIR="${ES_HOME:-$ENGINES/target/es-$PORT}"
PIDFILE="$ENGINES/target/es-$PORT.pid"
LOG="$ENGINES/target/es-$PORT.log"
URL="http://127.0.0.1:$PORT"

# shellcheck source=engines/java.sh
source "$ENGINES/java.sh"

running() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
answers() { curl -fsS --max-time 2 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; }

case "${1:-}" in
build)
  engines_build
  ;;
start)
  if running; then echo "Elasticsearch already running at $URL (pid $(cat "$PIDFILE"))"; exit 0; fi
  engines_build
  if answers; then echo "port $PORT already answers: another server is there; set ES_PORT" >&2; exit 1; fi
  rm -rf "$HOME_DIR"; mkdir -p "$HOME_DIR" "$ENGINES/target"
  JAVA21="$(engines_java 21)"
  nohup "$JAVA21" -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss1m \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Dlog4j2.disable.jmx=true \
    --enable-native-access=ALL-UNNAMED \
    -cp "$ENGINES/es-node/target/es-node-1.jar:$(cat "$ENGINES/es-node/target/classpath.txt")" \
    kz.rectorate.engines.EsNode "$HOME_DIR" "$PORT" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 180); do
    if answers; then echo "Elasticsearch at $URL (pid $(cat "$PIDFILE"), heap $HEAP, log $LOG)"; exit 0; fi
    if ! running; then echo "Elasticsearch exited during start; log $LOG:" >&2; tail -40 "$LOG" >&2; rm -f "$PIDFILE"; exit 1; fi
    sleep 1
  done
  echo "Elasticsearch did not answer within 180 s; log $LOG:" >&2; tail -40 "$LOG" >&2
  kill "$(cat "$PIDFILE")" 2>/dev/null || true; rm -f "$PIDFILE"; exit 1
  ;;
stop)
  if ! running; then echo "Elasticsearch not running on port $PORT"; rm -f "$PIDFILE"; exit 0; fi
  PID="$(cat "$PIDFILE")"
  kill -TERM "$PID"
  for _ in $(seq 1 60); do
    if ! kill -0 "$PID" 2>/dev/null; then rm -f "$PIDFILE"; echo "Elasticsearch stopped"; exit 0; fi
    sleep 1
  done
  echo "Elasticsearch did not stop within 60 s; killing pid $PID" >&2
  kill -KILL "$PID" 2>/dev/null || true; rm -f "$PIDFILE"; exit 1
  ;;
status)
  if running && answers; then
    echo "running at $URL (pid $(cat "$PIDFILE"))"; curl -fsS "$URL/_nodes/_local/jvm?filter_path=nodes.*.version,nodes.*.jvm.version,nodes.*.jvm.mem.heap_max_in_bytes"; echo; exit 0
  fi
  echo "not running on port $PORT"; exit 3
  ;;
url)
  echo "$URL"
  ;;
*)
  echo "usage: $0 build|start|stop|status|url" >&2; exit 2
  ;;
esac
