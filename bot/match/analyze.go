package match

import (
	"slices"
	"sync"

	"github.com/kljensen/snowball/english"
)

// Intent is what kind of answer a question wants.
type Intent uint8

// Intents read from question words.
const (
	AnyIntent     Intent = iota
	DateIntent           // when, what year
	NumberIntent         // how many, how much, what share
	MeasureIntent        // how big, how large: a figure with digits
	LengthIntent         // how long, how old, how far: a length or a span of time
	DayIntent            // on which day, what exact date: a date to the day
	AgentIntent          // who, which country
	ReasonIntent         // why, what for
	PlaceIntent          // where
	YesNoIntent          // is, does, did, has ...
	NameIntent           // who is the <office>: a person's name
	SinceIntent          // how long has, how long ago: a date, a span of time or a "since"
)

// auxiliaries follow a question word: "when did", "when was".
var auxiliaries = []string{"did", "does", "do", "was", "were", "is", "are", "will", "would", "has", "have", "had", "can", "could", "should", "exactly"}

// officeWords name positions a person holds; "who is the foreign
// minister?" asks for a name.
var officeWords = setOf("minister", "president", "khan", "leader", "ruler", "king", "queen", "head",
	"chairman", "chairperson", "secretary", "ambassador", "founder", "ceo", "chief", "premier",
	"governor", "mayor", "envoy", "diplomat", "emperor", "tsar", "czar", "prime", "commissar", "spokesman",
	"spokesperson", "negotiator", "representative", "delegate", "pm", "fm")

// term is one analysed word of a text: a stem, an entity or a number.
type term struct {
	key   string
	ent   *entry // the entity it names, if any
	aside bool   // an entity or year named only in a comparison, an exception or an example ("before Russia", "besides Chevron", "after 1993")
	out   bool   // an entity set aside as an exception ("besides Chevron"): the question asks for others
	alt   bool   // an entity offered as one of alternatives ("the US or Turkey")
}

func (t term) entity() bool { return t.ent != nil }
func (t term) person() bool { return t.ent != nil && t.ent.person }

// place reports whether the term names a place: an entity that is neither a
// person nor an organisation.
func (t term) place() bool { return t.ent != nil && !t.ent.person && !t.ent.org }

// analysis is a text made ready for matching.
type analysis struct {
	terms   []term
	intent  Intent
	counted [2]string // for "how many X": the terms that may name X, the thing counted
	subject *entry    // the entity the question opens with, if any
	naming  bool      // the question asks what something is called ("what is X called", "the name of X")
	later   bool      // the question asks about a later instance ("the next summit", "the following year")
	ordinal string    // an ordinal past the first the question asks about ("the second to recognise"), or ""
	claim   bool      // the question states a claim and asks whether it holds ("..., right?")
	end     bool      // the question asks when or whether something ended ("when did its term end")
	head    bool      // the question asks who heads something ("who heads the committee")
	viewer  bool      // the subject is followed by a verb of seeing or judging ("how does Russia see ...")
	city    bool      // the question asks which city or town
	kind    kindAsk   // the question asks which country or which company
	folded  []token   // words after folding, before the lexicon (small talk reads these)
}

// analyze turns text into terms: fold, drop the words saying who asks
// (dropPersona), read "what did they want" as goals (markGoal), repair
// unknown words (when repair is set: it returns a replacement or ""),
// rewrite with the lexicon, drop stop words, stem.
func analyze(lx *lexicon, text string, repair func(string) string) analysis {
	return analyzeText(lx, text, repair, true)
}

// termsOf returns the terms of a fact's text: analyze without what only a
// question needs (its intent, subject, counted words and the folded words
// small talk reads), which is most of a pack's build.
func termsOf(lx *lexicon, text string) []term {
	return analyzeText(lx, text, nil, false).terms
}

// analyzeText is analyze; question says whether to read what only a
// question needs.
func analyzeText(lx *lexicon, text string, repair func(string) string, question bool) analysis {
	info := lx.info
	toks := dropPersona(fold(text))
	markGoal(toks)
	var small [16]wordInfo
	infos := small[:0]
	simple := true
	for i := range toks {
		inf := info(toks[i].text)
		toks[i].text = inf.spelled
		infos = append(infos, inf)
	}
	for i := range toks {
		toks[i].aside = asideAt(toks, i)
		toks[i].out = toks[i].aside && exceptAt(toks, i)
	}
	var a analysis
	if question {
		a.folded, a.intent = slices.Clone(toks), intentOf(toks)
		a.naming = a.intent != NameIntent && asksName(toks)
		a.later = asksLater(toks, lx.names)
		a.ordinal = ordinalOf(toks)
		a.claim = checksClaim(toks)
		a.end = asksEnd(toks)
		a.head = asksHead(toks)
		a.city = asksCity(toks)
		a.kind = asksKind(lx, toks)
	}
	if repair != nil {
		for i, t := range toks {
			if c := repair(t.text); c != "" {
				toks[i].text = c
				infos[i] = info(c)
			}
		}
	}
	for _, inf := range infos {
		simple = simple && inf.simple
	}
	a.terms = make([]term, 0, len(toks))
	if simple {
		// No word can start a phrase: each word's term is its own.
		for i, inf := range infos {
			if !inf.skip {
				tm := markTerm(inf.term, toks, i, func(j int) bool { return infos[j].term.ent != nil })
				a.terms = addTerm(a.terms, tm)
			}
		}
		if question {
			a.setCounted(toks, func(i int) (term, bool) { return infos[i].term, !infos[i].skip })
			if i := subjectWord(toks); i >= 0 {
				a.subject, a.viewer = infos[i].term.ent, viewsAt(toks, i+1)
			}
		}
		return a
	}
	toks = lx.variants.rewrite(toks, nil)
	toks = lx.terms.rewrite(toks, lx.special)
	for i, t := range toks {
		if tm, ok := tokenTerm(t); ok {
			a.terms = addTerm(a.terms, markTerm(tm, toks, i, func(j int) bool { return toks[j].ent != nil }))
		}
	}
	if question {
		a.setCounted(toks, func(i int) (term, bool) { return tokenTerm(toks[i]) })
		if i := subjectWord(toks); i >= 0 {
			a.subject, a.viewer = toks[i].ent, viewsAt(toks, i+1)
		}
	}
	return a
}

// markTerm sets what the position of tm, the term of toks[i], says of it:
// an entity or a year set aside (see asideAt, yearAsideAt), an entity
// excluded (exceptAt) or offered as one of alternatives (orAt, where
// entity reports whether toks[j] names one).
func markTerm(tm term, toks []token, i int, entity func(j int) bool) term {
	tm.aside = (tm.ent != nil && toks[i].aside) || (isYear(tm.key) && yearAsideAt(toks, i))
	tm.out = tm.ent != nil && toks[i].out
	tm.alt = tm.ent != nil && orAt(toks, i, entity)
	return tm
}

// personaWork are what people call their work, study or writing when they
// say who is asking or why.
var personaWork = setOf("presentation", "essay", "homework", "class", "thesis", "paper", "report", "assignment",
	"project", "exam", "course", "lecture", "dissertation", "article", "quiz", "seminar", "blog", "podcast")

// claimVerbs introduce what someone else holds: "my coworker insists ...".
var claimVerbs = setOf("says", "said", "insists", "insisted", "claims", "claimed", "thinks", "thought",
	"told", "tells", "reckons", "argues", "argued", "believes", "swears", "keeps")

// markGoal rewrites the verb of "what did the khans want" and "what were
// they after" to "aims": the question asks for goals, though "want" and
// "after" are stop words elsewhere ("i want to know", "after 1991").
func markGoal(toks []token) {
	if j := goalVerb(len(toks), func(i int) string { return toks[i].text }); j >= 0 {
		toks[j].text = "aims"
	}
}

// goalVerb returns the index of the verb markGoal rewrites among n words
// (at gives each), or -1.
func goalVerb(n int, at func(int) string) int {
	for i := 0; i+3 < n; i++ {
		if at(i) != "what" {
			continue
		}
		var verb string
		switch at(i + 1) {
		case "did", "do", "does":
			verb = "want"
		case "was", "were", "is", "are":
			verb = "after"
		default:
			continue
		}
		for j := i + 3; j < min(n, i+7); j++ {
			if at(j) == verb && (verb == "want" || j+1 == n || !stopWords[at(j+1)] || at(j+1) == "when" || at(j+1) == "in") {
				return j
			}
		}
	}
	return -1
}

// personaOpeners are the words dropPersona starts from; with "what" (see
// goalVerb) they send a pack's phrasing through the full analysis.
var personaOpeners = setOf("here", "my", "our", "i", "ive", "im")

// dropPersona removes from a question the words that say who is asking or
// why, which name nothing the answer is about: "retired diplomat here",
// "student here", "my professor says", "my russian coworker insists", "for
// my presentation", "i read that". Their words would otherwise count
// against every fact as words it does not hold.
func dropPersona(toks []token) []token {
	drop := personaMask(len(toks), func(i int) string { return toks[i].text })
	if drop == nil || slices.Index(drop, false) < 0 {
		return toks
	}
	out := toks[:0]
	for i, t := range toks {
		if !drop[i] {
			out = append(out, t)
		}
	}
	return out
}

// personaMask marks the words of n words (at gives each) that dropPersona
// drops; nil when it drops none.
func personaMask(n int, at func(int) string) []bool {
	var drop []bool
	mark := func(from, to int) {
		if drop == nil {
			drop = make([]bool, n)
		}
		for j := from; j < to; j++ {
			drop[j] = true
		}
	}
	// "retired diplomat here", "student here": who is asking, at the start.
	if n > 4 && !questionWords[at(0)] && !yesNoOpeners[at(0)] && !stopWords[at(0)] {
		for k := 1; k <= 3; k++ {
			if at(k) == "here" {
				mark(0, k+1)
				break
			}
		}
	}
	for i := 0; i < n; i++ {
		switch at(i) {
		case "my", "our":
			// "my (russian) coworker insists", "my teacher told me"
			for k := i + 2; k <= i+3 && k < n; k++ {
				if claimVerbs[at(k)] {
					end := k + 1
					for end < n && (at(end) == "me" || at(end) == "us" || at(end) == "that" || at(end) == "saying" || at(end) == "telling") {
						end++
					}
					mark(i, end)
					break
				}
			}
			// "for my presentation", "in my essay"
			if i > 0 && i+1 < n && personaWork[at(i+1)] {
				mark(i-1, i+2)
			}
		case "i", "ive", "im":
			// "i read that", "i heard"
			if i+1 < n && (at(i+1) == "read" || at(i+1) == "heard") {
				end := i + 2
				if end < n && at(end) == "that" {
					end++
				}
				mark(i, end)
			}
		}
	}
	return drop
}

// actsFor reports whether the rest of a who-question asks who acted on a
// party's side ("who signed it on Russia's side", "on the Russian side"):
// a person, not the party. "Who took Russia's side" asks for a party, and
// "on behalf of the Kazakhs" may ask for an office.
func actsFor(toks []token) bool {
	for i, t := range toks {
		if t.text == "side" {
			for j := max(0, i-4); j < i; j++ {
				if toks[j].text == "on" {
					return true
				}
			}
		}
	}
	return false
}

// viewsAt reports whether a verb of seeing or judging comes at toks[i],
// after at most two stop words: the subject before it is the one whose view
// the question asks for ("how does Russia itself see Kazakhstan").
func viewsAt(toks []token, i int) bool {
	for j := i; j < min(len(toks), i+3); j++ {
		if viewVerbs[toks[j].text] {
			return true
		}
		if !stopWords[toks[j].text] {
			return false
		}
	}
	return false
}

// viewVerbs ask how someone sees or judges something.
var viewVerbs = setOf("see", "sees", "view", "views", "regard", "regards", "describe", "describes", "consider",
	"considers", "perceive", "perceives", "rate", "rates", "judge", "judges", "feel", "feels", "treat", "treats")

// asksCity reports whether a question asks which city or town ("in which
// city was it signed"). "Which capitals" often means the countries. It is
// not an intent: "when and in which city did ..." asks for a date and a
// city, and intentOf keeps only the first.
func asksCity(toks []token) bool {
	for i := 0; i+1 < len(toks); i++ {
		if (toks[i].text == "which" || toks[i].text == "what") && (toks[i+1].text == "city" || toks[i+1].text == "town") {
			return true
		}
		if i > 0 && toks[i].text == "or" && cityNames[toks[i-1].text] && cityNames[toks[i+1].text] {
			return true // "is it in almaty or astana"
		}
	}
	return false
}

// kindAsk is the kind of entity a question asks for by its kind's name.
type kindAsk struct {
	kind entityKind
	ok   bool // the question asks for one
}

// kindNouns name a kind of entity: "which country", "what companies".
// "State" is left out ("what state bodies"), and so are people, whom
// NameIntent asks for by their office.
var kindNouns = map[string]entityKind{
	"country": placeKind, "countries": placeKind, "nation": placeKind, "nations": placeKind,
	"neighbour": placeKind, "neighbours": placeKind, "neighbor": placeKind, "neighbors": placeKind,
	"company": orgKind, "companies": orgKind, "firm": orgKind, "firms": orgKind,
	"corporation": orgKind, "corporations": orgKind, "organisation": orgKind, "organisations": orgKind,
	"organization": orgKind, "organizations": orgKind, "bloc": orgKind, "blocs": orgKind,
	"alliance": orgKind, "alliances": orgKind,
}

// kindCanons are the lexicon's terms for kinds of entity: a two-word
// phrase the lexicon reads as one of them names the kind ("oil major").
var kindCanons = map[string]entityKind{"company": orgKind, "organization": orgKind, "country": placeKind}

// kindWords ask for a kind rather than a name: "what kind of company".
var kindWords = setOf("type", "types", "kind", "kinds", "sort", "sorts")

// asksKind reports which kind of entity a question asks for by naming the
// kind after "which" or "what", with at most one word between ("which
// other countries", "what turkish company"; "which union's member
// countries" asks for a union), or by a two-word name the lexicon gives
// the kind ("which US oil major", a company): the answer must name one.
// "What kind of company" asks for a kind.
func asksKind(lx *lexicon, toks []token) kindAsk {
	for i, t := range toks {
		if t.text != "which" && t.text != "what" {
			continue
		}
		for j := i + 1; j < min(len(toks), i+4); j++ {
			if k, ok := kindNouns[toks[j].text]; ok && j < i+3 {
				return kindAsk{k, true}
			}
			if j > i+1 {
				if e, ok := lx.terms.m[toks[j-1].text+" "+toks[j].text]; ok {
					if k, ok := kindCanons[e.canon]; ok {
						return kindAsk{k, true}
					}
				}
			}
			if stopWords[toks[j].text] && toks[j].text != "other" || kindWords[toks[j].text] {
				break // "what kind of company"
			}
		}
	}
	return kindAsk{}
}

// laterOrdinals rank past the first. "First" is left out: people say "when
// did Kazakhstan first join" of the only time.
var laterOrdinals = setOf("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
	"2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th")

// ordinalOf returns the first ordinal past the first in toks ("which
// country was the second to recognise Kazakhstan"), or "": a fact that
// never says it answers another question ("the first to").
func ordinalOf(toks []token) string {
	for i, t := range toks {
		if laterOrdinals[t.text] && (i+1 == len(toks) || !ordinalNames[toks[i+1].text]) {
			return t.text
		}
	}
	return ""
}

// ordinalNames make an ordinal part of a name or a measure, not a rank:
// "the Second World War", "the second half of the 1990s".
var ordinalNames = setOf("world", "half", "quarter", "hand")

// endWords ask when or whether something ended; endStems, in an answer,
// say it did.
var (
	endWords = setOf("end", "ended", "ends", "expire", "expired", "expires", "abolished", "abolish", "finish",
		"finished", "terminated", "ceased", "dissolved", "scrapped")
	endStems = setOf("end", "until", "expir", "abolish", "dissolv", "collaps", "finish", "ceas", "termin",
		"broke", "break", "fell", "scrap", "dissolut")
)

// asksEnd reports whether a question asks when or whether something ended
// ("when did its security council term end", "was the committee
// abolished"): a fact that says only when it began does not say.
func asksEnd(toks []token) bool {
	for i, t := range toks {
		if !endWords[t.text] || i > 0 && (toks[i-1].text == "the" || toks[i-1].text == "an" || toks[i-1].text == "what") {
			continue
		}
		switch t.text {
		case "end", "ended", "ends", "finish", "finished":
			// "when did it end (in ...)", not "end up with" or "finished
			// with".
			if i+1 == len(toks) || endFollowers[toks[i+1].text] {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// endFollowers may follow "end" when it means ending: "when did it end in
// 2018", "did it end before".
var endFollowers = setOf("in", "on", "at", "after", "before", "when", "and", "or", "so", "already", "yet")

// headVerbs follow "who" in a question asking who heads something.
var headVerbs = setOf("heads", "headed", "chairs")

// asksHead reports whether a question asks who heads something ("who heads
// the information committee"): a person or an office answers it.
func asksHead(toks []token) bool {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].text == "who" && (headVerbs[toks[i+1].text] || toks[i+1].text == "is" && i+2 < len(toks) && toks[i+2].text == "heading") {
			return true
		}
	}
	return false
}

// asksLater reports whether a question asks about the next or following
// instance of something ("where was the next summit held", "who had the
// chair the following year", "the year after Kazakhstan", "its
// successor"): a fact about a dated event does not say. "Next door" and
// "next to" are places. names are the words of entity names.
func asksLater(toks []token, names map[string]bool) bool {
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].text == "the" && (toks[i+1].text == "following" || toks[i+1].text == "next" && toks[i+2].text != "door" && toks[i+2].text != "to") {
			return true
		}
		if toks[i].text == "the" && toks[i+1].text == "year" && toks[i+2].text == "after" && i+3 < len(toks) && names[toks[i+3].text] {
			// "who chaired it the year after Kazakhstan"; "the year after
			// independence" is a time.
			return true
		}
	}
	for _, t := range toks {
		if t.text == "successor" || t.text == "succeeded" {
			return true
		}
	}
	return false
}

// asksName reports whether a question asks what something is called:
// "what is the EAEU's governing body called", "the full name of the
// treaty". NameIntent covers the names of people in an office.
func asksName(toks []token) bool {
	for i, t := range toks {
		switch t.text {
		case "called":
			if i > 0 && toks[i-1].text != "so" && (i+1 == len(toks) || toks[i+1].text == "and" || toks[i+1].text == "in") {
				return true
			}
		case "name":
			inName := i >= 2 && toks[i-2].text == "in" // "in the name of"
			if i+1 < len(toks) && toks[i+1].text == "of" && !inName && (i == 0 || toks[i-1].text == "the" || toks[i-1].text == "full" || toks[i-1].text == "official") {
				return true
			}
		}
	}
	return false
}

// leadOf returns the first entity terms name plainly, with Kazakhstan and
// anything of it as "kazakhstan", or "". Whom a question names first is
// usually whom it is about: "does Kazakhstan want to lead the region" and
// "do the other stans like Kazakhstan leading" ask different things.
func leadOf(terms []term) string {
	for _, t := range terms {
		if t.entity() && !t.aside {
			if impliesKazakhstan(t) {
				return "kazakhstan"
			}
			return t.key
		}
	}
	return ""
}

// setCounted records the terms of the words a "how many" question counts
// (see countedWords); termAt gives the term of toks[i], false for a stop
// word.
func (a *analysis) setCounted(toks []token, termAt func(i int) (term, bool)) {
	for k, i := range countedWords(toks) {
		if i >= 0 {
			if tm, ok := termAt(i); ok {
				a.counted[k] = tm.key
			}
		}
	}
}

// subjectOpeners may come before the subject of a question: "in what year
// did the US ...", "how much did Russia ...".
var subjectOpeners = setOf("when", "what", "how", "who", "which", "why", "where", "whom", "whose",
	"whats", "many", "much", "long", "often", "far", "soon", "in", "on", "at", "since", "by",
	"year", "the", "a", "an", "did", "does", "do", "has", "have", "had", "is", "are", "was", "were",
	"will", "would", "can", "could", "should")

// subjectWord returns the index of the word that opens a question as its
// subject ("has Russia recognised ...": Russia), or -1 when the question
// does not open with a subject after its question words.
func subjectWord(toks []token) int {
	for i, t := range toks {
		if !subjectOpeners[t.text] {
			if i == 0 {
				return -1
			}
			return i
		}
	}
	return -1
}

// tokenTerm turns a rewritten token into its term; ok is false for stop
// words.
func tokenTerm(t token) (term, bool) {
	switch {
	case t.ent != nil:
		return term{key: t.text, ent: t.ent}, true
	case stopWords[t.text] || t.text == "":
		return term{}, false
	case isNumber(t.text):
		return term{key: t.text}, true
	default:
		return term{key: stem(t.text)}, true
	}
}

// addTerm appends tm unless a term with its key is there already; an
// entity named both aside and plainly is plain.
func addTerm(terms []term, tm term) []term {
	for i, prev := range terms {
		if prev.key == tm.key {
			terms[i].aside = prev.aside && tm.aside
			terms[i].out = prev.out && tm.out
			terms[i].alt = prev.alt && tm.alt
			return terms
		}
	}
	return append(terms, tm)
}

// orAt reports whether the word at toks[i] is one of alternatives joined by
// "or" ("was it the US or Turkey", "Iraq or Afghanistan", and in a list,
// "Moscow, Kyiv or neither", whose commas folding has dropped): a fact may
// answer by naming any one of them. entity reports whether toks[j] names
// an entity.
func orAt(toks []token, i int, entity func(j int) bool) bool {
	for k := i; k+1 < len(toks); k++ {
		if toks[k+1].text == "or" {
			return true
		}
		if !entity(k + 1) {
			break
		}
	}
	j := wordBefore(toks, i, "the", "a", "an")
	return j >= 0 && toks[j].text == "or"
}

// wordBefore returns the index of the nearest word before toks[i] that is
// not one of skip, or -1.
func wordBefore(toks []token, i int, skip ...string) int {
	j := i - 1
	for j >= 0 && slices.Contains(skip, toks[j].text) {
		j--
	}
	return j
}

// guessOpeners and guessRanks make a guess at who holds a rank: "was Russia
// the first", "is China the biggest".
var (
	guessOpeners = setOf("is", "was", "were", "are")
	guessRanks   = setOf("first", "only", "biggest", "largest", "main", "top", "leading", "earliest", "last")
)

// anyoneWords, after "or", make what comes before an example.
var anyoneWords = setOf("whoever", "whatever", "anyone", "anybody", "someone", "somebody", "something", "similar")

// asideAt reports whether the word at toks[i] is set aside: by a comparison
// or an exception before it ("before the US", "similar to the EU", "apart
// from Russia"), as a point in time ("pre-Soviet", "after the USSR"), as
// where a thing is based ("the Vienna-based OSCE"), or as an example ("such
// as Russia", "CNPC, Sinopec etc", "Tokayev or whoever is president"), or
// as a guess at the answer ("was Russia the first to recognise it?").
// What a question compares with, excludes or gives as an example is not
// what it asks about. It reads the words before any is repaired, since
// repair may rewrite the marker itself.
func asideAt(toks []token, i int) bool {
	// Examples ("cnpc, sinopec etc", "such as Russia") illustrate a kind
	// of thing; the question asks about the kind.
	for j := i + 1; j < min(len(toks), i+4); j++ {
		if toks[j].text == "etc" {
			return true
		}
		if stopWords[toks[j].text] {
			break
		}
	}
	// "the Vienna-based OSCE": where a thing is based describes it.
	if i+1 < len(toks) && (toks[i+1].text == "based" || toks[i+1].text == "headquartered") {
		return true
	}
	// "Tokayev or whoever is president": an example of whoever holds it.
	if i+2 < len(toks) && toks[i+1].text == "or" && anyoneWords[toks[i+2].text] {
		return true
	}
	// "Was Russia the first to recognise it?", "I thought Russia was the
	// first": a guess at the answer.
	if i == 1 && i+2 < len(toks) && guessOpeners[toks[0].text] && toks[i+1].text == "the" && guessRanks[toks[i+2].text] ||
		i+3 < len(toks) && guessOpeners[toks[i+1].text] && toks[i+2].text == "the" && guessRanks[toks[i+3].text] {
		return true
	}
	j := wordBefore(toks, i, "the", "a", "an", "even", "say")
	if j < 0 {
		return false
	}
	prev := ""
	if j > 0 {
		prev = toks[j-1].text
	}
	switch toks[j].text {
	case "before", "than", "besides", "except", "excluding", "unlike", "pre", "post", "ex", "after":
		return true
	case "from":
		return prev == "apart" || prev == "aside"
	case "to", "with":
		return prev == "similar" || prev == "compared" || prev == "comparison" || prev == "relative" || prev == "than"
	case "of":
		return prev == "instead"
	case "as":
		return prev == "such"
	}
	return false
}

// exceptAt reports whether the word at toks[i], which asideAt sets aside,
// is excluded rather than compared with: "besides Chevron", "apart from
// Russia", "other than the US". A question that excludes something asks
// for others of its kind.
func exceptAt(toks []token, i int) bool {
	j := wordBefore(toks, i, "the", "a", "an", "even", "say")
	if j < 0 {
		return false
	}
	switch toks[j].text {
	case "besides", "except", "excluding":
		return true
	case "from":
		return j > 0 && (toks[j-1].text == "apart" || toks[j-1].text == "aside")
	case "than":
		return j > 0 && toks[j-1].text == "other"
	}
	return false
}

// yearAsideAt reports whether the year at toks[i] is a point of
// reference rather than the time asked about: right after "before" or
// "after" ("did it join before or after 1993"). "after the 2022
// mobilisation" dates an event the question is about.
func yearAsideAt(toks []token, i int) bool {
	if i == 0 {
		return false
	}
	switch toks[i-1].text {
	case "before", "after", "pre", "post":
		return true
	}
	return false
}

// wordInfo is what the lexicon makes of one folded word on its own.
type wordInfo struct {
	spelled string // the word in American spelling
	simple  bool   // it can start no phrase, so its term depends on it alone
	skip    bool   // it is a stop word: no term
	term    term   // its term, when simple and not skipped
}

// info returns the word's analysis, remembered for up to maxWords words.
func (lx *lexicon) info(w string) wordInfo {
	lx.memoMu.RLock()
	inf, ok := lx.memo[w]
	lx.memoMu.RUnlock()
	if ok {
		return inf
	}
	inf = lx.computeInfo(w)
	lx.memoMu.Lock()
	if lx.memo == nil {
		lx.memo = map[string]wordInfo{}
	}
	if len(lx.memo) < maxWords {
		lx.memo[w] = inf
	}
	lx.memoMu.Unlock()
	return inf
}

// maxWords bounds the word memo, so hostile input cannot grow it without
// end.
const maxWords = 200_000

func (lx *lexicon) computeInfo(w string) wordInfo {
	inf := wordInfo{spelled: spellWord(w)}
	v := inf.spelled
	if lx.variants.starts[v] {
		return inf
	}
	if e, ok := lx.variants.m[v]; ok {
		v = e.canon
	}
	if lx.terms.starts[v] || v == "us" || v == "who" || v == "polish" {
		return inf
	}
	t := token{text: v}
	if e, ok := lx.terms.one(v); ok {
		t = e.token(t)
	}
	inf.simple = true
	tm, ok := tokenTerm(t)
	inf.term, inf.skip = tm, !ok
	return inf
}

// stem reduces a word to its Snowball English stem. Stems of words seen
// before are remembered (packs fill the memo as they are indexed).
func stem(w string) string {
	if len(w) <= 2 {
		return w
	}
	stemMu.RLock()
	s, ok := stemMemo[w]
	stemMu.RUnlock()
	if ok {
		return s
	}
	s = english.Stem(w, true)
	stemMu.Lock()
	if len(stemMemo) < maxStems {
		stemMemo[w] = s
	}
	stemMu.Unlock()
	return s
}

// stemMemo remembers up to maxStems stems: the vocabulary of the packs plus
// what questions bring, bounded so that hostile input cannot grow it
// without end.
var (
	stemMu   sync.RWMutex
	stemMemo = map[string]string{}
)

const maxStems = 200_000

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
	asked := false // a question word that decided nothing has been read
	for i, t := range toks {
		switch t.text {
		case "what", "whats", "which", "how":
			asked = true
		case "and":
			// A second question joined to a first that asked for nothing
			// in particular ("what is CICA and where did it come from") or
			// yes or no ("is it mostly energy, and how large is it"): the
			// answer need not be of the second kind alone.
			if (asked || yesNoOpeners[toks[0].text]) && (has(i+1, "when") || i+1 < len(toks) && questionWords[toks[i+1].text]) {
				return AnyIntent
			}
		}
		switch t.text {
		case "when":
			// A question word at the start, before an auxiliary or at the
			// end; elsewhere a conjunction ("position when russia took"),
			// and so is an opening "when" that a question word follows
			// ("when the USSR fell, why did ...") or a yes-no question
			// ("when Russia took Crimea, did Kazakhstan back it").
			if i == len(toks)-1 || has(i+1, auxiliaries...) ||
				(i == 0 && !slices.ContainsFunc(toks[1:], func(t token) bool { return questionWords[t.text] }) && !laterYesNo(toks)) {
				return DateIntent
			}
		case "since":
			if has(i+1, "when", "what") {
				return SinceIntent
			}
		case "day":
			if has(i-1, "which", "what", "exact") {
				return DayIntent
			}
		case "year", "date", "yr", "month":
			if has(i-1, "exact") && t.text == "date" {
				return DayIntent
			}
			if !has(i-1, "many", "how", "last", "this", "next", "every", "each") {
				return DateIntent
			}
		case "how":
			switch {
			case has(i+1, "much") && has(i+2, "of") && has(i+3, "a", "an"):
				// "how much of a say": to what extent, not a figure
			case has(i+1, "much") && slices.ContainsFunc(toks[i+2:min(len(toks), i+8)], func(t token) bool { return extentVerbs[t.text] }):
				// "how much does a stable Afghanistan matter": to what extent
			case has(i+1, "many", "much", "often"):
				return NumberIntent
			case has(i+1, "long") && has(i+2, "has", "have", "ago"):
				// "how long has the committee existed": since when.
				return SinceIntent
			case has(i+1, "long", "old", "far", "tall"):
				return LengthIntent
			case has(i+1, "large") || (has(i+1, "big") && !has(i+2, "a", "an")):
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
			case i+1 < len(toks) && !stopWords[toks[i+1].text] && !has(i+1, "type", "types", "kinds", "sorts", "role") &&
				officeWithin(toks, i+2, 2):
				// "which turkish prime minister" asks for a person's name;
				// "what kind of leader" does not ("kind" and "sort" are
				// stop words).
				return NameIntent
			case has(i+1, "city", "town", "place", "location", "venue", "capital", "region", "site") && !has(i+2, "wide"):
				return PlaceIntent
			case has(i+1, "for") && i+2 == len(toks):
				return ReasonIntent
			}
		case "number", "amount", "percent", "percentage", "count":
			if has(i+1, "of") || i == len(toks)-1 {
				return NumberIntent
			}
		case "name":
			// "the name of the foreign minister" (or, terse, "name of the
			// foreign minister") asks for a person; "the name of the
			// treaty" for what the fact calls it.
			if has(i+1, "of") && (i == 0 || has(i-1, "the", "whats", "s")) && officeWithin(toks, i+2, 4) {
				return NameIntent
			}
		case "who", "whom", "whose":
			if !t.upper || !t.mixed {
				if has(i+1, "founded", "established", "created", "started", "set") {
					return NameIntent
				}
				if has(i+1, "is", "was", "were", "are", "s") && officeWithin(toks, i+2, 5) {
					return NameIntent
				}
				if actsFor(toks[i+1:]) {
					return NameIntent
				}
				return AgentIntent
			}
		case "why":
			return ReasonIntent
		case "reason", "reasons", "logic", "rationale", "motive", "motives", "motivation":
			if has(i+1, "behind", "for", "of") {
				return ReasonIntent
			}
		case "where":
			// "where does X stand" asks for a position and "where did X
			// come from" for an origin, not for a place.
			origin := false
			for j := i + 1; j < min(len(toks), i+8); j++ {
				origin = origin || originWords[toks[j].text]
			}
			// Inside a sentence and before no auxiliary, "where" is relative
			// ("blocs where Russia calls the shots").
			relative := i > 0 && !has(i+1, auxiliaries...) && !has(i-1, "and", "from", "so", "but")
			if !origin && !relative && (!has(i+1, "does", "do", "did") || !has(i+3, "stand")) {
				return PlaceIntent
			}
		}
	}
	yesNo := len(toks) > 0 && yesNoOpeners[toks[0].text] || checksClaim(toks)
	whatOpen := len(toks) > 0 && (toks[0].text == "what" || toks[0].text == "whats")
	for i, t := range toks {
		// "Has it kept its distance?" asks yes or no, not for a figure;
		// "what is Tengiz's daily output?" asks for one, and "what area"
		// for a kind. Some quantities are never a kind: a terse "annual
		// trade turnover kz china" asks for a figure too.
		if !yesNo && quantityWords[t.text] && (i > 0 && (toks[i-1].text == "the" || toks[i-1].text == "its") ||
			i+1 < len(toks) && toks[i+1].text == "of" || whatOpen && i > 1 || figureOnly[t.text]) {
			if lengthWords[t.text] {
				return LengthIntent // "the length of the border" wants kilometres, not any figure
			}
			return NumberIntent
		}
	}
	if yesNo {
		return YesNoIntent
	}
	return AnyIntent
}

// yesNoOpeners open a question that asks yes or no.
var yesNoOpeners = setOf("is", "are", "was", "were", "does", "do", "did", "has", "have", "had", "can", "could", "will", "would",
	"isn", "aren", "wasn", "weren", "doesn", "don", "didn", "hasn", "haven", "isnt", "arent", "wasnt", "werent", "doesnt",
	"dont", "didnt", "hasnt", "havent")

// checksClaim reports whether a question states a claim and asks if it
// holds: it opens with "i think" or "pretty sure", holds "iirc" or "if i
// remember", or ends with a tag ("kz joined the UN in 1993, right?", "...,
// or not?", "..., no?", "..., isn't it?", "..., is that off by a year?",
// "..., was I wrong?").
func checksClaim(toks []token) bool {
	n := len(toks)
	if n < 3 {
		return false
	}
	switch first, second := toks[0].text, toks[1].text; {
	case first == "i" && claimOpeners[second], first == "pretty" && second == "sure", first == "im" && (second == "sure" || second == "pretty"):
		return true
	}
	for i, t := range toks {
		if t.text == "iirc" || t.text == "remember" && i > 1 && toks[i-1].text == "i" && toks[i-2].text == "if" {
			return true
		}
	}
	last := toks[n-1].text
	switch last {
	case "right", "correct", "true", "no", "yes", "yeah", "yep":
		return true
	case "not":
		return toks[n-2].text == "or"
	case "wrong", "misremembering", "mistaken", "confused":
		return toks[n-2].text == "i" || toks[n-2].text == "im"
	case "it":
		return toks[n-2].text == "isn" || toks[n-2].text == "wasn" // "..., isn't it?"
	}
	// "..., is that off by a year?"
	for i := max(0, n-6); i+1 < n; i++ {
		if toks[i].text == "is" && toks[i+1].text == "that" {
			return true
		}
	}
	return false
}

// claimOpeners follow an opening "i" in a claim to check: "i think it was
// 2019?".
var claimOpeners = setOf("think", "thought", "believe", "guess")

// questionWords open a question.
var questionWords = setOf("what", "whats", "which", "who", "whom", "whose", "why", "how", "where")

// officeWithin reports whether one of the n words from toks[i] names an
// office ("the name of the current foreign minister").
func officeWithin(toks []token, i, n int) bool {
	for j := max(i, 0); j < min(len(toks), i+n); j++ {
		if officeWords[toks[j].text] {
			return true
		}
	}
	return false
}

// laterYesNo reports whether a yes-no question follows a clause: an
// auxiliary at the fourth word or later with a subject right after it
// ("when Russia took Crimea, did Kazakhstan back it").
func laterYesNo(toks []token) bool {
	for j := 3; j+1 < len(toks); j++ {
		if yesNoOpeners[toks[j].text] && clauseSubjects[toks[j+1].text] {
			return true
		}
	}
	return false
}

// clauseSubjects open the subject of a yes-no question inside a sentence.
var clauseSubjects = setOf("kazakhstan", "kz", "kazakh", "kazakhs", "astana", "it", "they", "he", "she", "the", "its")

// extentVerbs after "how much" ask to what extent, not for a figure.
var extentVerbs = setOf("matter", "matters", "mattered", "care", "cares", "depend", "depends", "rely", "relies",
	"influence", "influences", "affect", "affects", "weigh", "weighs", "count", "counts", "shape", "shapes",
	"dictate", "dictates", "determine", "determines", "value", "values", "trust", "like", "resent")

// originWords after "where" ask where something comes from.
var originWords = setOf("come", "came", "comes", "originate", "originated", "originates", "stem", "stems", "stemmed", "arise", "arose")

// unitWords measure rather than name a thing: "how many dollars", "how
// many times", "how many years" or "how many sq km" count no thing.
var unitWords = setOf("dollar", "dollars", "bucks", "usd", "euro", "euros", "rubles", "roubles", "yuan", "tenge", "money",
	"times", "years", "yrs", "months", "decades", "days", "weeks", "billions", "millions", "thousands", "hundreds",
	"percent", "sq", "square", "km", "kilometres", "kilometers", "miles")

// countedWords returns the index of the thing counted in a "how many"
// question: the last word before the verb ("how many nuclear warheads did
// ..." counts warheads). Without an auxiliary to mark the verb it returns
// the first two words after "many", either of which may name the thing
// ("how many intergovernmental agreements exist"). An index is -1 when
// there is no such word, as after a unit ("how many dollars").
func countedWords(toks []token) [2]int {
	none := [2]int{-1, -1}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].text != "how" || toks[i+1].text != "many" {
			continue
		}
		if j := i + 2; j < len(toks) && unitWords[toks[j].text] {
			return none // "how many dollars" asks how much, "how many times" how often
		}
		last := -1
		for j := i + 2; j < min(len(toks), i+7); j++ {
			if slices.Contains(auxiliaries, toks[j].text) {
				return [2]int{last, -1}
			}
			if !stopWords[toks[j].text] {
				last = j
			}
		}
		out, k := none, 0
		for j := i + 2; j < len(toks) && k < 2; j++ {
			if !stopWords[toks[j].text] {
				out[k] = j
				k++
			}
		}
		return out
	}
	return none
}
