package discord

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// endpointVars lists every string endpoint variable of discordgo that is
// derived from the REST base URL, with how it is derived (relative to
// EndpointAPI or to another entry). discordgo computes these once at init,
// so changing EndpointAPI alone changes nothing; the function-valued
// endpoints read these at call time and follow. A test compares this list
// with discordgo's endpoints.go, so a discordgo upgrade that adds one is
// caught.
var endpointVars = []struct {
	name string
	ptr  *string
	base string // "" for EndpointAPI itself, else the name of the var it extends
	tail string
}{
	{"EndpointAPI", &discordgo.EndpointAPI, "", ""},
	{"EndpointGuilds", &discordgo.EndpointGuilds, "EndpointAPI", "guilds/"},
	{"EndpointChannels", &discordgo.EndpointChannels, "EndpointAPI", "channels/"},
	{"EndpointUsers", &discordgo.EndpointUsers, "EndpointAPI", "users/"},
	{"EndpointGateway", &discordgo.EndpointGateway, "EndpointAPI", "gateway"},
	{"EndpointGatewayBot", &discordgo.EndpointGatewayBot, "EndpointGateway", "/bot"},
	{"EndpointWebhooks", &discordgo.EndpointWebhooks, "EndpointAPI", "webhooks/"},
	{"EndpointStickers", &discordgo.EndpointStickers, "EndpointAPI", "stickers/"},
	{"EndpointStageInstances", &discordgo.EndpointStageInstances, "EndpointAPI", "stage-instances"},
	{"EndpointSKUs", &discordgo.EndpointSKUs, "EndpointAPI", "skus"},
	{"EndpointVoice", &discordgo.EndpointVoice, "EndpointAPI", "/voice/"},
	{"EndpointVoiceRegions", &discordgo.EndpointVoiceRegions, "EndpointVoice", "regions"},
	{"EndpointNitroStickersPacks", &discordgo.EndpointNitroStickersPacks, "EndpointAPI", "/sticker-packs"},
	{"EndpointGuildCreate", &discordgo.EndpointGuildCreate, "EndpointAPI", "guilds"},
	{"EndpointApplications", &discordgo.EndpointApplications, "EndpointAPI", "applications"},
	{"EndpointOAuth2", &discordgo.EndpointOAuth2, "EndpointAPI", "oauth2/"},
	{"EndpointOAuth2Applications", &discordgo.EndpointOAuth2Applications, "EndpointOAuth2", "applications"},
	{"EndpointOauth2", &discordgo.EndpointOauth2, "EndpointOAuth2", ""},
	{"EndpointOauth2Applications", &discordgo.EndpointOauth2Applications, "EndpointOAuth2Applications", ""},
}

// setEndpoints points discordgo's REST endpoint variables at apiURL (for
// example "https://discord.com/api/v9/" or a proxy or fake ending in
// "/api/v9/"). discordgo keeps them as process globals computed at init, so
// this changes them for every session in the process: a process runs one
// Discord adapter, and tests that start one must not run in parallel. Run
// calls it before it creates its session.
func setEndpoints(apiURL string) {
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	if base, ok := strings.CutSuffix(apiURL, "api/v"+discordgo.APIVersion+"/"); ok {
		discordgo.EndpointDiscord = base
	}
	values := map[string]string{}
	for _, v := range endpointVars {
		val := apiURL
		if v.base != "" {
			val = values[v.base] + v.tail
		}
		values[v.name] = val
		*v.ptr = val
	}
}

// gatewayTransport answers discordgo's gateway discovery (GET
// EndpointGateway) with a configured URL, so Config.GatewayURL can override
// it: discordgo has no setting for the gateway URL. Every other request goes
// to next.
type gatewayTransport struct {
	next       http.RoundTripper
	gatewayURL string
}

func (t gatewayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet && req.URL.String() == discordgo.EndpointGateway {
		if req.Body != nil {
			req.Body.Close()
		}
		body, _ := json.Marshal(map[string]string{"url": t.gatewayURL})
		return &http.Response{
			Status:        "200 OK",
			StatusCode:    http.StatusOK,
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)),
			Request:       req,
		}, nil
	}
	return t.next.RoundTrip(req)
}
