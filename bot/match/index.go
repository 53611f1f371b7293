package match

import (
	"cmp"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

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

// phrasing is one way of asking for a fact, as term ids, with the sums of
// their weights that similarity needs.
type phrasing struct {
	ids       []int32
	sum, norm float64 // sum of idf, sum of idf squared
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
}

// factInfo is what scoring needs of one fact beyond the postings.
type factInfo struct {
	terms     []factTerm // sorted by id
	core      float32    // sum over terms of idf * central
	phrasings []phrasing // the question, each alternate, the tags
	entities  []string   // entities the fact involves (with implied parents)
	pairs     []uint64   // sorted pairs of nearby terms in the phrasings
	hasDate   bool       // the fact states a year
	hasNumber bool       // the answer states a number
	hasDigits bool       // the answer states a figure in digits
	intent    Intent     // what the fact's own question asks for
	persons   []string   // the people the answer names
}

// term returns the fact's entry for term id.
func (fi *factInfo) term(id int32) (factTerm, bool) {
	i, ok := slices.BinarySearchFunc(fi.terms, id, func(t factTerm, id int32) int { return cmp.Compare(t.id, id) })
	if !ok {
		return factTerm{}, false
	}
	return fi.terms[i], true
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
	lx       *lexicon
	ids      map[string]int32 // term key -> id
	idf      []float32        // by term id
	postings [][]posting      // by term id
	info     []factInfo
	words    map[string]bool // surface words of the pack, for typo repair
	stems    map[string]bool // stems of the pack
	speller  *speller
	unknownW float32 // weight of a query word no fact uses
	pool     sync.Pool
}

var idfExp = 1.0

var yearRE = regexp.MustCompile(`\b(1[5-9]\d\d|20\d\d)\b`)

// analysedFact is a fact after analysis, before term ids are assigned.
type analysedFact struct {
	phrasings [][]term
	answer    []term
	words     []string // distinct surface words
	hasDate   bool
	hasNumber bool
	hasDigits bool
	intent    Intent
	persons   []string
}

// analyseFact analyses every text of f with the lexicon.
func analyseFact(lx *lexicon, memo *buildMemo, f knowledge.Fact) analysedFact {
	af := analysedFact{}
	add := func(text string) []term {
		a := analyzeWith(lx, memo, text, nil, nil)
		for _, t := range a.folded {
			af.words = append(af.words, t.text)
		}
		return a.terms
	}
	af.phrasings = append(af.phrasings, add(f.Question))
	for _, alt := range f.Alternates {
		af.phrasings = append(af.phrasings, add(alt))
	}
	if len(f.Tags) > 0 {
		af.phrasings = append(af.phrasings, add(strings.Join(f.Tags, " ")))
	}
	answer := analyzeWith(lx, memo, f.Answer, nil, nil)
	for _, t := range answer.folded {
		af.words = append(af.words, t.text)
		af.hasDigits = af.hasDigits || isDigitString(t.text) && t.text != ""
		af.hasNumber = af.hasNumber || numberWords[t.text]
	}
	af.hasNumber = af.hasNumber || af.hasDigits
	for _, t := range answer.terms {
		if t.person {
			af.persons = append(af.persons, t.key)
		}
	}
	af.answer = answer.terms
	if f.Details != "" {
		af.answer = append(af.answer, add(f.Details)...)
	}
	slices.Sort(af.words)
	af.words = slices.Compact(af.words)
	af.hasDate = f.Date != "" || yearRE.MatchString(f.Answer)
	af.intent = intentOf(fold(f.Question))
	return af
}

// New builds an index over facts. The facts are split into one block per
// CPU; each block is analysed with its own term dictionary, the
// dictionaries are merged in block order, and each block's ids are then
// translated, so the work runs in parallel and the index does not depend on
// scheduling.
func New(facts []knowledge.Fact) *Index {
	ix := &Index{
		lx:    defaultLexicon,
		ids:   map[string]int32{},
		info:  make([]factInfo, len(facts)),
		words: map[string]bool{},
		stems: map[string]bool{},
	}
	nb := min(runtime.GOMAXPROCS(0), max(1, len(facts)/256))
	blocks := make([]*block, nb)
	parallel(nb, func(b int) {
		lo, hi := b*len(facts)/nb, (b+1)*len(facts)/nb
		blocks[b] = ix.analyseBlock(facts[lo:hi], ix.info[lo:hi])
	})

	// Merge the dictionaries, then translate each block to global ids.
	wordFreq := map[string]int{}
	for _, bl := range blocks {
		bl.global = make([]int32, len(bl.keys))
		for i, t := range bl.keys {
			v, ok := ix.ids[t.key]
			if !ok {
				v = int32(len(ix.ids))
				ix.ids[t.key] = v
				if !t.entity && !isNumber(t.key) {
					ix.stems[t.key] = true
				}
			}
			bl.global[i] = v
		}
		for w, n := range bl.words {
			wordFreq[w] += n
		}
	}
	parallel(nb, func(b int) {
		lo, hi := b*len(facts)/nb, (b+1)*len(facts)/nb
		blocks[b].translate(ix.info[lo:hi])
	})

	n := float64(len(facts))
	df := make([]int32, len(ix.ids))
	for i := range ix.info {
		for _, ft := range ix.info[i].terms {
			df[ft.id]++
		}
	}
	ix.idf = make([]float32, len(ix.ids))
	for v, d := range df {
		ix.idf[v] = float32(math.Pow(math.Log(1+(n-float64(d)+0.5)/(float64(d)+0.5)), idfExp))
	}
	ix.unknownW = float32(math.Pow(math.Log(1+(n-0.5)/1.5), idfExp))
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
				w := float64(ix.idf[v])
				ph.sum += w
				ph.norm += w * w
			}
		}
	}
	for w := range wordFreq {
		ix.words[w] = true
	}
	for w := range ix.lx.words {
		if _, ok := wordFreq[w]; !ok {
			wordFreq[w] = 0
		}
	}
	ix.speller = newSpeller(wordFreq)
	nterms := len(ix.ids)
	ix.pool.New = func() any {
		return &scratch{score: make([]float32, len(facts)), seen: make([]bool, len(facts)), qw: make([]float32, nterms)}
	}
	return ix
}

// parallel runs fn(0..n-1) on n goroutines and waits for all.
func parallel(n int, fn func(int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	wg.Wait()
}

// block is one share of the facts during New, with its own dictionary.
type block struct {
	ids    map[string]int32 // term key -> local id
	keys   []term           // by local id
	global []int32          // local id -> global id, after the merge
	words  map[string]int   // surface word -> how many of the block's facts use it
}

// analyseBlock fills info for facts using block-local term ids.
func (ix *Index) analyseBlock(facts []knowledge.Fact, info []factInfo) *block {
	bl := &block{ids: map[string]int32{}, words: map[string]int{}}
	id := func(t term) int32 {
		v, ok := bl.ids[t.key]
		if !ok {
			v = int32(len(bl.keys))
			bl.ids[t.key] = v
			bl.keys = append(bl.keys, t)
		}
		return v
	}
	memo := newBuildMemo()
	for i, f := range facts {
		af, fi := analyseFact(ix.lx, memo, f), &info[i]
		for _, w := range af.words {
			bl.words[w]++
		}
		fi.entities = append(fi.entities, "kazakhstan")
		note := func(t term) int32 {
			if t.entity {
				for _, e := range append([]string{t.key}, t.parent...) {
					if !slices.Contains(fi.entities, e) {
						fi.entities = append(fi.entities, e)
					}
				}
			}
			return id(t)
		}
		// Count in how many phrasings each term occurs, then add the
		// answer's terms that no phrasing has.
		var occ []int32
		for _, ph := range af.phrasings {
			ids := make([]int32, 0, len(ph))
			for _, t := range ph {
				ids = append(ids, note(t))
			}
			occ = append(occ, ids...) // analysis made ids distinct within a phrasing
			fi.phrasings = append(fi.phrasings, phrasing{ids: ids})
		}
		slices.Sort(occ)
		n := float32(len(af.phrasings))
		for j := 0; j < len(occ); {
			k := j
			for k < len(occ) && occ[k] == occ[j] {
				k++
			}
			c := float32(k-j) / n
			fi.terms = append(fi.terms, factTerm{id: occ[j], weight: phraseBase + phraseCentral*c, central: c})
			j = k
		}
		phrased := len(fi.terms)
		for _, t := range af.answer {
			v := note(t)
			_, inPhrasing := slices.BinarySearchFunc(fi.terms[:phrased], v, func(t factTerm, v int32) int { return cmp.Compare(t.id, v) })
			if !inPhrasing && !slices.ContainsFunc(fi.terms[phrased:], func(t factTerm) bool { return t.id == v }) {
				fi.terms = append(fi.terms, factTerm{id: v, weight: answerWeight})
			}
		}
		slices.Sort(fi.entities)
		fi.hasDate, fi.hasNumber, fi.hasDigits = af.hasDate, af.hasNumber, af.hasDigits
		fi.intent, fi.persons = af.intent, af.persons
	}
	return bl
}

// translate rewrites the block's facts from local to global term ids and
// builds what depends on the ids (sorted terms, pairs).
func (bl *block) translate(info []factInfo) {
	for i := range info {
		fi := &info[i]
		for j := range fi.terms {
			fi.terms[j].id = bl.global[fi.terms[j].id]
		}
		slices.SortFunc(fi.terms, func(a, b factTerm) int { return cmp.Compare(a.id, b.id) })
		for _, ph := range fi.phrasings {
			for j, v := range ph.ids {
				ph.ids[j] = bl.global[v]
			}
			fi.pairs = append(fi.pairs, pairKeys(ph.ids)...)
		}
		slices.Sort(fi.pairs)
		fi.pairs = slices.Compact(fi.pairs)
	}
}

// pairWindow is how far apart two terms of a text may be to form a pair.
const pairWindow = 2

// pairKeys returns the unordered pairs of terms at most pairWindow apart:
// "strategic partner" and "partner strategic" give the same key.
func pairKeys(ids []int32) []uint64 {
	var keys []uint64
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

// known reports whether a folded word needs no typo repair.
func (ix *Index) known(w string) bool {
	return ix.words[w] || ix.lx.words[w] || stopWords[w] || greetingWords[w] || thanksWords[w] ||
		goodbyeWords[w] || helpWords[w] || selfWords[w] || fillerWords[w] || ix.stems[stem(w)]
}

// scratch is per-question working memory, reused through a pool.
type scratch struct {
	score   []float32 // by fact: shared question weight
	seen    []bool    // by fact
	touched []int32   // facts with a score
	qw      []float32 // by term: the question's weight, 0 when absent
}
