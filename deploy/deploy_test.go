package deploy_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"kazbot/configs"
)

// docs decodes every YAML document of every .yaml and .yml file under
// this directory.
func docs(t *testing.T) map[string][]*yaml.Node {
	t.Helper()
	out := map[string][]*yaml.Node{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var n yaml.Node
			if err := dec.Decode(&n); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Errorf("%s: %v", path, err)
				break
			}
			out[path] = append(out[path], &n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The Kubernetes objects the checks read, reduced to what they check.
type object struct {
	APIVersion string                `yaml:"apiVersion"`
	Kind       string                `yaml:"kind"`
	Metadata   struct{ Name string } `yaml:"metadata"`
	Data       map[string]string     `yaml:"data"`
	Spec       struct {
		Replicas    *int   `yaml:"replicas"`
		ServiceName string `yaml:"serviceName"`
		ClusterIP   string `yaml:"clusterIP"`
		Template    struct {
			Spec struct {
				SecurityContext struct {
					RunAsNonRoot *bool `yaml:"runAsNonRoot"`
					RunAsUser    int64 `yaml:"runAsUser"`
				} `yaml:"securityContext"`
				Containers []container `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type container struct {
	Args           []string `yaml:"args"`
	Env            []envVar `yaml:"env"`
	LivenessProbe  *probe   `yaml:"livenessProbe"`
	ReadinessProbe *probe   `yaml:"readinessProbe"`
	Ports          []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
	} `yaml:"securityContext"`
}

type envVar struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		SecretKeyRef *struct {
			Name string `yaml:"name"`
			Key  string `yaml:"key"`
		} `yaml:"secretKeyRef"`
	} `yaml:"valueFrom"`
}

type probe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
}

// objects returns the Kubernetes objects by kind and name.
func objects(t *testing.T) map[string]object {
	t.Helper()
	out := map[string]object{}
	for path, ns := range docs(t) {
		if !strings.HasPrefix(path, "kubernetes/") {
			continue
		}
		for _, n := range ns {
			var o object
			if err := n.Decode(&o); err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			if o.APIVersion == "" || o.Kind == "" || o.Metadata.Name == "" {
				t.Errorf("%s: a document without apiVersion, kind or metadata.name", path)
				continue
			}
			out[o.Kind+"/"+o.Metadata.Name] = o
		}
	}
	return out
}

func TestEveryDeployFileIsYAML(t *testing.T) {
	got := docs(t)
	for _, want := range []string{"docker-compose.yml", "kubernetes/telegram.yaml", "kubernetes/discord.yaml", "kubernetes/configmap.yaml", "kubernetes/secret.example.yaml"} {
		if len(got[want]) == 0 {
			t.Errorf("%s is missing or empty", want)
		}
	}
}

func TestKubernetesWorkloads(t *testing.T) {
	objs := objects(t)
	cm, ok := objs["ConfigMap/kazbot-config"]
	if !ok {
		t.Fatal("no ConfigMap kazbot-config")
	}
	configFile := filepath.Join(t.TempDir(), "kazbot.yaml")
	if err := os.WriteFile(configFile, []byte(cm.Data["kazbot.yaml"]), 0o600); err != nil {
		t.Fatal(err)
	}
	secretKeys := map[string]bool{}
	var secret struct {
		StringData map[string]string `yaml:"stringData"`
	}
	data, _ := os.ReadFile("kubernetes/secret.example.yaml")
	if err := yaml.Unmarshal(data, &secret); err != nil {
		t.Fatal(err)
	}
	for k := range secret.StringData {
		secretKeys[k] = true
	}

	workloads := []struct {
		name     string
		platform string
		hostname string // the pod's host name
	}{
		{"Deployment/kazbot-telegram", "telegram", "kazbot-telegram-5d8f7c9b4-x2x7q"},
		{"StatefulSet/kazbot-discord", "discord", "kazbot-discord-1"},
	}
	for _, w := range workloads {
		t.Run(w.name, func(t *testing.T) {
			o, ok := objs[w.name]
			if !ok {
				t.Fatalf("no %s", w.name)
			}
			pod := o.Spec.Template.Spec
			if sc := pod.SecurityContext; sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == 0 {
				t.Error("the pod does not run as a non-root user")
			}
			if len(pod.Containers) != 1 {
				t.Fatalf("%d containers, want 1", len(pod.Containers))
			}
			c := pod.Containers[0]
			if c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation || !c.SecurityContext.ReadOnlyRootFilesystem {
				t.Error("the container may escalate privileges or write its root file system")
			}
			if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" {
				t.Error("the liveness probe is not GET /healthz")
			}
			if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
				t.Error("the readiness probe is not GET /readyz")
			}
			// The container's environment, with secrets from the Secret.
			env := map[string]string{}
			for _, e := range c.Env {
				switch {
				case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil:
					ref := e.ValueFrom.SecretKeyRef
					if ref.Name != "kazbot-tokens" || !secretKeys[ref.Key] {
						t.Errorf("%s refers to a key the Secret does not have: %s/%s", e.Name, ref.Name, ref.Key)
					}
					env[e.Name] = "fromsecret_" + strings.ReplaceAll(ref.Key, "-", "_")
				case strings.Contains(e.Name, "TOKEN"):
					t.Errorf("%s is set literally, not from the Secret", e.Name)
				default:
					env[e.Name] = e.Value
				}
			}
			if env[configs.FileEnv] != "/etc/kazbot/kazbot.yaml" {
				t.Errorf("%s = %q, want the mounted ConfigMap", configs.FileEnv, env[configs.FileEnv])
			}
			env[configs.FileEnv] = configFile
			cfg, _, err := configs.Load(env[configs.FileEnv], func(k string) string { return env[k] })
			if err != nil {
				t.Fatalf("the pod's configuration does not load: %v", err)
			}
			if slices.Contains(c.Args, "--discord-shard-from-hostname") {
				cfg.Discord.ShardFromHostname = true
			}
			if cfg.Discord.ShardFromHostname {
				if cfg.Discord.ShardID, err = configs.ShardFromHostname(w.hostname); err != nil {
					t.Fatal(err)
				}
			}
			if err := cfg.Validate(); err != nil {
				t.Errorf("the pod's configuration is invalid:\n%v", err)
			}
			if got := cfg.Enabled(); !slices.Equal(got, []string{w.platform}) {
				t.Errorf("the pod runs %v, want only %s", got, w.platform)
			}
			if cfg.HTTP.Listen != "0.0.0.0:9090" || !hasPort(c, "http", 9090) {
				t.Errorf("the probes cannot reach http.listen %q", cfg.HTTP.Listen)
			}

			switch w.platform {
			case "telegram":
				if cfg.Telegram.Webhook.Listen == "" || !hasPort(c, "webhook", 8443) {
					t.Error("the Telegram replicas are not in webhook mode on port 8443")
				}
				if svc, ok := objs["Service/kazbot-telegram"]; !ok || svc.Spec.ClusterIP == "None" {
					t.Error("no load-balancing Service for the webhook replicas")
				}
			case "discord":
				if o.Spec.Replicas == nil {
					t.Error("the StatefulSet does not say how many replicas (shards) it runs")
				} else if *o.Spec.Replicas != cfg.Discord.ShardCount {
					t.Errorf("replicas %d, but discord.shard_count is %d: they must match", *o.Spec.Replicas, cfg.Discord.ShardCount)
				}
				if cfg.Discord.ShardID != 1 {
					t.Errorf("pod kazbot-discord-1 runs shard %d", cfg.Discord.ShardID)
				}
				svc, ok := objs["Service/"+o.Spec.ServiceName]
				if !ok || svc.Spec.ClusterIP != "None" {
					t.Errorf("serviceName %q is not a headless Service", o.Spec.ServiceName)
				}
			}
		})
	}
}

func hasPort(c container, name string, port int) bool {
	for _, p := range c.Ports {
		if p.Name == name && p.ContainerPort == port {
			return true
		}
	}
	return false
}

func TestComposeGivesEachServiceOnlyItsOwnTokenFromTheEnvironment(t *testing.T) {
	data, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Profiles    []string          `yaml:"profiles"`
			Environment map[string]string `yaml:"environment"`
			Build       struct {
				Context    string `yaml:"context"`
				Dockerfile string `yaml:"dockerfile"`
			} `yaml:"build"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatal(err)
	}
	own := map[string]string{"telegram": "KAZBOT_TELEGRAM_TOKEN", "discord": "KAZBOT_DISCORD_TOKEN"}
	for name, token := range own {
		s, ok := compose.Services[name]
		if !ok {
			t.Errorf("no %s service", name)
			continue
		}
		if s.Environment[token] != "${"+token+":-}" {
			t.Errorf("%s: %s = %q, want it from the environment", name, token, s.Environment[token])
		}
		for k := range s.Environment {
			if strings.Contains(k, "TOKEN") && k != token {
				t.Errorf("%s is also given %s", name, k)
			}
		}
		if s.Build.Context != ".." || s.Build.Dockerfile != "Dockerfile" {
			t.Errorf("%s does not build ../Dockerfile", name)
		}
	}
}

func TestDockerfileBuildsAStaticNonRootImage(t *testing.T) {
	data, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w"`, "ca-certificates.crt"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}
	final := finalStage(text)
	if len(final) == 0 || final[0] != "FROM scratch" {
		t.Fatalf("the final stage does not start FROM scratch: %q", final)
	}
	user := regexp.MustCompile(`(?m)^USER ([0-9]+):[0-9]+$`).FindStringSubmatch(strings.Join(final, "\n"))
	if user == nil {
		t.Error("the final stage has no numeric USER")
	} else if uid, _ := strconv.Atoi(user[1]); uid == 0 {
		t.Error("the image runs as root")
	}
	for _, want := range []string{"EXPOSE 9090", `CMD ["/kazbot", "healthcheck"]`, `ENTRYPOINT ["/kazbot"]`, `CMD ["serve"]`} {
		if !slices.ContainsFunc(final, func(l string) bool { return strings.Contains(l, want) }) {
			t.Errorf("the final stage lacks %q", want)
		}
	}
	// deploy/Dockerfile.local (used where the build image cannot be
	// pulled) must be the same final stage, apart from where it copies
	// from.
	local, err := os.ReadFile("Dockerfile.local")
	if err != nil {
		t.Fatal(err)
	}
	strip := func(lines []string) []string {
		return slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return strings.HasPrefix(l, "COPY ") })
	}
	if a, b := strip(final), strip(finalStage(string(local))); !slices.Equal(a, b) {
		t.Errorf("deploy/Dockerfile.local differs from the Dockerfile's final stage:\n%q\n%q", b, a)
	}
}

// finalStage returns the instructions of the last stage, comments and
// blank lines dropped, continuation lines joined.
func finalStage(dockerfile string) []string {
	var lines []string
	cont := false
	for _, l := range strings.Split(dockerfile, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if cont {
			lines[len(lines)-1] += " " + strings.TrimSuffix(l, "\\")
		} else {
			if strings.HasPrefix(l, "FROM ") {
				lines = nil
			}
			lines = append(lines, strings.TrimSuffix(l, "\\"))
		}
		cont = strings.HasSuffix(l, "\\")
	}
	for i := range lines {
		lines[i] = strings.Join(strings.Fields(lines[i]), " ")
	}
	return lines
}
