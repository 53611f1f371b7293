package discord

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// discordgoEndpoints evaluates the string endpoint variables of discordgo's
// endpoints.go with EndpointDiscord set to base, and returns those whose
// value depends on it.
func discordgoEndpoints(t *testing.T, base string) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/bwmarrin/discordgo").Output()
	if err != nil {
		t.Skipf("cannot locate discordgo's source: %v", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "endpoints.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Skipf("cannot parse %s: %v", file, err)
	}
	eval := func(env map[string]string) map[string]string {
		var ev func(ast.Expr) (string, bool)
		ev = func(e ast.Expr) (string, bool) {
			switch e := e.(type) {
			case *ast.BasicLit:
				if e.Kind != token.STRING {
					return "", false
				}
				s, err := strconv.Unquote(e.Value)
				return s, err == nil
			case *ast.Ident:
				v, ok := env[e.Name]
				return v, ok
			case *ast.ParenExpr:
				return ev(e.X)
			case *ast.BinaryExpr:
				if e.Op != token.ADD {
					return "", false
				}
				x, ok1 := ev(e.X)
				y, ok2 := ev(e.Y)
				return x + y, ok1 && ok2
			}
			return "", false
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) || name.Name == "EndpointDiscord" || name.Name == "APIVersion" {
						continue
					}
					if v, ok := ev(vs.Values[i]); ok {
						env[name.Name] = v
					}
				}
			}
		}
		return env
	}
	a := eval(map[string]string{"APIVersion": discordgo.APIVersion, "EndpointDiscord": base})
	b := eval(map[string]string{"APIVersion": discordgo.APIVersion, "EndpointDiscord": "https://elsewhere.invalid/"})
	derived := map[string]string{}
	for name, v := range a {
		if name != "EndpointDiscord" && b[name] != v {
			derived[name] = v
		}
	}
	if len(derived) < 10 {
		t.Fatalf("found only %d derived endpoint variables in %s; the parser is out of step with discordgo", len(derived), file)
	}
	return derived
}

func TestSetEndpointsCoversEveryDerivedVariable(t *testing.T) {
	const base = "http://127.0.0.1:9/"
	want := discordgoEndpoints(t, base)

	var listed []string
	for _, v := range endpointVars {
		listed = append(listed, v.name)
	}
	var missing []string
	for name := range want {
		found := false
		for _, l := range listed {
			found = found || l == name
		}
		if !found {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("setEndpoints does not set %v (new in this discordgo version?)", missing)
	}
	if len(listed) != len(want) {
		t.Errorf("setEndpoints sets %d variables, discordgo derives %d from EndpointDiscord", len(listed), len(want))
	}

	t.Cleanup(func() { setEndpoints(DefaultAPIURL) })
	setEndpoints(base + "api/v" + discordgo.APIVersion + "/")
	for _, v := range endpointVars {
		if *v.ptr != want[v.name] {
			t.Errorf("%s = %q, want %q (what discordgo computes for that base)", v.name, *v.ptr, want[v.name])
		}
	}
	// The function-valued endpoints follow at call time.
	if got, want := discordgo.EndpointInteractionResponse("1", "tok"), base+"api/v9/interactions/1/tok/callback"; got != want {
		t.Errorf("EndpointInteractionResponse = %q, want %q", got, want)
	}
	if got, want := discordgo.EndpointApplicationGuildCommands("2", "3"), base+"api/v9/applications/2/guilds/3/commands"; got != want {
		t.Errorf("EndpointApplicationGuildCommands = %q, want %q", got, want)
	}
	if got, want := discordgo.EndpointChannelMessages("4"), base+"api/v9/channels/4/messages"; got != want {
		t.Errorf("EndpointChannelMessages = %q, want %q", got, want)
	}
	if discordgo.EndpointDiscord != base {
		t.Errorf("EndpointDiscord = %q, want %q", discordgo.EndpointDiscord, base)
	}

	setEndpoints(DefaultAPIURL)
	defaults := discordgoEndpoints(t, "https://discord.com/")
	for _, v := range endpointVars {
		if *v.ptr != defaults[v.name] {
			t.Errorf("after resetting, %s = %q, want discordgo's default %q", v.name, *v.ptr, defaults[v.name])
		}
	}
}

func TestGatewayTransportAnswersDiscoveryOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"from":"server"}`)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { setEndpoints(DefaultAPIURL) })
	setEndpoints(srv.URL + "/api/v9/")

	c := &http.Client{Transport: gatewayTransport{next: http.DefaultTransport, gatewayURL: "wss://gw.example/"}}
	get := func(url string) map[string]string {
		t.Helper()
		resp, err := c.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]string
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := get(discordgo.EndpointGateway); m["url"] != "wss://gw.example/" {
		t.Errorf("gateway discovery answered %v, want the configured URL", m)
	}
	if m := get(discordgo.EndpointGatewayBot); m["from"] != "server" {
		t.Errorf("another endpoint answered %v, want the server's answer", m)
	}
}
