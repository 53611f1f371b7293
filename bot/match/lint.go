package match

import (
	"slices"

	"kazbot/knowledge"
)

// Misspelling is a word of a fact's alternate that looks like a typo of a
// word the pack spells right.
type Misspelling struct {
	Fact      string // the fact's id
	Alternate int    // index into the fact's alternates
	Text      string // the alternate
	Word      string // the word as folded
	Suggest   string // the pack's word it is probably a typo of
}

// Misspellings lists the words of alternates that look misspelt: a word no
// question, answer, details or tag uses, that is not English and not a name
// the lexicon knows, and that is a few edits from one of those texts' words.
//
// Such words hurt matching: a word of the pack is never repaired, so a
// misspelt alternate makes the typo a pack word that only its fact holds,
// and a user typing the same typo then misses every other fact that spells
// the word right. The matcher repairs typos itself; alternates need not
// carry them.
func Misspellings(facts []knowledge.Fact) []Misspelling {
	lx := defaultLexicon
	freq := map[string]int{}
	words := func(text string, each func(string)) {
		scan(text, func(w []byte, _ bool) { each(spellWord(string(w))) })
	}
	for _, f := range facts {
		texts := append([]string{f.Question, f.Answer, f.Details}, f.Tags...)
		for _, t := range texts {
			words(t, func(w string) { freq[w]++ })
		}
	}
	lx.addTypoTargets(freq)
	sp := newSpeller(freq)
	var out []Misspelling
	for _, f := range facts {
		for i, alt := range f.Alternates {
			var seen []string
			words(alt, func(w string) {
				if _, ok := freq[w]; ok || slices.Contains(seen, w) || lx.words[w] || stopWords[w] || !isAlpha(w) {
					return
				}
				seen = append(seen, w)
				if _, english := related(stem(w)); english {
					return
				}
				if c := sp.correct(w); c != "" {
					out = append(out, Misspelling{Fact: f.ID, Alternate: i, Text: alt, Word: w, Suggest: c})
				}
			})
		}
	}
	return out
}
