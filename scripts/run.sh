#!/usr/bin/env bash
# `make run`: the development server and the task worker together, so e-mail (sign-up
# verification, password reset, notifications) is sent (printed to this console) as in
# production, where scripts/serve.sh runs the same worker beside gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-.venv/bin/python}"
pids=()
"$PY" manage.py db_worker --no-reload --queue-name '*' &
pids+=($!)
"$PY" manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}" &
pids+=($!)

trap 'kill -TERM "${pids[@]}" 2>/dev/null' INT TERM
# When either stops, stop the other.
set +e
wait -n "${pids[@]}"
status=$?
kill -TERM "${pids[@]}" 2>/dev/null
wait
exit "$status"
