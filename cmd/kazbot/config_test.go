package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"kazbot/configs"
)

// runWithEnv runs kazbot with args in the environment env.
func runWithEnv(env map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: getenv(env)})
	return code, out.String(), errOut.String()
}

func TestConfigPrintsTheEffectiveConfigurationWithSecretsRedacted(t *testing.T) {
	env := map[string]string{
		"KAZBOT_TELEGRAM_TOKEN":                tgToken,
		"KAZBOT_TELEGRAM_WEBHOOK_SECRET_TOKEN": hookSecret,
		"KAZBOT_LIMITS_BURST":                  "9",
	}
	code, out, errOut := runWithEnv(env, "config", "--config", "testdata/config/operator.yaml")
	if code != 0 {
		t.Fatalf("exit code %d: %s", code, errOut)
	}
	checkGolden(t, "config-effective.golden", out)
	for _, secret := range []string{tgToken, hookSecret} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("kazbot config printed a secret:\n%s", out)
		}
	}
	var printed struct {
		Telegram struct {
			Token   string `yaml:"token"`
			Webhook struct {
				SecretToken string `yaml:"secret_token"`
			} `yaml:"webhook"`
		} `yaml:"telegram"`
		Discord struct {
			Token string `yaml:"token"`
		} `yaml:"discord"`
		Limits struct {
			Burst int `yaml:"burst"`
		} `yaml:"limits"`
	}
	if err := yaml.Unmarshal([]byte(out), &printed); err != nil {
		t.Fatalf("the output is not YAML: %v", err)
	}
	tests := []struct {
		name, got, want string
	}{
		{"a set token shows as [redacted]", printed.Telegram.Token, configs.Redacted},
		{"a set webhook secret shows as [redacted]", printed.Telegram.Webhook.SecretToken, configs.Redacted},
		{"an unset token shows empty", printed.Discord.Token, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	if printed.Limits.Burst != 9 {
		t.Errorf("limits.burst = %d, want the environment's 9 over the file's 8", printed.Limits.Burst)
	}
}

func TestConfigReadsTheFileNamedByKAZBOT_CONFIG(t *testing.T) {
	code, out, errOut := runWithEnv(map[string]string{
		"KAZBOT_CONFIG":                        "testdata/config/operator.yaml",
		"KAZBOT_TELEGRAM_WEBHOOK_SECRET_TOKEN": hookSecret, // webhook mode needs it
	}, "config")
	if code != 0 || !strings.Contains(out, "burst: 8 # from testdata/config/operator.yaml") {
		t.Errorf("exit %d, output:\n%s%s", code, out, errOut)
	}
}

func TestConfigExitsOneOnProblems(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		printsYAML bool
		want       []string
	}{
		{"invalid values print the configuration, then every problem", nil, []string{"--config", "testdata/config/invalid.yaml"}, true,
			[]string{"kazbot config: configuration problems:", `  log.level: must be debug, info, warn or error, got "chatty"`, "  limits.max_input: must be between 1 and 4096 characters, got 0"}},
		{"an unreadable file prints only the problem", nil, []string{"--config", "testdata/config/missing.yaml"}, false,
			[]string{"kazbot config: configuration problem:", "testdata/config/missing.yaml"}},
		{"a bad variable names the variable and the key", map[string]string{"KAZBOT_SHUTDOWN_TIMEOUT": "ten"}, nil, false,
			[]string{`KAZBOT_SHUTDOWN_TIMEOUT (shutdown.timeout): "ten" is not a duration`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runWithEnv(tt.env, append([]string{"config"}, tt.args...)...)
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			if got := strings.Contains(out, "shutdown:"); got != tt.printsYAML {
				t.Errorf("printed the configuration: %v, want %v:\n%s", got, tt.printsYAML, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("standard error lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestHealthcheck(t *testing.T) {
	var status int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	_, port, _ := strings.Cut(addr, ":")
	tests := []struct {
		name     string
		status   int
		env      map[string]string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"a 200 from --url is healthy", 200, nil, []string{"--url", srv.URL + "/healthz"}, 0, ""},
		{"a 503 from --url is not", 503, nil, []string{"--url", srv.URL + "/healthz"}, 1, "answered 503"},
		{"the address comes from http.listen", 200, map[string]string{"KAZBOT_HTTP_LISTEN": addr}, nil, 0, ""},
		{"a wildcard listen address is asked on 127.0.0.1", 200, map[string]string{"KAZBOT_HTTP_LISTEN": "0.0.0.0:" + port}, nil, 0, ""},
		{"nothing listening is unhealthy", 200, nil, []string{"--url", "http://127.0.0.1:1/healthz"}, 1, "connection refused"},
		{"a listener that is off cannot be asked", 200, nil, []string{"--config", "testdata/config/no-http.yaml"}, 1, "http.listen is off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status = tt.status
			code, _, errOut := runWithEnv(tt.env, append([]string{"healthcheck"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d: %s", code, tt.wantCode, errOut)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("standard error %q lacks %q", errOut, tt.wantErr)
			}
		})
	}
}

func TestLocalAddrConnectsToThisHost(t *testing.T) {
	tests := map[string]string{
		"0.0.0.0:9090":   "127.0.0.1:9090",
		":9090":          "127.0.0.1:9090",
		"[::]:9090":      "127.0.0.1:9090",
		"10.1.2.3:9090":  "10.1.2.3:9090",
		"127.0.0.1:9090": "127.0.0.1:9090",
	}
	for in, want := range tests {
		if got := localAddr(in); got != want {
			t.Errorf("localAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
