// Package match finds the fact a question is about, or decides that no fact
// answers it. It owns normalisation (folding, spelling variants, the alias
// and entity lexicon, stop words, stemming), the repair of unknown words
// (WordNet relatives, then typos), the inverted index, scoring and the
// decision to answer. It knows nothing about chat platforms or reply
// wording.
//
// Scoring: every fact is a small document whose terms come from its
// question, alternates and tags (weighted by how many of them use the term)
// and its answer (weighted lower). A question's terms are weighted by
// inverse document frequency; a word no fact uses counts against every
// fact. A fact's score grows with how much of the question it explains, how
// close the question is to its nearest phrasing and how many of the
// question's word pairs it holds; it shrinks when the question wants what
// the fact cannot give (a date, a figure, a length, a name, a place) or
// names a year it lacks. A fact that lacks an entity the question names (a
// country, an organisation, a person) is blocked, and so is a fact about
// Kazakhstan's own doing when the question is about another country (an
// entity named only in a comparison or an exception blocks nothing). A
// learner trained on the pack's phrasings (learn.go) adds its probability
// of each candidate. The best fact is answered only when it clears a
// threshold and leads the runner-up by a margin, and the question is not
// mostly words no fact uses; otherwise the candidates become suggestions.
// The constants were tuned on the dev evaluation files (see tune_test.go).
package match

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Smalltalk names a kind of chit-chat the engine answers without a fact.
type Smalltalk string

// Kinds of small talk.
const (
	Greeting Smalltalk = "greeting"
	Thanks   Smalltalk = "thanks"
	Help     Smalltalk = "help"
	Identity Smalltalk = "identity"
	Goodbye  Smalltalk = "goodbye"
	Reaction Smalltalk = "reaction" // "interesting", "wow", "makes sense": a reply to an answer, not a question
)

// Candidate is a fact that may answer the question.
type Candidate struct {
	// Fact is the index of the fact in the slice the Index was built from.
	Fact int
	// Confidence is the fact's score, in 0..1.
	Confidence float64
	// Blocked is true when the question names an entity the fact lacks.
	Blocked bool

	words   float64 // how well the fact matches the question's words alone
	central float64 // share of the fact's core the question hits
	vetoed  bool    // the fact cannot give what the question asks (see features.vetoed)
}

// Result is the outcome of matching one question.
type Result struct {
	// Smalltalk is set when the question is chit-chat, not a question.
	Smalltalk Smalltalk
	// Confident is true when Candidates[0] answers the question.
	Confident bool
	// Candidates are the best facts worth suggesting, best first.
	Candidates []Candidate
}

// qterm is a question term with its weight.
type qterm struct {
	key    string
	id     int32 // -1 when no fact uses the term
	w      float32
	entity string   // entity key when the term names one (not Kazakhstan)
	parent []string // what the named entity is part of or belongs to: any of them satisfies it
	year   bool     // a year: a fact that lacks it is less likely
	alt    bool     // the entity is one of alternatives: a fact needs only one of them
	again  bool     // an earlier term of the question has the same id
}

// entityScale scales the weight of entity terms in a question: entities
// decide which facts may answer (blocking), the rest of the question decides
// which of those does.
var entityScale float32 = 0.5

// features describe how well one fact fits one question.
type features struct {
	fact       int32
	matched    float32 // question weight the fact explains, scaled by field weight
	matchedRaw float32 // question weight of the terms the fact shares
	focus      float32 // how central the shared terms are to the fact (weighted mean)
	known      float32 // question weight of words some fact uses
	unknown    float32 // question weight of words no fact uses
	central    float32 // share of the fact's core the question hits
	bestF      float64 // best F1 of question and phrasing coverage over the phrasings
	yearMiss   bool    // the question names a year the fact lacks
	vetoed     bool    // the fact cannot give what the question asks: another year, another of an excluded kind, a name (never confident)
	pairs      float32 // share of the question's term pairs found in the fact's phrasings
	intentMiss bool    // the question wants a date or number the fact lacks
	intentWeak bool    // the question asks who/why/where and the fact answers something else
	intentSame bool    // the fact's own question asks for the same kind of answer
	blocked    bool    // the question names an entity or year the fact lacks
	learned    float32 // the learner's probability of the fact among the candidates
	lead       float32 // the fact's leadShare of what the question names first; -1 when it names no entity
}

// qpair is a pair of nearby known question terms.
type qpair struct {
	key uint64
	w   float32
}

// question is an analysed question ready for scoring.
type question struct {
	subject      string      // the country or person a question about someone else opens with
	subjectOf    []string    // what the subject is part of or belongs to
	viewer       bool        // the subject is another country whose view of Kazakhstan the question asks for
	home         bool        // the question names Kazakhstan or something of it
	lead         string      // the entity the question names first (see leadOf)
	except       []entityRef // the entities the question excludes ("besides Chevron"): it asks for others of their kind
	naming       bool        // the question asks what something is called
	later        bool        // the question asks about the next or following instance
	end          bool        // the question asks when or whether something ended
	head         bool        // the question asks who heads something
	claim        bool        // the question checks a claim ("kz chaired it in 2019, is that off by a year?")
	ordinal      int32       // the term id of an ordinal past the first the question names: -1 none, -2 one no fact has
	city         bool        // the question asks which city or town
	kind         kindAsk     // the kind of entity the question asks for ("which country")
	terms        []qterm
	counted      [2]int32 // term ids that may name the thing a "how many" question counts: -1 unknown, -2 none
	countsPlaces bool     // a "how many" question counts countries: an answer naming three or more lets one count
	pairs        []qpair
	sum          float64 // sum of term weights
	intent       Intent
	known        float32
	unknown      float32
}

// prepare weighs the terms of an analysis against the index.
func (ix *Index) prepare(a analysis) question {
	q := question{terms: make([]qterm, 0, len(a.terms)), intent: a.intent, counted: [2]int32{-2, -2}}
	q.home = slices.ContainsFunc(a.terms, func(t term) bool { return t.entity() && impliesKazakhstan(t) })
	q.lead = leadOf(a.terms)
	q.naming = a.naming
	q.later = a.later
	q.claim = a.claim || a.intent == YesNoIntent
	q.end, q.head = a.end, a.head
	q.ordinal = -1
	if a.ordinal != "" {
		q.ordinal = -2
		if id, ok := ix.ordinals[a.ordinal]; ok {
			q.ordinal = id
		}
	}
	q.city = a.city
	q.kind = a.kind
	for _, t := range a.terms {
		if t.out {
			q.except = append(q.except, refOf(t))
		}
	}
	// A question that opens with another country or a person as its subject
	// and never names Kazakhstan is about them ("Has Russia recognised
	// Abkhazia?"). A month opens a time, not a subject ("where did the
	// March 2018 summit meet").
	if s := a.subject; s != nil && s.entity && !s.org && !homeGroups[s.canon] && !monthNames[s.canon] && (!q.home || a.viewer && !impliesKazakhstan(term{key: s.canon, ent: s})) {
		q.subject = s.canon
		q.subjectOf = append(slices.Clip(s.parent), s.groups...)
		q.viewer = q.home
	}
	for k, c := range a.counted {
		q.countsPlaces = q.countsPlaces || placeCounts[c]
		if c != "" {
			q.counted[k] = -1
			if id, ok := ix.ids[c]; ok {
				q.counted[k] = id
			}
		}
	}
	for _, t := range a.terms {
		qt := qterm{key: t.key, id: -1, w: ix.unknownW}
		switch id, ok := ix.ids[t.key]; {
		case ok:
			qt.id, qt.w = id, ix.idf[id]
			if t.entity() {
				qt.w *= entityScale
			}
			q.known += qt.w
		case isYear(t.key):
			qt.w = 0 // a year no fact has: yearMiss handles it
		case (q.claim || q.intent == NumberIntent) && t.key != "" && t.key[0] >= '0' && t.key[0] <= '9':
			// A figure a claim gets wrong ("the 170th member, right?") or a
			// guess at the one asked for ("how many treaties? 20? 100?"):
			// the fact gives the right one.
			qt.w = 0
		default:
			q.unknown += qt.w
		}
		switch {
		case t.entity() && !t.aside && (!impliesKazakhstan(t) || t.person()) && !homeGroups[t.key]:
			qt.entity, qt.parent, qt.alt = t.key, append(slices.Clip(t.ent.parent), t.ent.groups...), t.alt
			if t.person() && impliesKazakhstan(t) {
				qt.parent = t.ent.groups // a fact about Kazakhstan is not about each of its people
			}
		case isYear(t.key) && !t.aside:
			qt.year = true
		}
		q.terms = append(q.terms, qt)
	}
	for i, qt := range q.terms {
		q.sum += float64(qt.w)
		q.terms[i].again = qt.id >= 0 && slices.ContainsFunc(q.terms[:i], func(p qterm) bool { return p.id == qt.id })
	}
	for i, a := range q.terms {
		for j := i + 1; j < len(q.terms) && j <= i+pairWindow; j++ {
			if b := q.terms[j]; a.id >= 0 && b.id >= 0 {
				q.pairs = append(q.pairs, qpair{pairKey(a.id, b.id), (a.w + b.w) / 2})
			}
		}
	}
	return q
}

// homeGroups are groups Kazakhstan belongs to: a question naming one ("which
// Central Asian country hosts ...") may be about Kazakhstan itself, so it
// blocks no fact.
var homeGroups = map[string]bool{"centralasia": true}

func impliesKazakhstan(t term) bool {
	if t.key == "kazakhstan" {
		return true
	}
	for _, p := range t.ent.parent {
		if p == "kazakhstan" {
			return true
		}
	}
	return false
}

// isYear reports whether k is a year from 1500 to 2099.
func isYear(k string) bool {
	return len(k) == 4 && isDigitString(k) && ((k[0] == '1' && k[1] >= '5') || (k[0] == '2' && k[1] == '0'))
}

// Candidate selection: facts are first ranked by the question weight they
// share, summed over posting lists; only the best maxCandidates get full
// features. Posting lists longer than longPostings (terms in a large share
// of the facts, which weigh little) are not walked unless no other term
// has one; their weight still counts in the features.
const (
	maxCandidates = 16
	longPostings  = 4096
)

// candidates gathers the features of the facts sharing most question
// weight with q.
func (ix *Index) candidates(q question, a analysis) []features {
	sc := ix.pool.Get().(*scratch)
	defer ix.release(sc, &q)
	for _, qt := range q.terms {
		if qt.id >= 0 {
			sc.qidf[qt.id] = ix.idf[qt.id]
		}
	}
	walked := false
	for pass := 0; pass < 2 && !walked; pass++ {
		for _, qt := range q.terms {
			if qt.id < 0 || (pass == 0 && len(ix.postings[qt.id]) > longPostings) {
				continue
			}
			if pass == 1 && walked {
				break
			}
			walked = true
			sc.add(ix.postings[qt.id], qt.w)
		}
	}
	top := sc.touched
	if len(top) > maxCandidates {
		top = topFacts(sc.touched, sc.score, maxCandidates)
	}
	out := make([]features, 0, len(top))
	for _, f := range top {
		out = append(out, ix.features(&q, f, sc))
	}
	ix.learnedProbs(&q, out, sc)
	return out
}

// features computes how well fact f fits question q.
func (ix *Index) features(q *question, f int32, sc *scratch) features {
	fi := &ix.info[f]
	ft := features{fact: f, known: q.known, unknown: q.unknown}
	altNamed, altHit, yearHit := false, false, false
	for _, qt := range q.terms {
		switch {
		case qt.entity == "":
		case q.claim && monthNames[qt.entity]:
			// "it joined in December 1991, yeah?": the fact's own month
			// corrects the claim, as its year does.
		case qt.alt:
			altNamed = true
			altHit = altHit || fi.involves(qt.entity, qt.parent)
		case !fi.involves(qt.entity, qt.parent):
			ft.blocked = true
		case !q.home && !fi.involves(qt.entity, nil):
			// "How does Washington describe Uzbekistan?" puts Uzbekistan
			// where Kazakhstan would be; a fact naming only Central Asia
			// is not about it.
			ft.blocked = true
		}
		if qt.id < 0 {
			if qt.year {
				ft.yearMiss = true
			}
			continue
		}
		ft2, ok := fi.term(qt.id)
		fw := ft2.weight
		if qt.year {
			ft.yearMiss = ft.yearMiss || !ok
			yearHit = yearHit || ok
		}
		if !ok {
			continue
		}
		if !qt.again {
			for _, p := range fi.holders[ft2.at : ft2.at+ft2.n] {
				sc.shared[p] += sc.qidf[qt.id]
			}
		}
		c := ft2.central
		ft.matched += qt.w * fw
		ft.matchedRaw += qt.w
		ft.focus += qt.w * c
		ft.central += ix.idf[qt.id] * c
	}
	if altNamed && !altHit {
		ft.blocked = true
	}
	if q.claim && fi.hasDate {
		// "I thought it was 2012?": the fact's own year corrects the claim,
		// so the claim's year neither vetoes nor cuts it.
		ft.yearMiss = false
	}
	ft.vetoed = ix.cannotGive(q, fi, ft.yearMiss && !yearHit)
	ft.lead = -1
	if q.lead != "" {
		ft.lead = fi.leadShare(q.lead)
	}
	if fi.core > 0 {
		ft.central /= fi.core
	}
	if ft.matchedRaw > 0 {
		ft.focus /= ft.matchedRaw
	}
	ft.bestF = phraseF1(fi, q, sc.shared)
	if len(q.pairs) > 0 {
		var hit, all float32
		for _, pr := range q.pairs {
			all += pr.w
			if fi.hasPair(pr.key) {
				hit += pr.w
			}
		}
		ft.pairs = hit / all
	}
	ft.intentMiss, ft.intentWeak = fit(q, fi)
	// "Has Russia recognised Abkhazia?" is about Russia, not about the fact
	// that asks whether Kazakhstan has; "when did Kyrgyzstan chair the
	// OSCE?" is about Kyrgyzstan, which a fact naming only Central Asia
	// does not name.
	if q.subject != "" && fi.subject != q.subject && (fi.subject == "kazakhstan" || !fi.involves(q.subject, q.subjectOf)) {
		if q.viewer {
			// "How does Russia see Kazakhstan?" cannot be answered by
			// how Kazakhstan sees Russia, though their words agree.
			ft.vetoed = true
		} else {
			ft.blocked = true
		}
	}
	ft.intentSame = q.intent != AnyIntent && q.intent != YesNoIntent && q.intent == fi.intent
	return ft
}

// match is how well the fact matches the question's words, before any
// cut for intent, years or entities; suggestions are chosen on it, so a
// fallback still offers the fact a question seemed to be about.
func (p params) match(f features) float64 {
	missed := float64(f.known - f.matchedRaw)
	total := float64(f.matchedRaw) + p.missedWeight*missed + p.unknownShare*float64(f.unknown)
	if total <= 0 {
		return 0
	}
	cov := math.Min(1, float64(f.matched)/total)
	s := pow(cov, p.covExp) *
		pow(p.centralFloor+(1-p.centralFloor)*float64(f.central), p.centralExp) *
		pow(p.focusFloor+(1-p.focusFloor)*float64(f.focus), p.focusExp)
	m := p.f1Share*f.bestF + p.pairShare*float64(f.pairs) + (1-p.f1Share-p.pairShare)*s
	return (1-p.learnShare)*m + p.learnShare*pow(float64(f.learned), p.learnExp)
}

// score turns features into a score (about 0..1): how well the fact
// matches the question, cut when it cannot give what the question wants.
func (p params) score(f features) float64 {
	return p.cut(f, p.match(f))
}

// cut scales s, the fact's match on words, down for what it cannot give.
func (p params) cut(f features, s float64) float64 {
	if f.yearMiss {
		s *= p.yearFactor
	}
	if f.intentMiss {
		s *= p.intentFactor
	}
	if f.intentWeak {
		s *= p.weakFactor
	}
	if f.intentSame {
		s *= 1 + p.sameBonus
	}
	if f.blocked {
		s *= p.blockedFactor
	}
	return s
}

// givesName reports whether fi's answer gives a name the question does not
// hold: "what is the EAEU's governing body called" is not answered by a
// fact that names only the EAEU.
func (ix *Index) givesName(q *question, fi *factInfo) bool {
	for _, id := range ix.properNames(fi) {
		if !slices.ContainsFunc(q.terms, func(qt qterm) bool { return qt.id == id }) {
			return true
		}
	}
	return false
}

// cannotGive reports what the fact cannot give, whatever words it shares
// with the question; such a fact is never a confident answer, but keeps its
// score, so no sibling takes its place. yearMiss says the question names
// only years the fact lacks. (One more veto depends on the question's
// subject and is set with the subject's block in features: another
// country's view of Kazakhstan.)
func (ix *Index) cannotGive(q *question, fi *factInfo, yearMiss bool) bool {
	switch {
	case fi.hasDate && (yearMiss || q.later):
		// Another year ("who chaired the OSCE in 2011?"; "in 2010 or
		// 2011?" offers the fact's own, and a claim such as "did
		// Kazakhstan chair it in 2011?" is answered by the year it did:
		// features clears yearMiss for it), or a later instance ("the
		// following year").
		return true
	case len(q.except) > 0 && !fi.namesOther(q) && !ix.givesPlainName(q, fi):
		// Another thing of a kind the question excludes ("which companies
		// besides Chevron").
		return true
	case q.naming && !ix.givesName(q, fi):
		return true // a name ("what is it called")
	case q.city && !fi.city:
		return true // a city ("in which city")
	case q.kind.ok && !fi.namesKind(q):
		return true // a thing of the kind asked for ("which country")
	case q.ordinal != -1 && !fi.hasTerm(q.ordinal):
		// A rank ("the second to recognise Kazakhstan" of a fact on the
		// first).
		return true
	case q.end && !fi.hasEnd:
		return true // an end ("when did its term end" of a fact on the start)
	case q.head && len(fi.persons) == 0 && !fi.hasOffice:
		return true // who heads a body: a person or an office
	}
	return false
}

// givesPlainName reports whether fi's answer gives a name the question
// does not hold and the lexicon does not know as an entity ("the Silk Road
// Economic Belt"): something of a kind an exclusion may ask for, when the
// entities the answer names are of none.
func (ix *Index) givesPlainName(q *question, fi *factInfo) bool {
	for _, id := range ix.properNames(fi) {
		if id >= 0 && slices.ContainsFunc(q.terms, func(qt qterm) bool { return qt.id == id }) {
			continue
		}
		if kz, ok := ix.ids["kazakhstan"]; ok && id == kz {
			continue
		}
		if !slices.ContainsFunc(fi.named, func(e entityRef) bool { id2, ok := ix.ids[e.key]; return ok && id2 == id }) {
			return true
		}
	}
	return false
}

// properNames returns the term ids of the names fi's answer gives: the
// words it writes with a capital letter where no sentence starts, and its
// acronyms, each run of them analysed on its own so that "Eurasian
// Economic Union" is the EAEU (-2 for a term no fact has). Few questions
// ask for a name, so a fact's names are read the first time one does, not
// when the index is built, and kept.
func (ix *Index) properNames(fi *factInfo) []int32 {
	if p := fi.proper.Load(); p != nil {
		return *p
	}
	ids := []int32{}
	var run []string
	flush := func() {
		if len(run) > 0 {
			for _, t := range termsOf(ix.lx, strings.Join(run, " ")) {
				id, ok := ix.ids[t.key]
				if !ok {
					id = -2
				}
				ids = append(ids, id)
			}
		}
		run = run[:0]
	}
	start := true
	for w := range strings.FieldsSeq(fi.answerText) {
		clean := strings.Trim(w, `"'()[],.;:!?`)
		r, _ := utf8.DecodeRuneInString(clean)
		capital := unicode.IsUpper(r)
		acronym := len(clean) > 1 && strings.ToUpper(clean) == clean && strings.ToLower(clean) != clean
		switch {
		case capital && (!start || acronym):
			run = append(run, clean)
		case len(run) > 0 && (clean == "of" || clean == "and" || clean == "for" || clean == "the"):
			run = append(run, clean)
		default:
			flush()
		}
		start = strings.ContainsAny(w[len(w)-1:], ".:?!")
	}
	flush()
	fi.proper.Store(&ids) // a race stores the same list twice
	return ids
}

// scores sets scores[i] to the score of candidate fts[i] and words[i] to
// its match on words alone. Among candidates the words alone cannot tell
// apart, the one whose phrasings name first what the question names first
// keeps its score and the others lose up to leadWeight of theirs.
func (p params) scores(fts []features, scores, words []float64) {
	var most float32
	for i, f := range fts {
		words[i] = p.match(f)
		scores[i] = p.cut(f, words[i])
		most = max(most, f.lead)
	}
	if most > 0 && p.leadWeight > 0 {
		for i, f := range fts {
			scores[i] *= 1 - p.leadWeight*(1-float64(f.lead/most))
		}
	}
}

// params are the tunable constants of scoring and the decision.
type params struct {
	unknownShare  float64 // weight of an unknown word relative to the rarest known one
	missedWeight  float64 // weight of a known word the fact lacks, relative to its idf
	covExp        float64
	centralFloor  float64
	centralExp    float64
	focusFloor    float64
	focusExp      float64
	f1Share       float64
	pairShare     float64
	yearFactor    float64
	intentFactor  float64
	weakFactor    float64
	sameBonus     float64
	blockedFactor float64
	leadWeight    float64 // most of its score a candidate loses for naming first what the question does not
	centralGate   float64 // lowest share of the fact's core the question must hit to be answered
	unknownGate   float64 // highest share of the question's weight that may be unknown words for an answer
	answerAt      float64 // lowest score that may be answered
	clearAt       float64 // lowest score that may be answered when far ahead of the runner-up
	longTerms     float64 // a question of at least this many terms is long
	longClearAt   float64 // clearAt for a long question
	clearMargin   float64 // how far ahead (as a share of the best score) counts as far
	marginAt      float64 // lead the best must have over the runner-up, as a share of the best score
	suggestAt     float64 // lowest score worth suggesting
	learnShare    float64 // share of the learner's probability in match
	learnExp      float64 // exponent of that probability: below 1 lifts small ones
}

var defaultParams = params{
	unknownShare:  1,
	missedWeight:  1,
	covExp:        0.5,
	centralFloor:  0,
	centralExp:    0.25,
	focusFloor:    0,
	focusExp:      0.25,
	f1Share:       0.2,
	pairShare:     0.3,
	yearFactor:    0.5,
	intentFactor:  0.2,
	weakFactor:    1,
	sameBonus:     0.2,
	blockedFactor: 0.5,
	leadWeight:    0.1,
	centralGate:   0.08,
	unknownGate:   0.7,
	answerAt:      0.3,
	clearAt:       0.27,
	longTerms:     7,
	longClearAt:   0.2,
	clearMargin:   0.3,
	marginAt:      0.02,
	suggestAt:     0.15,
	learnShare:    0.05,
	learnExp:      0.5,
}

// placeCounts are what a "how many" question counts when it counts
// countries (as analysed terms).
var placeCounts = map[string]bool{"countri": true, "state": true, "nation": true, "republ": true}

// Match finds the facts for question q, returning at most n candidates.
func (ix *Index) Match(q string, n int) Result {
	return ix.match(q, n, defaultParams)
}

func (ix *Index) match(text string, n int, p params) Result {
	a := analyze(ix.lx, text, ix.repair)
	if st := smalltalkOf(a.folded); st != "" {
		return Result{Smalltalk: st}
	}
	q := ix.prepare(a)
	if q.known == 0 {
		return Result{}
	}
	if !ix.hasLearner() {
		p.learnShare = 0
	}
	fts := ix.candidates(q, a)
	cands := make([]Candidate, len(fts))
	var scores, words [maxCandidates]float64
	p.scores(fts, scores[:len(fts)], words[:len(fts)])
	for i, f := range fts {
		cands[i] = Candidate{Fact: int(f.fact), Confidence: scores[i], Blocked: f.blocked, words: words[i], central: float64(f.central), vetoed: f.vetoed}
	}
	slices.SortFunc(cands, func(x, y Candidate) int {
		switch {
		case x.Confidence > y.Confidence:
			return -1
		case x.Confidence < y.Confidence:
			return 1
		}
		return x.Fact - y.Fact
	})
	res := Result{}
	for _, c := range cands {
		if len(res.Candidates) == n {
			break
		}
		if c.words < p.suggestAt {
			continue
		}
		c.Confidence = math.Min(1, c.Confidence) // scores may pass 1; confidence may not
		res.Candidates = append(res.Candidates, c)
	}
	if len(res.Candidates) > 0 {
		best, second := cands[0], 0.0
		if len(cands) > 1 {
			second = cands[1].Confidence
		}
		res.Confident = p.confident(best.Confidence, second, best.central, unknownShare(q.known, q.unknown), best.Blocked || best.vetoed, len(q.terms))
	}
	return res
}

// phraseF1 compares the question with each of the fact's phrasings and
// returns the best F1 of question coverage (how much of the question the
// phrasing holds) and phrasing coverage (how much of the phrasing the
// question holds), weighted by idf. shared holds, by phrasing, the idf the
// phrasing shares with the question (features sums it through the fact's
// holder lists); phraseF1 clears it for the next fact.
func phraseF1(fi *factInfo, q *question, shared []float32) (f1 float64) {
	// With qc = shared/q.sum and pc = shared/p.sum, the F1 2*qc*pc/(qc+pc)
	// is 2*shared/(q.sum+p.sum).
	for j, p := range fi.phrasings {
		if s := shared[j]; s > 0 {
			shared[j] = 0
			if f := 2 * float64(s) / (q.sum + p.sum); f > f1 {
				f1 = f
			}
		}
	}
	return f1
}

func (ix *Index) release(sc *scratch, q *question) {
	sc.clearScores()
	for _, qt := range q.terms {
		if qt.id >= 0 {
			sc.qidf[qt.id] = 0
		}
	}
	ix.pool.Put(sc)
}

// smalltalkOf decides whether a folded message is chit-chat: every word is
// a greeting, thanks, farewell, help or self word, or filler.
func smalltalkOf(toks []token) Smalltalk {
	if len(toks) == 0 {
		return ""
	}
	var greet, thanks, bye, help, you, ask, do, react bool
	for _, t := range toks {
		w := t.text
		switch {
		case w == "help" || w == "commands" || w == "command" || w == "usage" || w == "instructions" || w == "menu":
			help = true
		case thanksWords[w]:
			thanks = true
		case reactionWords[w]:
			react = true
		case greetingWords[w]:
			greet = true
		case goodbyeWords[w]:
			bye = true
		case w == "you" || w == "your" || w == "yourself" || w == "u" || w == "ur":
			you = true
		case w == "who" || w == "what" || w == "name":
			ask = true
		case w == "do" || w == "know" || w == "can" || w == "work" || w == "use" || w == "works":
			do = true
		case selfWords[w] || fillerWords[w] || helpWords[w]:
		default:
			return ""
		}
	}
	switch {
	case help:
		return Help
	case you && do:
		return Help
	case you && ask:
		return Identity
	case thanks:
		return Thanks
	case bye:
		return Goodbye
	case greet:
		return Greeting
	case react:
		return Reaction
	}
	return ""
}

// fit compares what the question asks for with what the fact can give: a
// miss when the question wants a date or a figure the fact does not state,
// weak when it asks who, why or where and the fact's own question asks
// something else.
func fit(q *question, fi *factInfo) (miss, weak bool) {
	switch q.intent {
	case DateIntent:
		return !fi.hasDate, false
	case NumberIntent:
		if q.countsPlaces && fi.placeCount >= 3 {
			// "How many countries make up the EAEU?": the answer names them.
			return false, false
		}
		if q.counted[0] != -2 {
			// "how many X": the answer must count X ("70 treaties").
			speaks := false
			for _, id := range q.counted {
				if id >= 0 {
					// The answer counts X, or names it nowhere (it may
					// call it something else: "fifteen UN organisations"
					// for agencies) while the fact's phrasings do.
					_, named := fi.term(id)
					speaks = speaks || slices.Contains(fi.counts, id) || (named && !slices.Contains(fi.answer, id))
				}
			}
			if !speaks {
				return true, false
			}
		}
		return !fi.hasNumber, false
	case MeasureIntent:
		return !fi.hasDigits, false
	case LengthIntent:
		return !fi.hasLength, false
	case SinceIntent:
		return !fi.hasDate && !fi.hasLength && !fi.hasSince, false
	case DayIntent:
		return !fi.hasDay, false
	case NameIntent:
		// A name the question does not already hold.
		for _, p := range fi.persons {
			if !slices.ContainsFunc(q.terms, func(qt qterm) bool { return qt.key == p }) {
				return false, false
			}
		}
		return true, false
	case PlaceIntent:
		return !fi.places, fi.intent != q.intent
	case AgentIntent, ReasonIntent:
		return false, fi.intent != q.intent
	}
	return false, false
}

// pow is math.Pow with the exponents scoring uses made cheap.
func pow(x, y float64) float64 {
	switch y {
	case 1:
		return x
	case 0.5:
		return math.Sqrt(x)
	case 0.25:
		return math.Sqrt(math.Sqrt(x))
	}
	return math.Pow(x, y)
}

// topFacts returns the k facts with the highest score, ties to the lower
// fact, in one pass with a small insertion-sorted buffer.
func topFacts(facts []int32, score []float32, k int) []int32 {
	better := func(x, y int32) bool {
		return score[x] > score[y] || (score[x] == score[y] && x < y)
	}
	top := make([]int32, 0, k)
	for _, f := range facts {
		if len(top) == k && !better(f, top[k-1]) {
			continue
		}
		if len(top) < k {
			top = append(top, f)
		} else {
			top[k-1] = f
		}
		for i := len(top) - 1; i > 0 && better(top[i], top[i-1]); i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	return top
}

// confident decides whether the best candidate is the answer: it must not be
// blocked or vetoed, must hit enough of its fact, the question (of terms
// terms) must not be mostly words no fact uses, and the best must score at
// least answerAt with a lead of marginAt over the runner-up, or at least
// clearAt (longClearAt for a long question) with a lead of clearMargin (a
// clear winner may score lower).
func (p params) confident(best, second, central, unknown float64, blocked bool, terms int) bool {
	if blocked || central < p.centralGate || unknown > p.unknownGate {
		return false
	}
	clearAt := p.clearAt
	if float64(terms) >= p.longTerms {
		// A long question's words spread its score thin over what it
		// says around the point; a clear lead still tells.
		clearAt = p.longClearAt
	}
	lead := best - second
	return (best >= p.answerAt && lead >= p.marginAt*best) || (best >= clearAt && lead >= p.clearMargin*best)
}

// unknownShare is the share of a question's weight in words no fact uses.
func unknownShare(known, unknown float32) float64 {
	if known+unknown == 0 {
		return 0
	}
	return float64(unknown / (known + unknown))
}
