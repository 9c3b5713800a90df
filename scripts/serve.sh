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

# Links in e-mails point where `make run` serves (production sets SITE_URL itself).
if [ "${DEVELOPMENT:-0}" = "1" ]; then
  export SITE_URL="${SITE_URL:-http://${HOST:-127.0.0.1}:${PORT:-8000}}"
fi

pids=()
# make run: «Logg inn med Microsoft» and «Logg inn med ID-porten» against a local OpenID
# Connect provider (oidc-provider-mock, a dev dependency) with two demo identities, unless real
# providers are configured (README.md, "Sign-in with the organisation").
if [ "${DEVELOPMENT:-0}" = "1" ] && [ -z "${SSO_ENTRA_CLIENT_ID:-}${SSO_IDPORTEN_CLIENT_ID:-}" ] \
  && "$PY" -c "import oidc_provider_mock" 2>/dev/null; then
  SSO_MOCK="http://127.0.0.1:${SSO_MOCK_PORT:-9400}"
  "$PY" -m oidc_provider_mock --port "${SSO_MOCK_PORT:-9400}" --require-nonce true \
    --user-claims '{"sub": "demo-entra", "email": "per.entra@drammen.kommune.no", "email_verified": true, "name": "Per Entra (demo)", "tid": "3f1c2a4e-9b7d-4c51-8e2f-0a6b5d4c3e21"}' \
    --user-claims '{"sub": "demo-ansattporten", "email": "siri.ansattporten@example.org", "email_verified": true, "name": "Siri Ansattporten (demo)", "orgno": "939214895"}' &
  pids+=($!)
  export SSO_ENTRA_CLIENT_ID=reformforum-dev SSO_ENTRA_CLIENT_SECRET=dev SSO_ENTRA_SERVER_URL="$SSO_MOCK"
  export SSO_IDPORTEN_CLIENT_ID=reformforum-dev SSO_IDPORTEN_CLIENT_SECRET=dev SSO_IDPORTEN_SERVER_URL="$SSO_MOCK"
  echo "Sign-in providers: the local OpenID Connect provider at $SSO_MOCK (demo identities)"
fi
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
