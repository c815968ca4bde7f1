#!/usr/bin/env bash
# `make run`: the development server, the task worker and the reminder scheduler together, so
# that reminders work on the embedded SQLite database with nothing else to install.
# Ctrl-C (or any of the three stopping) stops all three.
set -uo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
# Links in reminder emails point at this server.
export DJANGO_SITE_URL=${DJANGO_SITE_URL:-http://localhost:$PORT}

# Each in its own process group, so that stopping one also stops the child it reloads.
set -m
pids=()
start() {
  "$@" &
  pids+=("$!")
}

stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null
}
trap stop INT TERM EXIT

start "$PY" manage.py db_worker --interval 1
start "$PY" manage.py schedule_reminders
start "$PY" manage.py runserver "localhost:$PORT"
echo "Worker, scheduler and server started: http://localhost:$PORT/ (Ctrl-C stops all three)"

# Whichever stops first takes the other two with it.
wait -n
