package match

import (
	"github.com/kljensen/snowball/english"
)

// Intent is what kind of answer a question wants.
type Intent uint8

// Intents read from question words.
const (
	AnyIntent     Intent = iota
	DateIntent           // when, what year
	NumberIntent         // how many, how much, what share
	MeasureIntent        // how long, how old, how far: a figure with digits
	AgentIntent          // who, which country
	ReasonIntent         // why, what for
	PlaceIntent          // where
	YesNoIntent          // is, does, did, has ...
	NameIntent           // who is the <office>: a person's name
)

// auxiliaries follow a question word: "when did", "when was".
var auxiliaries = []string{"did", "does", "do", "was", "were", "is", "are", "will", "would", "has", "have", "had", "can", "could", "should", "exactly"}

// officeWords name positions a person holds; "who is the foreign
// minister?" asks for a name.
var officeWords = setOf("minister", "president", "khan", "leader", "ruler", "king", "queen", "head",
	"chairman", "chairperson", "secretary", "ambassador", "founder", "ceo", "chief", "premier",
	"governor", "mayor", "envoy", "diplomat", "emperor", "tsar", "czar", "prime")

// term is one analysed word of a text: a stem, an entity or a number.
type term struct {
	key    string
	entity bool
	person bool
	parent []string
}

// analysis is a text made ready for matching.
type analysis struct {
	terms  []term
	intent Intent
	folded []token // words after folding, before the lexicon (small talk reads these)
}

// analyze turns text into terms: fold, repair typos (when sp is set),
// rewrite with the lexicon, drop stop words, stem.
func analyze(lx *lexicon, text string, known func(string) bool, sp *speller) analysis {
	toks := fold(text)
	a := analysis{folded: toks, intent: intentOf(toks)}
	toks = spell(toks)
	if sp != nil {
		for i, t := range toks {
			if known(t.text) || isNumber(t.text) {
				continue
			}
			if c := sp.correct(t.text); c != "" {
				toks[i].text = c
			}
		}
	}
	toks = lx.variants.rewrite(toks, nil)
	toks = lx.terms.rewrite(toks, lx.special)
	seen := map[string]bool{}
	for _, t := range toks {
		var tm term
		switch {
		case t.entity:
			tm = term{key: t.text, entity: true, person: t.person, parent: t.parent}
		case stopWords[t.text]:
			continue
		case isNumber(t.text):
			tm = term{key: t.text}
		default:
			tm = term{key: stem(t.text)}
		}
		if tm.key == "" || seen[tm.key] {
			continue
		}
		seen[tm.key] = true
		a.terms = append(a.terms, tm)
	}
	return a
}

// stem reduces a word to its Snowball English stem.
func stem(w string) string {
	if len(w) <= 2 {
		return w
	}
	return english.Stem(w, true)
}

func isNumber(w string) bool { return w != "" && isDigitString(w) }

// intentOf reads the question words of a folded text: the first question
// word decides.
func intentOf(toks []token) Intent {
	has := func(i int, words ...string) bool {
		if i < 0 || i >= len(toks) {
			return false
		}
		for _, w := range words {
			if toks[i].text == w {
				return true
			}
		}
		return false
	}
	for i, t := range toks {
		switch t.text {
		case "when":
			// A question word at the start, before an auxiliary or at the
			// end; elsewhere a conjunction ("position when russia took").
			if i == 0 || i == len(toks)-1 || has(i+1, auxiliaries...) {
				return DateIntent
			}
		case "since":
			if has(i+1, "when", "what") {
				return DateIntent
			}
		case "year", "date", "yr", "month":
			if !has(i-1, "many", "how", "last", "this", "next", "every", "each") {
				return DateIntent
			}
		case "how":
			switch {
			case has(i+1, "many", "much"):
				return NumberIntent
			case has(i+1, "long", "old", "far", "large") || (has(i+1, "big") && !has(i+2, "a", "an")):
				return MeasureIntent
			}
		case "what", "which":
			switch {
			case has(i+1, "year", "date", "month"):
				return DateIntent
			case has(i+1, "percent", "percentage", "share", "amount", "number", "sum", "proportion", "fraction", "size"):
				return NumberIntent
			case has(i+1, "country", "countries", "state", "nation", "company", "organization", "organisation", "person", "president", "leader", "body"):
				return AgentIntent
			case has(i+1, "for") && i+2 == len(toks):
				return ReasonIntent
			}
		case "number", "amount", "percent", "percentage", "count":
			if has(i+1, "of") || i == len(toks)-1 {
				return NumberIntent
			}
		case "who", "whom", "whose":
			if !t.upper || !t.mixed {
				if has(i+1, "is", "was", "were", "are", "s") {
					for j := i + 2; j < min(len(toks), i+7); j++ {
						if officeWords[toks[j].text] {
							return NameIntent
						}
					}
				}
				return AgentIntent
			}
		case "why":
			return ReasonIntent
		case "where":
			if !has(i+1, "does", "do", "did") || !has(i+3, "stand") {
				return PlaceIntent
			}
		}
	}
	if len(toks) > 0 {
		switch toks[0].text {
		case "is", "are", "was", "were", "does", "do", "did", "has", "have", "had", "can", "could", "will", "would":
			return YesNoIntent
		}
	}
	return AnyIntent
}
