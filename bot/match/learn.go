package match

import (
	"math"
	"slices"
)

// The learner: a logistic-regression classifier from a question's terms to
// the fact it asks for, trained when the index is built on the facts' own
// phrasings (question, alternates, tags), never on evaluation questions.
// Idf weighs a term by how many facts use it; the learner weighs it by how
// well it tells a fact from the neighbours the words alone confuse it with
// (Kazakhstan's bid to lead the region against how its neighbours see that
// bid). Its softmax runs over a phrasing's candidates, the facts sharing
// most weight with it, so training costs O(phrasings × candidates × terms)
// rather than O(phrasings × facts), and a question is scored over the facts
// the matcher already gathered. Training is deterministic: the same pack
// always gives the same weights.

// learnMaxFacts is the largest pack the learner trains on: a larger pack's
// build would take too long, and it is scored on words alone.
const learnMaxFacts = 2000

// The learner's training settings, chosen on the dev evaluation files
// (variables so that tune_test.go can vary them).
var (
	learnEpochs         = 10
	learnRate   float32 = 1
	learnL2     float32 = 1e-4
	learnCands          = 8
)

// learnDenseMax is the largest facts × terms for which the learner finds
// its weights' slots in a dense table (4 bytes each) rather than a map.
var learnDenseMax = 1 << 22

// learnedPosting is the learner's weight of one term for one fact.
type learnedPosting struct {
	fact int32
	w    float32
}

// example is one phrasing to learn from: its own fact is cands[0].
type example struct {
	cands []int32
	x     []float32 // by term: its idf, the vector scaled to length 1
	slots []int32   // len(cands)*len(x): the weight of each candidate for each term
}

// learn trains the learner and stores its weights in ix.learnedPostings. It
// needs the postings and idf.
func (ix *Index) learn() {
	nf := len(ix.info)
	if nf < 2 || nf > learnMaxFacts {
		return
	}
	// Each (candidate, term) pair gets a slot in w: from a dense table when
	// facts × terms is small (the common case, and much faster), from a
	// map otherwise.
	var keys []uint64
	var dense []int32
	var sparse map[uint64]int32
	nt := len(ix.idf)
	if nf*nt <= learnDenseMax {
		dense = make([]int32, nf*nt)
		for i := range dense {
			dense[i] = -1
		}
	} else {
		sparse = map[uint64]int32{}
	}
	slotOf := func(c, id int32) int32 {
		k := uint64(uint32(c))<<32 | uint64(uint32(id))
		if dense != nil {
			d := &dense[int(c)*nt+int(id)]
			if *d < 0 {
				*d = int32(len(keys))
				keys = append(keys, k)
			}
			return *d
		}
		s, ok := sparse[k]
		if !ok {
			s = int32(len(keys))
			sparse[k] = s
			keys = append(keys, k)
		}
		return s
	}
	sc := ix.pool.Get().(*scratch)
	defer ix.pool.Put(sc)
	// The examples' slices share three backing arrays, sized up front: one
	// allocation each rather than three per phrasing.
	var nph, nids int
	for f := range ix.info {
		for _, p := range ix.info[f].phrasings {
			nph++
			nids += len(p.ids)
		}
	}
	exs := make([]example, 0, nph)
	allCands := make([]int32, 0, nph*learnCands)
	allSlots := make([]int32, 0, nids*learnCands)
	allX := make([]float32, 0, nids)
	add := func(f int, ids []int32) {
		if len(ids) == 0 {
			return
		}
		for _, id := range ids {
			sc.add(ix.postings[id], ix.idf[id])
		}
		top := sc.touched
		if len(top) > learnCands {
			top = topFacts(sc.touched, sc.score, learnCands)
		}
		c0 := len(allCands)
		allCands = append(allCands, int32(f))
		for _, c := range top {
			if c != int32(f) && len(allCands)-c0 < learnCands {
				allCands = append(allCands, c)
			}
		}
		sc.clearScores()
		cands := allCands[c0:len(allCands):len(allCands)]
		x0 := len(allX)
		var n float64
		for _, id := range ids {
			allX = append(allX, ix.idf[id])
			n += float64(ix.idf[id] * ix.idf[id])
		}
		x := allX[x0:len(allX):len(allX)]
		norm := float32(1 / math.Sqrt(n))
		for i := range x {
			x[i] *= norm
		}
		s0 := len(allSlots)
		for _, c := range cands {
			for _, id := range ids {
				allSlots = append(allSlots, slotOf(c, id))
			}
		}
		exs = append(exs, example{cands: cands, x: x, slots: allSlots[s0:len(allSlots):len(allSlots)]})
	}
	for f := range ix.info {
		for _, p := range ix.info[f].phrasings {
			add(f, p.ids)
		}
	}
	w := make([]float32, len(keys))
	var z [maxCandidates]float32
	for e := range learnEpochs {
		for k := range exs {
			if e%2 == 1 { // alternate the order so no phrasing always comes last
				k = len(exs) - 1 - k
			}
			ex := &exs[k]
			nx := len(ex.x)
			zs := z[:len(ex.cands)]
			for c := range zs {
				var s float32
				for i, v := range ex.x {
					s += v * w[ex.slots[c*nx+i]]
				}
				zs[c] = s
			}
			softmax(zs)
			zs[0] -= 1 // the gradient of the log loss: the own fact is the label
			for c, g := range zs {
				for i, v := range ex.x {
					j := ex.slots[c*nx+i]
					w[j] -= learnRate * (g*v + learnL2*w[j])
				}
			}
		}
	}
	// Freeze: by term, the facts it has a weight for, like the postings.
	counts := make([]int, nt)
	for _, k := range keys {
		counts[uint32(k)]++
	}
	ix.learnedPostings = make([][]learnedPosting, nt)
	all := make([]learnedPosting, len(keys))
	for id, n := range counts {
		ix.learnedPostings[id], all = all[:0:n], all[n:]
	}
	for s, k := range keys {
		id := uint32(k)
		ix.learnedPostings[id] = append(ix.learnedPostings[id], learnedPosting{fact: int32(k >> 32), w: w[s]})
	}
}

// softmax turns z into probabilities in place.
func softmax(z []float32) {
	if len(z) == 0 {
		return
	}
	m := slices.Max(z)
	var s float32
	for i, v := range z {
		z[i] = float32(math.Exp(float64(v - m)))
		s += z[i]
	}
	for i := range z {
		z[i] /= s
	}
}

// learnedProbs sets each candidate's learned: the learner's probability that it
// is the fact the question asks for, among the candidates. sc.cand must be
// all zero; it is left so.
func (ix *Index) learnedProbs(q *question, fts []features, sc *scratch) {
	if !ix.hasLearner() || len(fts) == 0 {
		return
	}
	var n float64
	for _, qt := range q.terms {
		if qt.id >= 0 {
			n += float64(ix.idf[qt.id] * ix.idf[qt.id])
		}
	}
	// Words no fact uses dilute what the others say.
	n += float64(q.unknown * q.unknown)
	if n == 0 {
		return
	}
	for c := range fts {
		sc.cand[fts[c].fact] = int8(c + 1)
	}
	var z [maxCandidates]float32
	zs := z[:len(fts)]
	for _, qt := range q.terms {
		if qt.id < 0 {
			continue
		}
		idf := ix.idf[qt.id]
		for _, lp := range ix.learnedPostings[qt.id] {
			if c := sc.cand[lp.fact]; c > 0 {
				zs[c-1] += idf * lp.w
			}
		}
	}
	norm := float32(1 / math.Sqrt(n))
	for c := range zs {
		zs[c] *= norm
		sc.cand[fts[c].fact] = 0
	}
	softmax(zs)
	for c := range fts {
		fts[c].learned = zs[c]
	}
}
