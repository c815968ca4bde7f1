#!/usr/bin/env bash
# Two app servers sharing one PostgreSQL (a throwaway cluster), one Redis and one S3-compatible
# object store (moto's server), checked as a load balancer in front of them would need them:
# see benchmarks/scale.py. Everything started here is stopped at the end, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
exec scripts/with-postgres.sh "$PY" -m benchmarks.scale "$@"
