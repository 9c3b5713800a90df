#!/usr/bin/env bash
# The production stack on one machine: migrations, static files, the task worker and
# gunicorn with production settings. Set DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
# DATABASE_URL and (for more than one app server) REDIS_URL; see docs/OPERATIONS.md.
# With DEVELOPMENT=1 (`make run`): the development server instead of gunicorn, beside the
# same task worker, so e-mail is sent (printed to this console) as in production.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-.venv/bin/python}"
if [ "${DEVELOPMENT:-0}" != "1" ]; then
  export DJANGO_DEBUG="${DJANGO_DEBUG:-0}"
  : "${DJANGO_SECRET_KEY:?DJANGO_SECRET_KEY must be set}"
  "$PY" manage.py migrate --noinput
  "$PY" manage.py collectstatic --noinput --verbosity 0
fi

pids=()
if [ "${RUN_WORKER:-1}" != "0" ]; then
  "$PY" manage.py db_worker --no-reload --queue-name '*' &
  pids+=($!)
fi
if [ "${DEVELOPMENT:-0}" = "1" ]; then
  "$PY" manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}" &
else
  "$PY" -m gunicorn forum.wsgi:application \
    --bind "${HOST:-127.0.0.1}:${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-3}" \
    --timeout "${GUNICORN_TIMEOUT:-30}" \
    --graceful-timeout 20 \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
    --error-logfile - &
fi
pids+=($!)

trap 'kill -TERM "${pids[@]}" 2>/dev/null' INT TERM
# When either stops, stop the other: a supervisor (systemd, the container runtime) restarts both.
set +e
wait -n "${pids[@]}"
status=$?
kill -TERM "${pids[@]}" 2>/dev/null
wait
exit "$status"
