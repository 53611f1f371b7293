package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text on its way to becoming a term.
type token struct {
	text   string
	upper  bool     // written in capitals in the original ("US", "WHO")
	mixed  bool     // the original text was not all in capitals
	entity bool     // the lexicon names it as an entity
	person bool     // the entity is a person
	parent []string // entities this one implies
}

// contractions are the endings after an apostrophe that are dropped with
// it ("kazakhstan's" -> "kazakhstan", "didn't" -> "didn").
var contractions = map[string]bool{"s": true, "t": true, "re": true, "ll": true, "ve": true, "d": true, "m": true}

// fold splits text into lower-case words with accents removed. Letters and
// digits make words; "%" becomes the word "percent"; an apostrophe drops a
// possessive or contraction ending; digits grouped with commas ("1,000")
// stay one number; everything else separates words.
func fold(s string) []token {
	var toks []token
	var cur []rune
	upper := true
	letters := 0
	emit := func() {
		if len(cur) > 0 {
			toks = append(toks, token{text: string(cur), upper: upper && letters >= 2})
		}
		cur = cur[:0]
		upper = true
		letters = 0
	}
	s = norm.NFKD.String(s)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r):
			letters++
			if !unicode.IsUpper(r) {
				upper = false
			}
			cur = append(cur, foldRune(r)...)
		case unicode.IsDigit(r):
			upper = false
			cur = append(cur, r)
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`':
			end := i
			for end < len(s) && s[end] < utf8.RuneSelf && unicode.IsLetter(rune(s[end])) {
				end++
			}
			if len(cur) > 0 && contractions[strings.ToLower(s[i:end])] {
				i = end
			}
			emit()
		case r == ',' && len(cur) > 0 && isDigits(cur) && i+3 <= len(s) && isDigitString(s[i:i+3]) &&
			(i+3 == len(s) || !unicode.IsDigit(rune(s[i+3]))):
			// thousands separator: keep the number whole
		case r == '%':
			emit()
			toks = append(toks, token{text: "percent"})
		default:
			emit()
		}
	}
	emit()
	mixed := false
	for _, t := range toks {
		if !t.upper && hasLetter(t.text) {
			mixed = true
			break
		}
	}
	for i := range toks {
		toks[i].mixed = mixed
	}
	return toks
}

// foldRune lower-cases r and maps the few letters NFKD does not decompose.
func foldRune(r rune) []rune {
	switch r {
	case 'ß':
		return []rune{'s', 's'}
	case 'ı', 'İ':
		return []rune{'i'}
	case 'ə', 'Ə':
		return []rune{'a'}
	case 'ø', 'Ø':
		return []rune{'o'}
	case 'æ', 'Æ':
		return []rune{'a', 'e'}
	case 'ł', 'Ł':
		return []rune{'l'}
	}
	return []rune{unicode.ToLower(r)}
}

func isDigits(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func isDigitString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// spell maps British spellings to American ones so that both sides of a
// comparison agree: -ise/-isation become -ize/-ization, -our becomes -or,
// -tre becomes -ter, -ence in defence becomes -ense, -mme becomes -m.
func spell(toks []token) []token {
	for i, t := range toks {
		toks[i].text = spellWord(t.text)
	}
	return toks
}

func spellWord(w string) string {
	if len(w) < 6 {
		return w
	}
	for _, r := range spellRules {
		if strings.HasSuffix(w, r.from) && len(w)-len(r.from) >= r.stem {
			return w[:len(w)-len(r.from)] + r.to
		}
	}
	if i := strings.Index(w, "our"); i >= 3 && len(w) >= 7 {
		// neighbour, neighbouring, favourable, behaviour: "our" inside a
		// longer word after at least three letters.
		switch w[i+3:] {
		case "", "s", "ed", "ing", "hood", "hoods", "able", "ite", "ites":
			return w[:i] + "or" + w[i+3:]
		}
	}
	return w
}

var spellRules = []struct {
	from, to string
	stem     int
}{
	{"isations", "izations", 3}, {"isation", "ization", 3},
	{"ising", "izing", 3}, {"ised", "ized", 3}, {"ises", "izes", 3}, {"ise", "ize", 3},
	{"tres", "ters", 3}, {"tre", "ter", 3},
	{"ogrammes", "ograms", 2}, {"ogramme", "ogram", 2},
	{"efence", "efense", 0},
	{"oeuvre", "euver", 2}, {"oeuvres", "euvers", 2},
}
