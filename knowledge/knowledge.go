// Package knowledge owns kazbot's fact base: the Fact, Topic and Pack types,
// the loader that reads a pack from any fs.FS, and the validator that rejects
// a bad pack with errors naming file, line and field.
//
// A pack is a directory holding pack.yaml (name, sections of the source,
// topics) and any number of other *.yaml files, each holding a list of facts
// (by convention one file per topic). The curated Kazakhstan pack lives in
// the kazakhstan directory and is embedded in the binary (see Embedded).
//
// This package knows nothing about matching, chat platforms or replies.
package knowledge

import (
	"cmp"
	"slices"
)

// Fact is one thing a person could ask about, answered in one or two
// self-contained sentences.
type Fact struct {
	// ID is a stable kebab-case identifier, unique in the pack.
	ID string `yaml:"id" json:"id"`
	// Topic is the id of one of the pack's topics.
	Topic string `yaml:"topic" json:"topic"`
	// Question is the canonical question the fact answers.
	Question string `yaml:"question" json:"question"`
	// Alternates are other ways people ask it: keyword forms, casual forms,
	// forms using other names.
	Alternates []string `yaml:"alternates" json:"alternates"`
	// Answer states the fact, key figures included.
	Answer string `yaml:"answer" json:"answer"`
	// Details is an optional longer explanation.
	Details string `yaml:"details,omitempty" json:"details,omitempty"`
	// Source is the heading of the source section the fact comes from.
	Source string `yaml:"source" json:"source"`
	// Date is optional, YYYY or YYYY-MM; dated facts make the timeline.
	Date string `yaml:"date,omitempty" json:"date"`
	// Tags are optional extra keywords.
	Tags []string `yaml:"tags,omitempty" json:"tags,omitempty"`
	// Related holds ids of related facts in the same pack.
	Related []string `yaml:"related,omitempty" json:"related"`
}

// Topic groups facts for browsing (/topics, /fact topic).
type Topic struct {
	// ID is the kebab-case identifier facts refer to.
	ID string `yaml:"id" json:"id"`
	// Title is the human name of the topic.
	Title string `yaml:"title" json:"title"`
	// Description is one line saying what the topic covers.
	Description string `yaml:"description" json:"description"`
}

// Pack is a validated fact base, built by Load. It is never modified after
// Load, so any number of goroutines may read it; values its methods return
// share slices with the pack and must be treated as read-only.
type Pack struct {
	// Name is a short identifier of the pack.
	Name string `yaml:"name"`
	// Title is the human name of the pack, shown by /about.
	Title string `yaml:"title"`
	// Description says what the pack knows, shown by /about.
	Description string `yaml:"description"`
	// Origin says where the facts come from (an article, a book), shown by
	// /about.
	Origin string `yaml:"origin"`
	// Sections are the headings of the source's sections; every fact's
	// Source must be one of them.
	Sections []string `yaml:"sections"`
	// Topics in display order.
	Topics []Topic `yaml:"topics"`
	// Featured lists ids of facts to show as examples (help, an empty
	// inline query); optional.
	Featured []string `yaml:"featured"`
	// Facts in file order (files sorted by name).
	Facts []Fact `yaml:"-"`

	byID    map[string]int
	byTopic map[string][]int
}

// NewPack returns header with facts attached and its lookups built. It does
// not validate: Load does that. NewPack is for programs that build packs in
// memory (generated packs in benchmarks, importers); a zero Pack works too,
// with slower lookups.
func NewPack(header Pack, facts []Fact) *Pack {
	p := header
	p.Facts = facts
	p.byID = make(map[string]int, len(facts))
	p.byTopic = make(map[string][]int, len(p.Topics))
	for i, f := range facts {
		p.byID[f.ID] = i
		p.byTopic[f.Topic] = append(p.byTopic[f.Topic], i)
	}
	return &p
}

// Fact returns the fact with the given id.
func (p *Pack) Fact(id string) (Fact, bool) {
	if p.byID != nil {
		i, ok := p.byID[id]
		if !ok {
			return Fact{}, false
		}
		return p.Facts[i], true
	}
	// A Pack not built by Load has no index.
	for _, f := range p.Facts {
		if f.ID == id {
			return f, true
		}
	}
	return Fact{}, false
}

// Topic returns the topic with the given id.
func (p *Pack) Topic(id string) (Topic, bool) {
	for _, t := range p.Topics {
		if t.ID == id {
			return t, true
		}
	}
	return Topic{}, false
}

// FactsInTopic returns the facts of a topic in pack order, none for an
// unknown topic.
func (p *Pack) FactsInTopic(id string) []Fact {
	var facts []Fact
	if p.byTopic != nil {
		for _, i := range p.byTopic[id] {
			facts = append(facts, p.Facts[i])
		}
		return facts
	}
	for _, f := range p.Facts {
		if f.Topic == id {
			facts = append(facts, f)
		}
	}
	return facts
}

// Timeline returns the dated facts ordered by date, then pack order. A date
// of only a year comes before the months of that year.
func (p *Pack) Timeline() []Fact {
	var facts []Fact
	for _, f := range p.Facts {
		if f.Date != "" {
			facts = append(facts, f)
		}
	}
	slices.SortStableFunc(facts, func(a, b Fact) int { return cmp.Compare(a.Date, b.Date) })
	return facts
}

// Coverage returns the number of facts drawn from each source section,
// including a zero for every section no fact comes from.
func (p *Pack) Coverage() map[string]int {
	n := make(map[string]int, len(p.Sections))
	for _, s := range p.Sections {
		n[s] = 0
	}
	for _, f := range p.Facts {
		n[f.Source]++
	}
	return n
}
