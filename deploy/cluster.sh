#!/usr/bin/env bash
# Start N Laboratorio processes (gevent), the background jobs' consumer, and nginx in front of
# them, on this machine, against the PostgreSQL (DATABASE_URL) and Redis (SOCKETIO_MESSAGE_QUEUE)
# given in the environment.
#
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/lab SOCKETIO_MESSAGE_QUEUE=redis://127.0.0.1:6379/0 \
#     N=4 PORT=8080 make cluster
#
# Stop with Ctrl-C: every process started here is stopped with it.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-2}
PORT=${PORT:-8080}
BASE_PORT=${BASE_PORT:-8001}
RUN_DIR=$(realpath -m "${RUN_DIR:-instance/cluster}")
PYTHON=${PYTHON:-.venv/bin/python}
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database}"
: "${SOCKETIO_MESSAGE_QUEUE:?set SOCKETIO_MESSAGE_QUEUE to redis://host:6379/0}"

if ! command -v nginx >/dev/null; then
  echo "nginx is missing: apt-get install nginx (Debian's package)" >&2
  exit 1
fi

export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
export RATELIMIT_STORAGE_URI=${RATELIMIT_STORAGE_URI:-$SOCKETIO_MESSAGE_QUEUE}
export JOBS_REDIS_URL=${JOBS_REDIS_URL:-$SOCKETIO_MESSAGE_QUEUE}
export SOCKETIO_ASYNC_MODE=gevent
# nginx is the one proxy in front: the processes take the client's address from it.
export PROXY_COUNT=${PROXY_COUNT:-1}
site_host=${SITE_URL#*://}
site_host=${site_host%%/*}
mkdir -p "$RUN_DIR/logs"

"$PYTHON" -m flask --app wsgi db upgrade

servers=""
pids=()
cleanup() {
  [ -f "$RUN_DIR/nginx.pid" ] && nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -s quit 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

for i in $(seq 0 $((N - 1))); do
  port=$((BASE_PORT + i))
  HOST=127.0.0.1 PORT=$port "$PYTHON" deploy/serve.py >>"$RUN_DIR/logs/app$port.log" 2>&1 &
  pids+=($!)
  servers="$servers        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;\n"
done

# One consumer runs the queued jobs (mail) for every process. It is not monkey-patched for
# gevent, so whatever it emits through Socket.IO's Redis queue goes out in threading mode.
SOCKETIO_ASYNC_MODE=threading "$PYTHON" -m flask --app wsgi jobs worker >>"$RUN_DIR/logs/jobs.log" 2>&1 &
pids+=($!)

# The same configuration, with one line per process in both upstreams, our port and the site's
# host name (without its port).
awk -v servers="$servers" -v port="$PORT" -v name="${site_host%:*}" '
  /server 127\.0\.0\.1:800[0-9]/ { if (!done[block]++) printf "%s", servers; next }
  /upstream lab_/ { block++ }
  /listen 8080/ { sub(/8080/, port) }
  /server_name laboratorio\.example\.org;/ { sub(/laboratorio\.example\.org/, name) }
  { print }
' deploy/nginx.conf >"$RUN_DIR/nginx.conf"
nginx -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf"

for i in $(seq 0 $((N - 1))); do
  until curl -fs -H "Host: $site_host" "http://127.0.0.1:$((BASE_PORT + i))/healthz" >/dev/null; do
    sleep 0.3
  done
done
echo "Laboratorio: $N processes and the jobs' consumer behind nginx on $SITE_URL (logs in $RUN_DIR/logs)"
nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -g "daemon off;" &
pids+=($!)
wait
