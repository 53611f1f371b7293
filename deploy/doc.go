// Package deploy holds kazbot's deployment files: a Docker Compose file,
// Kubernetes manifests and the Dockerfile used by scripts/docker-smoke.sh.
// It has no code; its test checks that every file parses and that the
// manifests give each pod a valid configuration (configs.Validate), probes
// on /healthz and /readyz, tokens from the Secret and a non-root user.
package deploy
