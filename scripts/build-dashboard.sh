#!/usr/bin/env bash
# Production build of the dashboard for e2e, with canary values in every server-only variable so
# e2e/tests/build-output.spec.ts can prove none of them reaches the browser bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck source=/dev/null
source e2e/build-canaries.env
set +a
cd examples/dashboard
exec node_modules/.bin/next build
