#!/usr/bin/env bash
# docker-smoke.sh: build kazbot's container image and try it.
#
# The golang build image of ../Dockerfile may not be reachable (no Docker
# Hub), so this builds the static binary with the local Go toolchain and
# wraps it in deploy/Dockerfile.local, which is ../Dockerfile's final stage
# (FROM scratch) line for line. Then it checks, with no token and no
# network beyond the container:
#   - the image is under 25 MB and runs as a numeric non-root user;
#   - `chat` answers a piped question;
#   - `serve` without a token exits 1 and says how to set one;
#   - a running `serve` (a token, and a Telegram API URL where nothing
#     listens, so it keeps retrying and never becomes ready) is alive for
#     `healthcheck` and Docker's HEALTHCHECK, not ready on /readyz, and
#     exits 0 on `docker stop` (SIGTERM).
#
# With SMOKE_DOCKERFILE=Dockerfile it builds the real multi-stage
# ../Dockerfile instead (the golang:<version> build image must be
# available), and runs the same checks on that image.
#
# Needs docker (apt-get install -y docker.io; dockerd &). Not part of CI.
# Usage: [SMOKE_DOCKERFILE=Dockerfile] scripts/docker-smoke.sh [image-tag]
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-kazbot:smoke}
limit=$((25 * 1000 * 1000))
ctx=$(mktemp -d)
ctr=""
cleanup() {
  if [ -n "$ctr" ]; then docker rm -f "$ctr" >/dev/null 2>&1 || true; fi
  rm -rf "$ctx"
}
trap cleanup EXIT
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
step() { echo "smoke: $*"; }

command -v docker >/dev/null || fail "docker is not installed"
docker info >/dev/null 2>&1 || fail "the docker daemon is not running (start dockerd)"

step "building a static binary"
CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w" -o "$ctx/kazbot" ./cmd/kazbot
if command -v ldd >/dev/null && ldd "$ctx/kazbot" >/dev/null 2>&1; then
  fail "the binary is dynamically linked"
fi
certs=/etc/ssl/certs/ca-certificates.crt
[ -f "$certs" ] || fail "$certs is missing (apt-get install -y ca-certificates)"
cp "$certs" "$ctx/ca-certificates.crt"

if [ "${SMOKE_DOCKERFILE:-}" = Dockerfile ]; then
  step "building $tag from the multi-stage Dockerfile"
  docker build -q -f Dockerfile -t "$tag" . >/dev/null
else
  step "building $tag from deploy/Dockerfile.local"
  docker build -q -f deploy/Dockerfile.local -t "$tag" "$ctx" >/dev/null
fi

size=$(docker image inspect -f '{{.Size}}' "$tag")
step "image size: $size bytes ($((size / 1000 / 1000)) MB; binary $(stat -c %s "$ctx/kazbot") bytes)"
[ "$size" -lt "$limit" ] || fail "the image is $size bytes, over 25 MB"
user=$(docker image inspect -f '{{.Config.User}}' "$tag")
[[ "$user" =~ ^[1-9][0-9]*:[0-9]+$ ]] || fail "the image user is '$user', want a numeric non-root uid:gid"
step "image user: $user"

step "chat answers a piped question"
answer=$(echo "When did Kazakhstan join the United Nations?" | docker run --rm -i --network none "$tag" chat --quiet)
grep -q "1992" <<<"$answer" || fail "chat did not answer: $answer"

step "serve without a token exits 1 and says how to set one"
set +e
out=$(docker run --rm --network none "$tag" 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || fail "serve without a token exited $code, want 1: $out"
grep -q "KAZBOT_TELEGRAM_TOKEN" <<<"$out" && grep -q "kazbot chat" <<<"$out" || fail "unexpected message: $out"

step "a running serve is healthy, not ready, and stops cleanly"
ctr=$(docker run -d --network none --health-interval=1s --health-start-period=1s \
  -e KAZBOT_TELEGRAM_TOKEN=123456:smoke-test-token \
  -e KAZBOT_TELEGRAM_API_URL=http://127.0.0.1:1 \
  -e KAZBOT_LOG_FORMAT=json \
  "$tag")
for _ in $(seq 1 50); do
  docker exec "$ctr" /kazbot healthcheck >/dev/null 2>&1 && break
  sleep 0.2
done
docker exec "$ctr" /kazbot healthcheck || fail "healthcheck against the running serve failed"
if docker exec "$ctr" /kazbot healthcheck --url http://127.0.0.1:9090/readyz 2>/dev/null; then
  fail "/readyz answered 200 although Telegram cannot be reached"
fi
health=""
for _ in $(seq 1 30); do
  health=$(docker inspect -f '{{.State.Health.Status}}' "$ctr")
  [ "$health" = healthy ] && break
  sleep 0.5
done
[ "$health" = healthy ] || fail "Docker's HEALTHCHECK says $health"
step "docker health: $health"
docker stop -t 20 "$ctr" >/dev/null
code=$(docker inspect -f '{{.State.ExitCode}}' "$ctr")
[ "$code" -eq 0 ] || fail "serve exited $code after SIGTERM, want 0"
logs=$(docker logs "$ctr" 2>&1)
grep -q "smoke-test-token" <<<"$logs" && fail "the token appears in the container's log"
grep -q '"msg":"kazbot stopped"' <<<"$logs" || fail "no clean stop in the log: $logs"

echo "smoke: OK ($tag, $size bytes)"
