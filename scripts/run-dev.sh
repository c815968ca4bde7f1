#!/usr/bin/env bash
# `make run`: the development server, the task worker and the reminder scheduler together, so
# that reminders work on the embedded SQLite database with nothing else to install.
# Ctrl-C (or any of the three stopping) stops all three.
set -uo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
# localhost by default; HOST=0.0.0.0 listens on every interface, for a phone on the same network.
HOST=${HOST:-localhost}
HOST=${HOST#[}
HOST=${HOST%]}
ADDRESS=localhost
case "$HOST" in
  localhost | 127.0.0.1 | ::1) ;;
  *)
    if [ "$HOST" = 0.0.0.0 ]; then
      # The address other machines on the network reach this one at (the default route's source).
      ADDRESS=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n 1)
      ADDRESS=${ADDRESS:-$(hostname -I 2>/dev/null | awk '{print $1}')}
    else
      ADDRESS=$HOST
    fi
    if [ -z "$ADDRESS" ]; then
      echo "error: could not find this machine's address on the local network." >&2
      exit 1
    fi
    # Development only: config/settings.py adds it to ALLOWED_HOSTS while DEBUG is on.
    export DJANGO_DEV_LAN_ADDRESS=$ADDRESS
    ;;
esac
# Links in reminder emails point at this server.
export DJANGO_SITE_URL=${DJANGO_SITE_URL:-http://$ADDRESS:$PORT}

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
case "$HOST" in
  *:*) start "$PY" manage.py runserver "[$HOST]:$PORT" ;;
  *) start "$PY" manage.py runserver "$HOST:$PORT" ;;
esac
echo "Worker, scheduler and server started: http://$ADDRESS:$PORT/ (Ctrl-C stops all three)"
if [ "$ADDRESS" != localhost ]; then
  echo "Over plain http to $ADDRESS the browser turns off the camera, installing the app, the"
  echo "service worker, passkeys, push and wake lock: they need localhost or HTTPS (README.md)."
fi

# Whichever stops first takes the other two with it.
wait -n
