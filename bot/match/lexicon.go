package match

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed lexicon.txt
var lexiconText string

// entry is what a phrase of the lexicon rewrites to.
type entry struct {
	canon  string   // the canonical term
	entity bool     // names a thing in the world (blocks facts that lack it)
	person bool     // the entity is a person
	org    bool     // the entity is an organisation, company or bloc
	parent []string // entities the canonical one is part of (unsc: un): a fact naming it involves them too
	groups []string // groups it belongs to (belarus: eaeu): facts about them may answer a question naming it
}

// lexicon rewrites folded token sequences: first spelling variants, then
// entity names and synonyms, longest phrase first.
type lexicon struct {
	variants phraseTable
	terms    phraseTable
	words    map[string]bool // every single word the lexicon knows
	names    map[string]bool // the words of entity names (typo repair may aim at them)

	memoMu sync.RWMutex
	memo   map[string]wordInfo // see info
}

type phraseTable struct {
	m       map[string]*entry
	loose   map[string]*entry // phrases without their stop words, two words or more
	stemmed map[string]*entry // loose phrases with every word stemmed ("united nation")
	starts  map[string]bool   // first words of phrases longer than one word
	byStem  map[string]*entry // one-word synonyms by stem, so that their inflections match ("championing"); nil where two disagree
	maxLen  int
}

// addStem files one-word synonym e under stem st, or marks the stem
// ambiguous when another canonical term has it.
func (t *phraseTable) addStem(st string, e *entry) {
	if t.byStem == nil {
		t.byStem = map[string]*entry{}
	}
	if prev, ok := t.byStem[st]; ok && (prev == nil || prev.canon != e.canon) {
		t.byStem[st] = nil
		return
	}
	t.byStem[st] = e
}

// one returns the entry of the single word w: its own, or that of a
// one-word synonym with its stem.
func (t *phraseTable) one(w string) (*entry, bool) {
	if e, ok := t.m[w]; ok {
		return e, true
	}
	if len(w) <= 3 || t.byStem == nil {
		return nil, false
	}
	// The stem must be w less an inflection; only a candidate the table
	// holds is worth stemming w for.
	for _, suf := range inflectionList {
		if !strings.HasSuffix(w, suf) {
			continue
		}
		st := w[:len(w)-len(suf)]
		if e := t.byStem[st]; e != nil && stem(w) == st {
			return e, true
		}
	}
	return nil, false
}

// inflectionList are the endings a word may add to its stem and still
// match a one-word synonym by stem: "championing" is "champion", but
// "national" is not "nation".
var inflectionList = []string{"", "s", "es", "e", "ed", "d", "ing", "er", "ers", "y", "ies", "ied"}

func (t *phraseTable) add(phrase []string, e *entry) {
	if t.m == nil {
		t.m, t.loose, t.stemmed, t.starts = map[string]*entry{}, map[string]*entry{}, map[string]*entry{}, map[string]bool{}
	}
	t.m[strings.Join(phrase, " ")] = e
	if len(phrase) > 1 {
		t.starts[phrase[0]] = true
	}
	t.maxLen = max(t.maxLen, len(phrase))
	var content []string
	for _, w := range phrase {
		if !stopWords[w] {
			content = append(content, w)
		}
	}
	if len(content) >= 2 {
		t.starts[content[0]] = true
		k := strings.Join(content, " ")
		if _, taken := t.loose[k]; !taken {
			t.loose[k] = e
		}
		k = stemJoin(content)
		if _, taken := t.stemmed[k]; !taken {
			t.stemmed[k] = e
		}
	}
}

// stemJoin joins the stems of words with spaces.
func stemJoin(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(stem(w))
	}
	return b.String()
}

// looseMatch matches a phrase while skipping stop words inside the text
// ("work on together" is "work together"), first as written, then with
// inflections ignored ("united nation", "security councils"). It returns
// how many tokens the match spans.
func (t *phraseTable) looseMatch(toks []token, i int) (*entry, int) {
	if stopWords[toks[i].text] {
		return nil, 0
	}
	// The content words from i on, joined once as written and once as
	// stems; the key of the first l words is a prefix of each.
	var exactBuf, stemBuf [128]byte // on the stack unless a phrase is long
	exact, stems := exactBuf[:0], stemBuf[:0]
	var buf [3][8]int // phrases are short: no allocation for these
	ends, exactCut, stemCut := buf[0][:0], buf[1][:0], buf[2][:0]
	for j := i; j < len(toks) && len(ends) < t.maxLen; j++ {
		w := toks[j].text
		if stopWords[w] {
			continue
		}
		exact, exactCut = appendWord(exact, exactCut, w)
		stems, stemCut = appendWord(stems, stemCut, stem(w))
		ends = append(ends, j+1)
	}
	if e, l := longestPrefix(t.loose, exact, exactCut); e != nil {
		return e, ends[l-1] - i
	}
	if e, l := longestPrefix(t.stemmed, stems, stemCut); e != nil {
		return e, ends[l-1] - i
	}
	return nil, 0
}

// appendWord adds w to a key of words joined by spaces and records in cuts
// the key's length after it, so that key[:cuts[l-1]] is the first l words.
func appendWord(key []byte, cuts []int, w string) ([]byte, []int) {
	if len(cuts) > 0 {
		key = append(key, ' ')
	}
	key = append(key, w...)
	return key, append(cuts, len(key))
}

// longestPrefix finds the longest phrase of two or more words that key
// starts with (see appendWord) in table, and returns it with its length in
// words. string(key[:n]) in a map index does not allocate.
func longestPrefix(table map[string]*entry, key []byte, cuts []int) (*entry, int) {
	for l := len(cuts); l >= 2; l-- {
		if e, ok := table[string(key[:cuts[l-1]])]; ok {
			return e, l
		}
	}
	return nil, 0
}

// rewrite replaces every phrase of t in toks by its canonical term,
// longest match first, and returns the new sequence. special decides, for
// ambiguous short words, whether a token may start a match at all.
//
// The rewrite is done in place: the result reuses toks' memory.
func (t *phraseTable) rewrite(toks []token, special func(toks []token, i int) (*entry, bool)) []token {
	out := toks[:0]
	for i := 0; i < len(toks); {
		if special != nil {
			if e, ok := special(toks, i); ok {
				out = append(out, e.token(toks[i]))
				i++
				continue
			}
		}
		n := 0
		var e *entry
		if t.starts[toks[i].text] {
			// The phrases of 2..maxLen words starting here are prefixes
			// of one joined key.
			var keyBuf [128]byte
			var cutBuf [16]int
			key, cuts := keyBuf[:0], cutBuf[:0]
			for _, tk := range toks[i:min(len(toks), i+t.maxLen)] {
				key, cuts = appendWord(key, cuts, tk.text)
			}
			e, n = longestPrefix(t.m, key, cuts)
			if n == 0 {
				e, n = t.looseMatch(toks, i)
			}
		}
		if n == 0 {
			if got, ok := t.one(toks[i].text); ok {
				n, e = 1, got
			}
		}
		if n == 0 {
			out = append(out, toks[i])
			i++
			continue
		}
		out = append(out, e.token(toks[i]))
		i += n
	}
	return out
}

// parseLexicon reads the lexicon format described at the top of
// lexicon.txt.
func parseLexicon(text string) (*lexicon, error) {
	lx := &lexicon{words: map[string]bool{}, names: map[string]bool{}}
	section := ""
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		head, aliases, _ := strings.Cut(line, ":")
		head, groups, _ := strings.Cut(head, "@")
		canon, parents, _ := strings.Cut(head, "<")
		canon = strings.TrimSpace(canon)
		if canon == "" {
			return nil, fmt.Errorf("lexicon line %d: no canonical term", n+1)
		}
		e := &entry{canon: canon, entity: section == "entity" || section == "person" || section == "org",
			person: section == "person", org: section == "org"}
		for _, p := range strings.Split(parents, ",") {
			if p = strings.TrimSpace(p); p != "" {
				e.parent = append(e.parent, p)
			}
		}
		for _, g := range strings.Split(groups, ",") {
			if g = strings.TrimSpace(g); g != "" {
				e.groups = append(e.groups, g)
			}
		}
		phrases := []string{canon}
		for _, a := range strings.Split(aliases, ",") {
			if a = strings.TrimSpace(a); a != "" {
				phrases = append(phrases, a)
			}
		}
		for _, p := range phrases {
			toks := fold(p)
			if section != "variant" {
				toks = lx.variants.rewrite(spell(toks), nil)
			}
			if len(toks) == 0 {
				continue
			}
			texts := make([]string, len(toks))
			for i, t := range toks {
				texts[i] = t.text
				lx.words[t.text] = true
				if e.entity {
					lx.names[t.text] = true
				}
			}
			switch section {
			case "variant":
				lx.variants.add(texts, &entry{canon: canon})
			case "entity", "person", "org":
				lx.terms.add(texts, e)
			case "synonym":
				lx.terms.add(texts, e)
				if len(texts) == 1 && !stopWords[texts[0]] {
					lx.terms.addStem(stem(texts[0]), e)
				}
			default:
				return nil, fmt.Errorf("lexicon line %d: unknown section %q", n+1, section)
			}
		}
	}
	return lx, nil
}

// addTypoTargets adds the words of the lexicon's names to freq (a word ->
// how many facts use it) with a count of 0 unless it is there: typos are
// repaired towards the pack's words and the lexicon's names ("kazakstan"),
// not towards its synonyms ("tenge" is no typo of "tense"). A short name
// the pack does not use is no target: too many words are one letter from
// one ("nicer" and Niger, "mail" and Mali).
func (lx *lexicon) addTypoTargets(freq map[string]int) {
	for w := range lx.names {
		if _, ok := freq[w]; !ok && len(w) >= minNameTarget {
			freq[w] = 0
		}
	}
}

// minNameTarget is the shortest name the pack does not use that a typo is
// repaired towards.
const minNameTarget = 6

// defaultLexicon is parsed once; it is read-only afterwards.
var defaultLexicon = func() *lexicon {
	lx, err := parseLexicon(lexiconText)
	if err != nil {
		panic(err)
	}
	return lx
}()

// usPronounBefore lists words after which "us" is the pronoun, not the
// country ("tell us", "for us").
var usPronounBefore = map[string]bool{
	"tell": true, "give": true, "show": true, "let": true, "help": true, "for": true,
	"to": true, "with": true, "send": true, "teach": true, "explain": true, "remind": true,
	"of": true, "among": true, "join": true, "like": true, "about": true, "from": true,
}

// special resolves the words that are both a common word and a name: "us"
// (pronoun or the United States), "who" (question word or the World Health
// Organization) and "polish" (the verb, before a determiner or after "to",
// or Poland's adjective).
func (lx *lexicon) special(toks []token, i int) (*entry, bool) {
	switch toks[i].text {
	case "us":
		if (toks[i].upper && toks[i].mixed) || i == 0 || !usPronounBefore[toks[i-1].text] {
			return lx.terms.m["usa"], true
		}
		return &pronounUs, true
	case "who":
		if toks[i].upper && toks[i].mixed {
			return lx.terms.m["who org"], true
		}
		return &questionWho, true
	case "polish":
		if !toks[i].upper && ((i+1 < len(toks) && verbObject[toks[i+1].text]) || (i > 0 && toks[i-1].text == "to")) {
			return &verbPolish, true
		}
	}
	return nil, false
}

// verbObject are words that begin the object of a verb: "polish its image".
var verbObject = setOf("the", "its", "their", "his", "her", "our", "my", "your", "a", "an", "up", "off", "this", "that")

// The plain readings of "us", "who" and "polish".
var (
	pronounUs   = entry{canon: "us"}
	questionWho = entry{canon: "who"}
	verbPolish  = entry{canon: "polish"}
)

// token returns the token e makes of the text it matched, which began with
// first.
func (e *entry) token(first token) token {
	if !e.entity {
		return token{text: e.canon, upper: first.upper, mixed: first.mixed, aside: first.aside, out: first.out}
	}
	return token{text: e.canon, upper: first.upper, mixed: first.mixed, ent: e, aside: first.aside, out: first.out}
}
