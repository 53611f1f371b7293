package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// CommandSpec describes one command, for help texts and for registering the
// command menu on each platform.
type CommandSpec struct {
	// Name is the command without the slash, lower case, at most 32
	// characters.
	Name string
	// Description is one line of at most 100 characters.
	Description string
	// Arg is the command's one optional or required argument, or nil.
	Arg *ArgSpec
	// Platforms lists the platforms that show the command; nil means all.
	Platforms []string
}

// ArgSpec describes a command's argument.
type ArgSpec struct {
	Name        string
	Description string
	Required    bool
	// Complete says what autocomplete offers: CompleteQuestions,
	// CompleteTopics or "" for nothing.
	Complete string
}

// Autocomplete sources for ArgSpec.Complete.
const (
	CompleteQuestions = "questions"
	CompleteTopics    = "topics"
)

type commandFunc func(ctx context.Context, e *Engine, st *state, arg string) Reply

// commandSpecs is the command set shared by every platform, in menu order.
var commandSpecs = []CommandSpec{
	{Name: "start", Description: "What kazbot is and how to ask it", Platforms: []string{"telegram"}},
	{Name: "ask", Description: "Ask a question about Kazakhstan's foreign policy",
		Arg: &ArgSpec{Name: "question", Description: "Your question, in plain words", Required: true, Complete: CompleteQuestions}},
	{Name: "fact", Description: "A random fact, from one topic or from all",
		Arg: &ArgSpec{Name: "topic", Description: "The topic to pick from", Complete: CompleteTopics}},
	{Name: "topics", Description: "The topics kazbot knows about"},
	{Name: "timeline", Description: "Dated events in order"},
	{Name: "help", Description: "How to ask and what kazbot knows"},
	{Name: "about", Description: "What kazbot knows and where its facts come from"},
}

var commandFuncs = map[string]commandFunc{
	"start":    cmdHelp,
	"help":     cmdHelp,
	"ask":      cmdAsk,
	"fact":     cmdFact,
	"topics":   cmdTopics,
	"timeline": cmdTimeline,
	"about":    cmdAbout,
}

// Commands returns the command set for platform ("" for all), in menu
// order.
func Commands(platform string) []CommandSpec {
	var out []CommandSpec
	for _, c := range commandSpecs {
		if c.Platforms == nil || platform == "" || contains(c.Platforms, platform) {
			out = append(out, c)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseCommand splits "/name@bot arg" into name (lower case, without the
// bot suffix) and arg. ok is false when text is not a command.
func ParseCommand(text string) (name, arg string, ok bool) {
	text = strings.TrimSpace(text)
	if len(text) < 2 || text[0] != '/' {
		return "", "", false
	}
	head, rest := text[1:], ""
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 {
		head, rest = head[:i], head[i:]
	}
	head, _, _ = strings.Cut(head, "@")
	if head == "" {
		return "", "", false
	}
	return strings.ToLower(head), strings.TrimSpace(rest), true
}

func (e *Engine) command(ctx context.Context, st *state, req Request, name, arg string) Reply {
	name = strings.ToLower(strings.TrimPrefix(name, "/"))
	fn, ok := commandFuncs[name]
	if !ok {
		shown, _ := Clean(name, 32)
		return Reply{
			Kind:   KindNotice,
			Answer: fmt.Sprintf("I don't know the command /%s. Try /help for the commands I know.", shown),
		}
	}
	return fn(ctx, e, st, arg)
}

func cmdHelp(_ context.Context, _ *Engine, st *state, _ string) Reply {
	return Reply{Kind: KindInfo, Title: "Help", Answer: st.helpText(), Suggestions: st.featuredSuggestions()}
}

func cmdAsk(ctx context.Context, e *Engine, st *state, arg string) Reply {
	if strings.TrimSpace(arg) == "" {
		return Reply{
			Kind:   KindNotice,
			Answer: "Put your question after /ask, for example: /ask " + st.comp.featuredFacts(1)[0].Question,
		}
	}
	return e.ask(ctx, st, arg)
}

func cmdFact(_ context.Context, e *Engine, st *state, arg string) Reply {
	arg, _ = Clean(arg, 100)
	if arg == "" {
		r := st.factReply(st.pack.Facts[e.intn(len(st.pack.Facts))])
		r.Confidence = 1
		return r
	}
	t, ok := st.comp.topic(arg)
	if !ok {
		return Reply{
			Kind:   KindNotice,
			Answer: "I have no topic by that name. Pick one of these: " + st.topicList() + ".",
			Topics: st.topicRefs(),
		}
	}
	return e.randomFact(st, t.ID)
}

// randomFact picks a fact from topic id.
func (e *Engine) randomFact(st *state, id string) Reply {
	facts := st.pack.FactsInTopic(id)
	if len(facts) == 0 {
		return Reply{Kind: KindNotice, Answer: "That topic is no longer in my knowledge base. Try /topics.", Topics: st.topicRefs()}
	}
	r := st.factReply(facts[e.intn(len(facts))])
	r.Confidence = 1
	return r
}

func cmdTopics(_ context.Context, _ *Engine, st *state, _ string) Reply {
	r := Reply{
		Kind:   KindInfo,
		Title:  "Topics",
		Answer: fmt.Sprintf("I know %s. Pick one for a fact from it, or ask a question.", st.size()),
		Topics: st.topicRefs(),
	}
	for _, t := range st.pack.Topics {
		r.Items = append(r.Items, Item{
			ID:    t.ID,
			Label: t.Title,
			Text:  fmt.Sprintf("%s (%d facts)", t.Description, len(st.pack.FactsInTopic(t.ID))),
		})
	}
	return r
}

func cmdTimeline(_ context.Context, _ *Engine, st *state, _ string) Reply {
	r := Reply{Kind: KindInfo, Title: "Timeline"}
	for _, f := range st.pack.Timeline() {
		r.Items = append(r.Items, Item{ID: f.ID, Label: FormatDate(f.Date), Text: f.Answer})
	}
	if len(r.Items) == 0 {
		r.Answer = "No fact in my knowledge base has a date."
	}
	return r
}

func cmdAbout(_ context.Context, _ *Engine, st *state, _ string) Reply {
	p := st.pack
	var b strings.Builder
	fmt.Fprintf(&b, "I'm kazbot. I know %s about %s.\n%s\n\n", st.size(), p.Title, p.Description)
	fmt.Fprintf(&b, "Where the facts come from: %s\n", p.Origin)
	b.WriteString("Every answer names the section it comes from. When I'm not sure, I say so and suggest what I do know.")
	return Reply{Kind: KindInfo, Title: "About kazbot", Answer: b.String()}
}
