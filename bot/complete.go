package bot

import (
	"strings"

	"github.com/sahilm/fuzzy"

	"kazbot/knowledge"
)

// completer serves autocomplete and prefix lookups with sahilm/fuzzy, a
// subsequence matcher: right for completing what a user is typing, wrong
// for understanding a question (that is package match's job).
type completer struct {
	pack    *knowledge.Pack
	qtexts  []string // fact questions, in pack order
	titles  []string // "id title" per topic, in pack order
	feature []int    // featured fact indexes: the first fact of each topic
}

func newCompleter(p *knowledge.Pack) *completer {
	c := &completer{pack: p}
	for _, f := range p.Facts {
		c.qtexts = append(c.qtexts, f.Question)
	}
	for _, t := range p.Topics {
		c.titles = append(c.titles, t.ID+" "+t.Title)
	}
	index := map[string]int{}
	for i, f := range p.Facts {
		index[f.ID] = i
	}
	for _, id := range p.Featured {
		if i, ok := index[id]; ok {
			c.feature = append(c.feature, i)
		}
	}
	if len(c.feature) == 0 {
		// The first fact of each topic, in topic order.
		first := map[string]int{}
		for i, f := range p.Facts {
			if _, ok := first[f.Topic]; !ok {
				first[f.Topic] = i
			}
		}
		for _, t := range p.Topics {
			if i, ok := first[t.ID]; ok {
				c.feature = append(c.feature, i)
			}
		}
	}
	return c
}

// featured returns up to n featured fact indexes.
func (c *completer) featured(n int) []int {
	return c.feature[:min(n, len(c.feature))]
}

func (c *completer) featuredFacts(n int) []knowledge.Fact {
	var out []knowledge.Fact
	for _, i := range c.featured(n) {
		out = append(out, c.pack.Facts[i])
	}
	return out
}

// questions returns up to n facts whose question fuzzily matches prefix.
func (c *completer) questions(prefix string, n int) []Suggestion {
	out := []Suggestion{}
	if strings.TrimSpace(prefix) == "" {
		for _, f := range c.featuredFacts(n) {
			out = append(out, Suggestion{FactID: f.ID, Question: f.Question})
		}
		return out
	}
	for _, m := range fuzzy.Find(prefix, c.qtexts) {
		if len(out) == n {
			break
		}
		f := c.pack.Facts[m.Index]
		out = append(out, Suggestion{FactID: f.ID, Question: f.Question})
	}
	return out
}

// topics returns up to n topics matching prefix by id or title.
func (c *completer) topics(prefix string, n int) []TopicRef {
	out := []TopicRef{}
	if strings.TrimSpace(prefix) == "" {
		for _, t := range c.pack.Topics[:min(n, len(c.pack.Topics))] {
			out = append(out, TopicRef{ID: t.ID, Title: t.Title})
		}
		return out
	}
	for _, m := range fuzzy.Find(prefix, c.titles) {
		if len(out) == n {
			break
		}
		t := c.pack.Topics[m.Index]
		out = append(out, TopicRef{ID: t.ID, Title: t.Title})
	}
	return out
}

// topic resolves what a user typed after /fact to a topic: the id or title
// exactly (any case), else the best fuzzy match.
func (c *completer) topic(s string) (knowledge.Topic, bool) {
	for _, t := range c.pack.Topics {
		if strings.EqualFold(s, t.ID) || strings.EqualFold(s, t.Title) {
			return t, true
		}
	}
	if m := fuzzy.Find(s, c.titles); len(m) > 0 {
		return c.pack.Topics[m[0].Index], true
	}
	return knowledge.Topic{}, false
}
