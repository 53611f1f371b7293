package match

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"kazbot/knowledge"
)

// Field weights: a term found in a fact's question, alternates or tags
// counts more than one found only in its answer. Within the phrasings, a
// term used by many of them is central to the fact.
var (
	answerWeight  float32 = 0.6
	phraseBase    float32 = 0.55
	phraseCentral float32 = 0.45
)

// phrasing is one way of asking for a fact, as term ids, with the sum of
// their weights that similarity needs.
type phrasing struct {
	ids []int32
	sum float64 // sum of the idf of its terms
}

// posting is one fact that contains a term, with the term's weight there.
type posting struct {
	fact   int32
	weight float32
}

// factTerm is one term of a fact with its weights there.
type factTerm struct {
	id      int32
	weight  float32 // field weight: phrasings count more than the answer
	central float32 // share of the fact's phrasings that use the term
	at, n   int32   // the phrasings holding the term: factInfo.holders[at:at+n]
}

// factInfo is what scoring needs of one fact beyond the postings.
type factInfo struct {
	terms      []factTerm              // sorted by id
	core       float32                 // sum over terms of idf * central
	phrasings  []phrasing              // the question, each alternate, the tags
	holders    []int32                 // by term, the indices of the phrasings that hold it, once per occurrence (see factTerm.at)
	answer     []int32                 // term ids of the answer, in order (for pairs)
	entities   []string                // entities the fact involves (with implied parents)
	pairs      []uint64                // sorted pairs of nearby terms in the phrasings
	hasDate    bool                    // the fact states a year
	hasNumber  bool                    // the answer states a number
	hasDigits  bool                    // the answer states a figure in digits
	hasLength  bool                    // the answer states a length or a span of time
	hasDay     bool                    // the answer states a day of a month ("1 January")
	hasEnd     bool                    // the answer says when or how something ended ("until", "collapsed")
	hasSince   bool                    // the answer says since when ("since independence")
	hasOffice  bool                    // the answer names an office ("the minister heads it")
	intent     Intent                  // what the fact's own question asks for
	persons    []string                // the people the answer names
	named      []entityRef             // the entities the answer names, besides Kazakhstan and what is of it
	answerText string                  // the answer as written (properNames reads its capitals)
	proper     atomic.Pointer[[]int32] // the answer's names, once a question has asked for them (see properNames)
	counts     []int32                 // term ids of the words a number in the answer counts ("70 treaties")
	places     bool                    // the answer names a place besides Kazakhstan
	placeCount int                     // how many places (Kazakhstan too) the answer names
	city       bool                    // the answer names a city ("in Astana")
	home       bool                    // the answer names Kazakhstan or a place of it
	kinds      uint8                   // bit k: the answer names entities of kind k by their kind ("the Turkic countries")
	leads      []factLead              // what the fact's phrasings name first (see factLead)
	subject    string                  // the entity the fact's own question opens with ("kazakhstan" for "Has Kazakhstan ..."), if any
}

// factLead is an entity some of a fact's phrasings name first, with their
// share among the phrasings that name any entity first.
type factLead struct {
	key   string
	share float32
}

// leadShare returns the share of the fact's phrasings naming an entity
// first that name e first.
func (fi *factInfo) leadShare(e string) float32 {
	for _, l := range fi.leads {
		if l.key == e {
			return l.share
		}
	}
	return 0
}

// entityRef is an entity named in a text, with its kind.
type entityRef struct {
	key  string
	kind entityKind
}

// entityKind tells people, organisations (and companies) and places apart.
type entityKind uint8

const (
	placeKind entityKind = iota
	orgKind
	personKind
)

// refOf returns the entity term t names, with its kind.
func refOf(t term) entityRef {
	switch {
	case t.person():
		return entityRef{t.key, personKind}
	case t.ent.org:
		return entityRef{t.key, orgKind}
	}
	return entityRef{t.key, placeKind}
}

// namesOther reports whether the answer names an entity of the kind q
// excludes that q neither excludes nor names itself: "which companies
// besides Chevron are at Tengiz" wants another company, and an answer
// naming only Chevron (and the US) has none.
func (fi *factInfo) namesOther(q *question) bool {
	for _, e := range fi.named {
		if slices.ContainsFunc(q.except, func(x entityRef) bool { return x.kind == e.kind }) &&
			!slices.ContainsFunc(q.except, func(x entityRef) bool { return x.key == e.key }) &&
			!slices.ContainsFunc(q.terms, func(qt qterm) bool { return qt.entity == e.key }) {
			return true
		}
	}
	return false
}

// namesKind reports whether the answer names an entity of the kind q asks
// for ("which country", "which company") that q does not name itself:
// "which country did Kazakhstan beat for the seat" is not answered by a
// fact naming only Kazakhstan and the Security Council. An answer naming
// the kind itself gives a group ("the Turkic-speaking countries").
func (fi *factInfo) namesKind(q *question) bool {
	if fi.kinds&(1<<q.kind.kind) != 0 || q.kind.kind == placeKind && fi.home && !q.home {
		return true
	}
	for _, e := range fi.named {
		if e.kind == q.kind.kind && !slices.ContainsFunc(q.terms, func(qt qterm) bool { return qt.entity == e.key }) {
			return true
		}
	}
	return false
}

// hasTerm reports whether the fact's phrasings or answer use term id (-2,
// a term no fact has, never).
func (fi *factInfo) hasTerm(id int32) bool {
	_, ok := fi.term(id)
	return id >= 0 && ok
}

// term returns the fact's entry for term id.
func (fi *factInfo) term(id int32) (factTerm, bool) {
	return findTerm(fi.terms, id)
}

// findTerm finds term id in terms, which are sorted by id.
func findTerm(terms []factTerm, id int32) (factTerm, bool) {
	i := termIndex(terms, id)
	if i == len(terms) || terms[i].id != id {
		return factTerm{}, false
	}
	return terms[i], true
}

// termIndex returns where id is, or would be, in terms, which are sorted
// by id. It is slices.BinarySearchFunc without the comparison call, which
// costs a tenth of a question's time in the scoring loop.
func termIndex(terms []factTerm, id int32) int {
	lo, hi := 0, len(terms)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if terms[m].id < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// eachRun calls fn with each distinct value of sorted xs and how many times
// it occurs.
func eachRun[T comparable](xs []T, fn func(x T, n int)) {
	for j := 0; j < len(xs); {
		k := j + 1
		for k < len(xs) && xs[k] == xs[j] {
			k++
		}
		fn(xs[j], k-j)
		j = k
	}
}

// hasPair reports whether the fact's phrasings hold the pair key.
func (fi *factInfo) hasPair(key uint64) bool {
	_, ok := slices.BinarySearch(fi.pairs, key)
	return ok
}

// involves reports whether the fact names entity e or one of parents (what
// e is part of or belongs to).
func (fi *factInfo) involves(e string, parents []string) bool {
	for _, x := range fi.entities {
		if x == e || slices.Contains(parents, x) {
			return true
		}
	}
	return false
}

// Index answers questions against a fixed list of facts. Build it once with
// New; it is read-only afterwards and safe for concurrent use.
type Index struct {
	lx              *lexicon
	ids             map[string]int32 // term key -> id
	idf             []float32        // by term id
	postings        [][]posting      // by term id
	info            []factInfo
	words           map[string]bool   // surface words of the pack, for typo repair
	stems           map[string]bool   // stems of the pack
	stemWord        map[string]string // stem of a pack word -> a pack word with that stem
	idsMu           sync.Mutex        // guards ids and stems while New runs
	speller         *speller
	unknownW        float32            // weight of a query word no fact uses
	ordinals        map[string]int32   // the term ids of the laterOrdinals some fact uses
	learnedPostings [][]learnedPosting // by term id: the learner's weights; nil when the pack was not learned (see learn.go)
	pool            sync.Pool
}

// New builds an index over facts. The facts are split into one block per
// CPU and analysed in parallel; the blocks share one term dictionary, which
// each block consults once per distinct word, so the lock is rarely taken.
// Term ids then depend on scheduling, but nothing else does: ids are only
// names.
func New(facts []knowledge.Fact) *Index {
	ix := &Index{
		lx:    defaultLexicon,
		ids:   map[string]int32{},
		info:  make([]factInfo, len(facts)),
		words: map[string]bool{},
		stems: map[string]bool{},
	}
	nb := min(runtime.GOMAXPROCS(0), max(1, len(facts)/32))
	blocks := make([]*block, nb)
	parallel(nb, func(b int) {
		lo, hi := b*len(facts)/nb, (b+1)*len(facts)/nb
		blocks[b] = ix.analyseBlock(facts[lo:hi], ix.info[lo:hi])
	})
	wordFreq := map[string]int{}
	for _, bl := range blocks {
		for _, bw := range bl.words {
			wordFreq[bw.info.spelled] += bw.facts
		}
	}
	for w := range wordFreq {
		ix.words[w] = true
	}
	// Related English words are mapped to the typo targets too. The
	// speller is built while the postings are.
	ix.lx.addTypoTargets(wordFreq)
	spellerDone := make(chan struct{})
	go func() {
		defer close(spellerDone)
		ix.speller = newSpeller(wordFreq)
	}()

	n := float64(len(facts))
	df := make([]int32, len(ix.ids))
	for i := range ix.info {
		for _, ft := range ix.info[i].terms {
			df[ft.id]++
		}
	}
	ix.idf = make([]float32, len(ix.ids))
	for v, d := range df {
		ix.idf[v] = float32(math.Log(1 + (n-float64(d)+0.5)/(float64(d)+0.5)))
	}
	ix.unknownW = float32(math.Log(1 + (n-0.5)/1.5)) // as rare as a word in one fact
	ix.postings = make([][]posting, len(ix.ids))
	for v, d := range df {
		ix.postings[v] = make([]posting, 0, d)
	}
	for i := range ix.info {
		fi := &ix.info[i]
		for _, ft := range fi.terms {
			ix.postings[ft.id] = append(ix.postings[ft.id], posting{fact: int32(i), weight: ft.weight})
			fi.core += ix.idf[ft.id] * ft.central
		}
		for j := range fi.phrasings {
			ph := &fi.phrasings[j]
			for _, v := range ph.ids {
				ph.sum += float64(ix.idf[v])
			}
		}
	}
	ix.stemWord = map[string]string{}
	for w := range wordFreq {
		s := stem(w)
		if prev, ok := ix.stemWord[s]; !ok || w < prev {
			ix.stemWord[s] = w
		}
	}
	ix.ordinals = map[string]int32{}
	for w := range laterOrdinals {
		for _, t := range termsOf(ix.lx, w) {
			if id, ok := ix.ids[t.key]; ok {
				ix.ordinals[w] = id
			}
		}
	}
	nterms := len(ix.ids)
	most := 0 // the most phrasings a fact has
	for i := range ix.info {
		most = max(most, len(ix.info[i].phrasings))
	}
	ix.pool.New = func() any {
		return &scratch{score: make([]float32, len(facts)), seen: make([]bool, len(facts)), qidf: make([]float32, nterms), shared: make([]float32, most), cand: make([]int8, len(facts))}
	}
	ix.learn()
	<-spellerDone
	return ix
}

// parallel runs fn(0..n-1) on n goroutines and waits for all.
func parallel(n int, fn func(int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { fn(i) })
	}
	wg.Wait()
}

// implied are the entities every fact involves: the pack is about
// Kazakhstan.
var implied = []string{"kazakhstan"}

// block is one share of the facts during New, with its own dictionary and
// word memo, so blocks share no lock.
type block struct {
	ix         *Index
	words      map[string]*blockWord // folded word -> what the block knows of it
	fact       int                   // the fact being analysed
	buf        []*blockWord          // the words of the text being analysed
	last       []term                // the terms of the text analysed last
	ids        []int32               // scratch for the ids of one text
	occ        []int32               // scratch: term ids of every phrasing of a fact
	pairs      []uint64              // scratch: pair keys of a fact
	phr        []factTerm            // scratch: the phrasings' terms of a fact
	texts      []string              // scratch: the phrasings of a fact
	ents       []string              // scratch: the entities of a fact
	leadKeys   []string              // scratch: what each phrasing of a fact names first
	altEnts    []string              // scratch: the entities each alternate of a fact names, once per alternate
	toks       []token               // scratch: the words of a fact's question
	merged     []factTerm            // scratch: all terms of a fact
	phs        []phrasing            // scratch: the phrasings of a fact, analysed
	scanBuf    []byte                // scratch: the word being scanned
	termSlab   slab[factTerm]        // backing store for the facts' term lists
	phraseSlab slab[phrasing]        // backing store for the facts' phrasing lists
	cursor     []int32               // scratch: the next free holder slot of each term
	hold       []int32               // scratch: the holder list of a fact
	entSlab    slab[string]          // backing store for the facts' entity lists
	refSlab    slab[entityRef]       // backing store for the facts' lists of named entities
	leadSlab   slab[factLead]        // backing store for the facts' lead lists
	named      []entityRef           // scratch: the entities an answer names
	leads      []factLead            // scratch: the leads of a fact
	idSlab     slab[int32]           // backing store for the facts' id lists
	pairSlab   slab[uint64]          // backing store for the facts' pair lists
}

// slab hands out slices carved from large chunks, so that a pack of 100k
// facts makes thousands of allocations instead of millions. A slice it
// returns has no spare capacity: appending to it copies.
type slab[T any] struct{ free []T }

// slabChunk is how many elements a slab allocates at once.
const slabChunk = 1 << 14

// copyOf returns a slab-backed copy of xs.
func (s *slab[T]) copyOf(xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	if len(xs) > len(s.free) {
		if len(xs) > slabChunk/4 {
			return slices.Clone(xs)
		}
		s.free = make([]T, slabChunk)
	}
	out := s.free[:len(xs):len(xs)]
	s.free = s.free[len(xs):]
	copy(out, xs)
	return out
}

// blockWord is one distinct folded word of a block.
type blockWord struct {
	info     wordInfo
	opener   bool  // the word may open a persona or a goal question (see personaOpeners)
	marks    uint8 // what the word says in an answer: markEnd, markOffice, markKind, markCity
	id       int32 // term id of info.term, -1 until needed
	lastFact int   // the last fact that used the word
	facts    int   // how many facts of the block use the word
}

// What a word says when an answer uses it, read once per word.
const (
	markEnd    = 1 << iota // that something ended ("until", "collapsed")
	markOffice             // an office ("minister")
	markKind               // a kind of entity ("countries")
	markCity               // a city ("Astana")
)

// answerMarks returns the marks of spelled word w.
func answerMarks(w string) uint8 {
	var m uint8
	if endStems[stem(w)] {
		m |= markEnd
	}
	if officeWords[w] {
		m |= markOffice
	}
	if _, ok := kindNouns[w]; ok {
		m |= markKind
	}
	if cityNames[w] {
		m |= markCity
	}
	return m
}

// wordID returns the term id of a simple word, looking it up once.
func (bl *block) wordID(bw *blockWord) int32 {
	if bw.id < 0 {
		bw.id = bl.id(bw.info.term)
	}
	return bw.id
}

// id returns the id of term t, assigning one if it is new.
func (bl *block) id(t term) int32 {
	ix := bl.ix
	ix.idsMu.Lock()
	defer ix.idsMu.Unlock()
	v, ok := ix.ids[t.key]
	if !ok {
		v = int32(len(ix.ids))
		ix.ids[t.key] = v
		if !t.entity() && !isNumber(t.key) {
			ix.stems[t.key] = true
		}
	}
	return v
}

// terms analyses one text of the current fact into term ids, each once, in
// order; the slice is scratch, valid until the next call. It notes the
// entities the text names in fi or, when fi is nil, in bl.altEnts. Words
// that can start no phrase (nearly all) take their term from the block's
// memo; texts with a phrase go through analyze.
func (bl *block) terms(text string, fi *factInfo) []int32 {
	bl.buf = bl.buf[:0]
	simple, persona := true, false
	bl.scanBuf = scanWith(bl.scanBuf, text, func(w []byte, _ bool) {
		bw := bl.words[string(w)]
		if bw == nil {
			word := string(w)
			bw = &blockWord{info: bl.ix.lx.computeInfo(word), id: -1, lastFact: -1}
			bw.opener = personaOpeners[bw.info.spelled] || bw.info.spelled == "what"
			bw.marks = answerMarks(bw.info.spelled)
			bl.words[word] = bw
		}
		if bw.lastFact != bl.fact {
			bw.lastFact = bl.fact
			bw.facts++
		}
		bl.buf = append(bl.buf, bw)
		simple = simple && bw.info.simple
		persona = persona || bw.opener
	})
	// A text that says who asks ("my teacher says") or asks "what did they
	// want" goes through analyze, which drops or rewrites those words.
	if simple && persona {
		at := func(i int) string { return bl.buf[i].info.spelled }
		simple = personaMask(len(bl.buf), at) == nil && goalVerb(len(bl.buf), at) < 0
	}
	ids := bl.ids[:0]
	bl.last = bl.last[:0]
	mark := len(bl.altEnts)
	add := func(v int32, t term) {
		if slices.Contains(ids, v) {
			return
		}
		ids = append(ids, v)
		bl.last = append(bl.last, t)
		if t.entity() {
			for _, e := range append([]string{t.key}, t.ent.parent...) {
				switch {
				case fi != nil:
					if !slices.Contains(fi.entities, e) {
						fi.entities = append(fi.entities, e)
					}
				case !slices.Contains(bl.altEnts[mark:], e):
					bl.altEnts = append(bl.altEnts, e)
				}
			}
		}
	}
	if !simple {
		for _, t := range termsOf(bl.ix.lx, text) {
			add(bl.id(t), t)
		}
	} else {
		for _, bw := range bl.buf {
			if bw.info.skip {
				continue
			}
			add(bl.wordID(bw), bw.info.term)
		}
	}
	bl.ids = ids
	return ids
}

// readQuestion sets what the fact's own question asks for and the entity it
// opens with, from the words terms has just read (bl.buf).
func (bl *block) readQuestion(question string, fi *factInfo) {
	toks := bl.toks[:0]
	simple := true
	for _, bw := range bl.buf {
		toks = append(toks, token{text: bw.info.spelled})
		simple = simple && bw.info.simple
	}
	bl.toks = toks
	fi.intent = intentOf(toks)
	var subject *entry
	if simple {
		if i := subjectWord(toks); i >= 0 {
			subject = bl.buf[i].info.term.ent
		}
	} else {
		subject = analyze(bl.ix.lx, question, nil).subject
	}
	if subject != nil && subject.entity {
		fi.subject = subject.canon
	}
}

// analyseBlock fills info for facts.
func (ix *Index) analyseBlock(facts []knowledge.Fact, info []factInfo) *block {
	bl := &block{ix: ix, words: map[string]*blockWord{}}
	for i, f := range facts {
		bl.fact = i
		fi := &info[i]
		fi.entities = append(bl.ents[:0], implied...)
		// Count in how many phrasings each term occurs, then add the
		// answer's terms that no phrasing has.
		texts := append(append(bl.texts[:0], f.Question), f.Alternates...)
		if len(f.Tags) > 0 {
			texts = append(texts, strings.Join(f.Tags, " "))
		}
		bl.texts = texts
		occ := bl.occ[:0]
		phrasings := bl.phs[:0]
		for j, text := range texts {
			// The entities a fact involves are those its question, answer,
			// details and tags name, and those at least two alternates
			// name: one alternate may name one only to ask about it ("is
			// Tajikistan a member too?").
			into := fi
			if j > 0 && j <= len(f.Alternates) {
				into = nil
			}
			ids := bl.idSlab.copyOf(bl.terms(text, into))
			if j == 0 {
				bl.readQuestion(text, fi)
			}
			occ = append(occ, ids...)
			phrasings = append(phrasings, phrasing{ids: ids})
			if l := leadOf(bl.last); l != "" {
				bl.leadKeys = append(bl.leadKeys, l)
			}
		}
		bl.phs = phrasings
		fi.phrasings = bl.phraseSlab.copyOf(phrasings)
		slices.Sort(bl.altEnts)
		eachRun(bl.altEnts, func(e string, n int) {
			if n >= 2 && !slices.Contains(fi.entities, e) {
				fi.entities = append(fi.entities, e)
			}
		})
		bl.altEnts = bl.altEnts[:0]
		slices.Sort(bl.leadKeys)
		leads := bl.leads[:0]
		eachRun(bl.leadKeys, func(l string, k int) {
			leads = append(leads, factLead{l, float32(k) / float32(len(bl.leadKeys))})
		})
		bl.leads = leads
		fi.leads = bl.leadSlab.copyOf(leads)
		bl.leadKeys = bl.leadKeys[:0]
		bl.occ = occ
		slices.Sort(occ)
		n := float32(len(texts))
		phrased := bl.phr[:0]
		eachRun(occ, func(id int32, k int) {
			c := float32(k) / n
			phrased = append(phrased, factTerm{id: id, weight: phraseBase + phraseCentral*c, central: c, n: int32(k)})
		})
		bl.phr = phrased
		fi.holders = bl.holders(phrased, phrasings, len(occ))
		answer := bl.idSlab.copyOf(bl.terms(f.Answer, fi))
		for j, bw := range bl.buf {
			w := bw.info.spelled
			figure := w[0] >= '0' && w[0] <= '9' // 300, 1000, 168th
			fi.hasDigits = fi.hasDigits || figure
			fi.hasNumber = fi.hasNumber || numberWords[w] || (figure && !isYear(w))
			fi.hasDay = fi.hasDay || (isDigitString(w) && len(w) <= 2 && j+1 < len(bl.buf) && monthNames[bl.buf[j+1].info.spelled])
			fi.hasEnd = fi.hasEnd || bw.marks&markEnd != 0
			fi.hasSince = fi.hasSince || w == "since"
			fi.hasOffice = fi.hasOffice || bw.marks&markOffice != 0
			fi.hasDate = fi.hasDate || isYear(w)
			fi.city = fi.city || bw.marks&markCity != 0
			if bw.marks&markKind != 0 {
				fi.kinds |= 1 << kindNouns[w]
			}
			if (figure && !isYear(w) && !isOrdinal(w)) || numberWords[w] {
				for k := j + 1; k < min(j+4, len(bl.buf)); k++ {
					if c := bl.buf[k]; c.info.simple && !c.info.skip {
						fi.counts = append(fi.counts, bl.wordID(c))
					}
				}
			}
			// A figure followed by a unit of length or time, not of area.
			if isDigitString(w) || numberWords[w] {
				for k := j + 1; k < min(j+3, len(bl.buf)); k++ {
					u := bl.buf[k].info.spelled
					if u == "square" {
						break
					}
					fi.hasLength = fi.hasLength || lengthUnits[u]
				}
			}
		}
		fi.answer = answer
		fi.answerText = f.Answer
		named := bl.named[:0]
		for _, t := range bl.last {
			if t.person() {
				fi.persons = append(fi.persons, t.key)
			}
			if t.entity() && !impliesKazakhstan(t) {
				named = append(named, refOf(t))
			}
			fi.places = fi.places || (t.place() && t.key != "kazakhstan")
			if t.place() {
				fi.placeCount++
			}
			fi.home = fi.home || (t.entity() && impliesKazakhstan(t))
		}
		bl.named = named
		fi.named = bl.refSlab.copyOf(named)
		// The answer's (and details') terms that no phrasing has, in id
		// order, merged with the phrasings' terms (already in id order).
		only := bl.occ[:0]
		unphrased := func(ids []int32) {
			for _, v := range ids {
				if _, ok := findTerm(phrased, v); !ok {
					only = append(only, v)
				}
			}
		}
		unphrased(answer)
		if f.Details != "" {
			unphrased(bl.terms(f.Details, fi))
		}
		slices.Sort(only)
		only = slices.Compact(only)
		bl.occ = only
		terms := bl.merged[:0]
		for len(phrased) > 0 || len(only) > 0 {
			if len(only) == 0 || (len(phrased) > 0 && phrased[0].id < only[0]) {
				terms = append(terms, phrased[0])
				phrased = phrased[1:]
			} else {
				terms = append(terms, factTerm{id: only[0], weight: answerWeight})
				only = only[1:]
			}
		}
		bl.merged = terms
		fi.terms = bl.termSlab.copyOf(terms)
		slices.Sort(fi.entities)
		bl.ents = fi.entities
		fi.entities = bl.entSlab.copyOf(fi.entities)
		pairs := bl.pairs[:0]
		for _, ph := range fi.phrasings {
			pairs = appendPairKeys(pairs, ph.ids)
		}
		pairs = appendPairKeys(pairs, fi.answer)
		slices.Sort(pairs)
		pairs = slices.Compact(pairs)
		bl.pairs = pairs
		fi.pairs = bl.pairSlab.copyOf(pairs)
		fi.hasDate = fi.hasDate || f.Date != ""
	}
	return bl
}

// holders sets each phrased term's span (at, n) of the holder list and
// returns the list: for each term, the indices of the phrasings that hold
// it, once per occurrence, so that phraseF1 visits only the phrasings a
// question touches. phrased is sorted by id and its n are the occurrence
// counts; total is their sum.
func (bl *block) holders(phrased []factTerm, phrasings []phrasing, total int) []int32 {
	cursor := bl.cursor[:0]
	var at int32
	for i := range phrased {
		phrased[i].at = at
		cursor = append(cursor, at)
		at += phrased[i].n
	}
	bl.cursor = cursor
	list := slices.Grow(bl.hold[:0], total)[:total]
	for j, ph := range phrasings {
		for _, id := range ph.ids {
			k := termIndex(phrased, id)
			list[cursor[k]] = int32(j)
			cursor[k]++
		}
	}
	bl.hold = list
	return bl.idSlab.copyOf(list)
}

// pairWindow is how far apart two terms of a text may be to form a pair.
const pairWindow = 2

// appendPairKeys appends to keys the unordered pairs of terms at most
// pairWindow apart: "strategic partner" and "partner strategic" give the
// same key.
func appendPairKeys(keys []uint64, ids []int32) []uint64 {
	for i, a := range ids {
		for j := i + 1; j < len(ids) && j <= i+pairWindow; j++ {
			keys = append(keys, pairKey(a, ids[j]))
		}
	}
	return keys
}

func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(uint32(a))<<32 | uint64(uint32(b))
}

// repair returns what to read instead of folded word w, or "" to keep it: a
// word the pack knows stays; an English word the pack does not know becomes
// a related word it does know (diplomatic for diplomacy) or stays unknown;
// anything else may be a typo, repaired against the pack's words. A
// related word is never a name: "best" is a synonym of the verb "trump",
// not the president.
func (ix *Index) repair(w string) string {
	if ix.known(w) || isNumber(w) {
		return ""
	}
	rel, english := related(stem(w))
	for r := range strings.FieldsSeq(rel) {
		if word, ok := ix.stemWord[r]; ok && !ix.lx.names[word] {
			return word
		}
	}
	if english {
		return "" // an English word, not a typo: "router" is not "route"
	}
	return ix.speller.correct(w)
}

// isOrdinal reports whether figure w is an ordinal ("168th"): it ranks a
// thing rather than counting things.
func isOrdinal(w string) bool {
	return strings.HasSuffix(w, "th") || strings.HasSuffix(w, "st") || strings.HasSuffix(w, "nd") || strings.HasSuffix(w, "rd")
}

// known reports whether a folded word needs no repair.
func (ix *Index) known(w string) bool {
	return ix.words[w] || ix.lx.words[w] || stopWords[w] || greetingWords[w] || thanksWords[w] ||
		goodbyeWords[w] || helpWords[w] || selfWords[w] || fillerWords[w] || ix.stems[stem(w)]
}

// hasLearner reports whether the learner was trained for the pack.
func (ix *Index) hasLearner() bool { return ix.learnedPostings != nil }

// scratch is per-question working memory, reused through a pool.
type scratch struct {
	score   []float32 // by fact: shared question weight
	seen    []bool    // by fact
	touched []int32   // facts with a score
	qidf    []float32 // by term: its idf when the question holds it, else 0
	shared  []float32 // by phrasing of the fact being scored: the idf it shares with the question
	cand    []int8    // by fact: 1 + its place among the candidates, while the learner scores them
}

// add adds w times each posting's weight to the score of its fact.
func (sc *scratch) add(ps []posting, w float32) {
	for _, p := range ps {
		if !sc.seen[p.fact] {
			sc.seen[p.fact] = true
			sc.touched = append(sc.touched, p.fact)
		}
		sc.score[p.fact] += w * p.weight
	}
}

// clearScores forgets every score add has set.
func (sc *scratch) clearScores() {
	for _, f := range sc.touched {
		sc.score[f] = 0
		sc.seen[f] = false
	}
	sc.touched = sc.touched[:0]
}
