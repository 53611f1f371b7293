package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text on its way to becoming a term.
type token struct {
	text  string
	upper bool   // written in capitals in the original ("US", "WHO")
	mixed bool   // the original text was not all in capitals
	ent   *entry // the lexicon entry it was rewritten from, if any
	aside bool   // it follows a word that sets it aside (see asideAt)
	out   bool   // it follows a word that excludes it ("besides", "apart from"; see exceptAt)
}

// contractions are the endings after an apostrophe that are dropped with
// it ("kazakhstan's" -> "kazakhstan", "didn't" -> "didn").
var contractions = map[string]bool{"s": true, "t": true, "re": true, "ll": true, "ve": true, "d": true, "m": true}

// fold splits text into lower-case words with accents removed. Letters and
// digits make words; "%" becomes the word "percent"; an apostrophe drops a
// possessive or contraction ending ("'s" after "who", "it" and the like
// is "is"); digits grouped with commas ("1,000")
// stay one number; everything else separates words.
func fold(s string) []token {
	toks := make([]token, 0, len(s)/5+1)
	scan(s, func(w []byte, upper bool) {
		toks = append(toks, token{text: string(w), upper: upper})
	})
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

// scan is fold's tokenizer: it calls emit with each folded word (valid only
// during the call) and whether the word was written in capitals.
func scan(s string, emit func(word []byte, upper bool)) {
	scanWith(make([]byte, 0, 32), s, emit)
}

// scanWith is scan with buf as the word buffer; it returns the buffer,
// grown if a word needed it, for the caller to reuse.
func scanWith(buf []byte, s string, emit func(word []byte, upper bool)) []byte {
	cur := buf[:0]
	upper := true
	letters := 0
	flush := func() {
		if n, unit := splitAmount(cur); unit != nil {
			// "$300m" is 300 million: the figure, then its unit.
			emit(cur[:n], false)
			emit(unit, false)
		} else if len(cur) > 0 {
			emit(cur, upper && letters >= 2)
		}
		cur = cur[:0]
		upper = true
		letters = 0
	}
	// apostrophe drops a possessive or contraction ending after it.
	apostrophe := func(i int) int {
		end := i
		for end < len(s) && isASCIILetter(s[end]) {
			end++
		}
		is := false
		if len(cur) > 0 && contractions[strings.ToLower(s[i:end])] {
			is = end-i == 1 && (s[i] == 's' || s[i] == 'S') && isAsks[string(cur)]
			i = end
		}
		flush()
		if is {
			emit(isWord, false)
		}
		return i
	}
	if !isASCII(s) {
		s = norm.NFKD.String(s)
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case 'a' <= r && r <= 'z':
			letters++
			upper = false
			cur = append(cur, byte(r))
		case 'A' <= r && r <= 'Z':
			letters++
			cur = append(cur, byte(r)+'a'-'A')
		case '0' <= r && r <= '9':
			upper = false
			cur = append(cur, byte(r))
		case r == '\'' || r == '`' || r == '’' || r == 'ʼ':
			i = apostrophe(i)
		case r == ',' && len(cur) > 0 && isDigitBytes(cur) && i+3 <= len(s) && isDigitString(s[i:i+3]) &&
			(i+3 == len(s) || s[i+3] < '0' || s[i+3] > '9'):
			// thousands separator: keep the number whole
		case r == '%':
			flush()
			emit(percent, false)
		case r < utf8.RuneSelf:
			flush()
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r):
			letters++
			if !unicode.IsUpper(r) {
				upper = false
			}
			cur = appendFold(cur, r)
		case unicode.IsDigit(r):
			upper = false
			cur = utf8.AppendRune(cur, r)
		default:
			flush()
		}
	}
	flush()
	return cur
}

var percent = []byte("percent")

// isAsks are the words whose "'s" is "is", not a possessive: "who's the
// foreign minister" asks who is.
var isAsks = map[string]bool{"who": true, "what": true, "where": true, "when": true, "how": true, "why": true,
	"that": true, "it": true, "there": true, "here": true, "he": true, "she": true}

var isWord = []byte("is")

// amountUnits are the suffixes of a figure written as one word ("300m",
// "2bn", "10k").
var amountUnits = map[string][]byte{
	"k": []byte("thousand"), "m": []byte("million"), "mn": []byte("million"), "mln": []byte("million"),
	"b": []byte("billion"), "bn": []byte("billion"), "bln": []byte("billion"),
}

// splitAmount returns the length of w's leading figure and the unit its
// suffix names, or a nil unit when w is not a figure with such a suffix.
func splitAmount(w []byte) (int, []byte) {
	n := 0
	for n < len(w) && w[n] >= '0' && w[n] <= '9' {
		n++
	}
	if n == 0 || n == len(w) || len(w)-n > 3 {
		return 0, nil
	}
	return n, amountUnits[string(w[n:])]
}

func isDigitBytes(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// appendFold appends r lower-cased, mapping the few letters NFKD does not
// decompose to their plain Latin forms.
func appendFold(b []byte, r rune) []byte {
	switch r {
	case 'ß':
		return append(b, 's', 's')
	case 'ı', 'İ':
		return append(b, 'i')
	case 'ə', 'Ə':
		return append(b, 'a')
	case 'ø', 'Ø':
		return append(b, 'o')
	case 'æ', 'Æ':
		return append(b, 'a', 'e')
	case 'ł', 'Ł':
		return append(b, 'l')
	}
	return utf8.AppendRune(b, unicode.ToLower(r))
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
