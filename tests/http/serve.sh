# Sourced by the fetch cases: `serve SCENARIO` (a name under
# tests/http/scenarios/, or a path ending in .json) starts tests/http/server.py on
# a free port of 127.0.0.1 and sets BASE (http://127.0.0.1:PORT) and
# REQUESTS (its request log); every server started is stopped on exit by
# stop_servers, the EXIT trap set here. A script with an exit trap of its own
# sets it after sourcing this file and calls stop_servers in it: a second
# `trap ... EXIT` replaces the first, it does not add to it.
# `unport` replaces the port in its input with PORT, so that outputs compare.
SERVER_PIDS=""
stop_servers() { for p in $SERVER_PIDS; do kill "$p" 2>/dev/null; done; }
trap stop_servers EXIT
serve() {
  local scenario=$1 dir
  case $scenario in *.json) ;; *) scenario="$SRC/tests/http/scenarios/$scenario.json" ;; esac
  dir=$(mktemp -d ./server.XXXXXX)
  python3 "$SRC/tests/http/server.py" "$scenario" "$dir/port" "$dir/requests" &
  SERVER_PIDS="$SERVER_PIDS $!"
  for _ in $(seq 100); do [ -f "$dir/port" ] && break; sleep 0.05; done
  [ -f "$dir/port" ] || { echo "the test server did not start" >&2; exit 99; }
  BASE="http://127.0.0.1:$(cat "$dir/port")"
  REQUESTS="$dir/requests"
}
unport() { sed -E 's#127\.0\.0\.1:[0-9]+#127.0.0.1:PORT#g'; }
