package match

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"

	"kazbot/knowledge"
)

// Field weights: a term found in a fact's question, alternates or tags
// counts more than one found only in its answer. Within the phrasings, a
// term used by many of them is central to the fact.
const (
	answerWeight  = 0.45
	phraseBase    = 0.55
	phraseCentral = 0.45
)

// posting is one fact that contains a term, with the term's weight there.
type posting struct {
	fact   int32
	weight float32
}

// factInfo is what scoring needs of one fact beyond the postings.
type factInfo struct {
	terms     map[int32]float32 // term id -> field weight
	central   map[int32]float32 // term id -> share of phrasings using it
	core      float32           // sum over terms of idf * central
	phrasings [][]int32         // term ids of the question, each alternate, the tags
	entities  map[string]bool   // entities the fact involves (with implied parents)
	hasDate   bool              // the fact states a year
	hasNumber bool              // the answer states a number
	hasDigits bool              // the answer states a figure in digits
	intent    Intent            // what the fact's own question asks for
	names     bool              // the answer names a person
	pairs     map[uint64]bool   // pairs of nearby terms in the phrasings
}

// Index answers questions against a fixed list of facts. Build it once with
// New; it is read-only afterwards and safe for concurrent use.
type Index struct {
	facts    []knowledge.Fact
	lx       *lexicon
	ids      map[string]int32 // term key -> id
	idf      []float32        // by term id
	entity   []bool           // by term id
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
var digitRE = regexp.MustCompile(`\d`)

// New builds an index over facts.
func New(facts []knowledge.Fact) *Index {
	ix := &Index{
		facts: facts,
		lx:    defaultLexicon,
		ids:   map[string]int32{},
		info:  make([]factInfo, len(facts)),
		words: map[string]bool{},
		stems: map[string]bool{},
	}
	wordFreq := map[string]int{}
	df := map[int32]int{}
	for i, f := range facts {
		fi := &ix.info[i]
		fi.terms = map[int32]float32{}
		fi.entities = map[string]bool{"kazakhstan": true}
		phr := append([]string{f.Question}, f.Alternates...)
		if len(f.Tags) > 0 {
			phr = append(phr, strings.Join(f.Tags, " "))
		}
		seenWord := map[string]bool{}
		count := map[int32]int{}
		fi.pairs = map[uint64]bool{}
		for _, p := range phr {
			ids := ix.addText(p, fi, seenWord)
			fi.phrasings = append(fi.phrasings, ids)
			for _, k := range pairKeys(ids) {
				fi.pairs[k] = true
			}
			for _, id := range ids {
				count[id]++
			}
		}
		fi.central = map[int32]float32{}
		for id, c := range count {
			share := float32(c) / float32(len(phr))
			fi.terms[id] = phraseBase + phraseCentral*share
			fi.central[id] = share
		}
		for _, id := range ix.addText(f.Answer+" "+f.Details, fi, seenWord) {
			if fi.terms[id] < answerWeight {
				fi.terms[id] = answerWeight
			}
		}
		for w := range seenWord {
			wordFreq[w]++
		}
		for id := range fi.terms {
			df[id]++
		}
		fi.hasDate = f.Date != "" || yearRE.MatchString(f.Answer)
		fi.hasDigits = digitRE.MatchString(f.Answer)
		fi.hasNumber = fi.hasDigits || hasNumberWord(f.Answer)
		fi.intent = intentOf(fold(f.Question))
		for _, t := range analyze(ix.lx, f.Answer, nil, nil).terms {
			fi.names = fi.names || t.person
		}
	}
	n := float64(len(facts))
	ix.idf = make([]float32, len(ix.ids))
	ix.postings = make([][]posting, len(ix.ids))
	for id := range ix.idf {
		d := float64(df[int32(id)])
		ix.idf[id] = float32(math.Pow(math.Log(1+(n-d+0.5)/(d+0.5)), idfExp))
	}
	for i := range ix.info {
		for id, c := range ix.info[i].central {
			ix.info[i].core += ix.idf[id] * c
		}
		for id, w := range ix.info[i].terms {
			ix.postings[id] = append(ix.postings[id], posting{fact: int32(i), weight: w})
		}
	}
	for id := range ix.postings {
		sort.Slice(ix.postings[id], func(a, b int) bool { return ix.postings[id][a].fact < ix.postings[id][b].fact })
	}
	ix.unknownW = float32(math.Pow(math.Log(1+(n-0.5)/1.5), idfExp))
	for w := range ix.lx.words {
		if _, ok := wordFreq[w]; !ok {
			wordFreq[w] = 0
		}
	}
	ix.speller = newSpeller(wordFreq)
	ix.pool.New = func() any { return &scratch{score: make([]float32, len(facts)), seen: make([]bool, len(facts))} }
	return ix
}

// addText analyses one text of fact fi, registers its terms and returns
// their ids (each once).
func (ix *Index) addText(text string, fi *factInfo, words map[string]bool) []int32 {
	for _, t := range spell(fold(text)) {
		ix.words[t.text] = true
		words[t.text] = true
	}
	a := analyze(ix.lx, text, nil, nil)
	ids := make([]int32, 0, len(a.terms))
	for _, t := range a.terms {
		id, ok := ix.ids[t.key]
		if !ok {
			id = int32(len(ix.ids))
			ix.ids[t.key] = id
			ix.entity = append(ix.entity, t.entity)
		}
		ids = append(ids, id)
		if t.entity {
			fi.entities[t.key] = true
			for _, p := range t.parent {
				fi.entities[p] = true
			}
		} else if !isNumber(t.key) {
			ix.stems[t.key] = true
		}
	}
	return ids
}

func hasNumberWord(s string) bool {
	for _, t := range fold(s) {
		if numberWords[t.text] {
			return true
		}
	}
	return false
}

// known reports whether a folded word needs no typo repair.
func (ix *Index) known(w string) bool {
	return ix.words[w] || ix.lx.words[w] || stopWords[w] || greetingWords[w] || thanksWords[w] ||
		goodbyeWords[w] || helpWords[w] || selfWords[w] || fillerWords[w] || ix.stems[stem(w)]
}

type scratch struct {
	score   []float32
	seen    []bool
	touched []int32
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
