# kazbot's container image: one static binary on an empty base.
#
#   docker build -t kazbot .
#   docker run --rm -e KAZBOT_TELEGRAM_TOKEN -e KAZBOT_DISCORD_TOKEN -p 9090:9090 kazbot
#
# Tokens come from the environment at run time, never from the image. The
# knowledge pack is built into the binary; mount a directory and set
# KAZBOT_KNOWLEDGE_DIR to use another one (SIGHUP reloads it).

# ---- build stage -------------------------------------------------------
ARG GO_VERSION=1.26.8
FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# A static binary: no cgo, no build paths, no symbol tables.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w" -o /out/kazbot ./cmd/kazbot

# ---- final stage -------------------------------------------------------
# scratch: no shell, no package manager, nothing but the binary and the CA
# certificates it needs to reach the Telegram and Discord APIs over TLS.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/kazbot /kazbot
# Numeric, so Kubernetes' runAsNonRoot can verify it without /etc/passwd.
USER 65532:65532
# The operator listener must be reachable from outside the container
# (probes, Prometheus). Telegram's webhook listener, when used, is set with
# KAZBOT_TELEGRAM_WEBHOOK_LISTEN (for example 0.0.0.0:8443).
ENV KAZBOT_HTTP_LISTEN=0.0.0.0:9090
EXPOSE 9090
# scratch has no curl: the binary checks itself (GET /healthz on
# KAZBOT_HTTP_LISTEN).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/kazbot", "healthcheck"]
ENTRYPOINT ["/kazbot"]
CMD ["serve"]
