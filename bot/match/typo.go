package match

import (
	"cmp"
	"slices"
	"sync"
)

// speller repairs misspelled words against a vocabulary with the
// symmetric-delete method: every vocabulary word is filed under the strings
// made by deleting up to one (or, for long words, two) of its letters; a
// query word looks up its own deletions, and candidates are confirmed with
// the Damerau-Levenshtein distance. Deletion strings are filed by their
// 64-bit hash in one sorted slice, so building allocates little; a hash
// collision only adds a candidate that the distance check rejects.
type speller struct {
	words []string
	freq  []int    // how many facts use each word
	keys  []delKey // sorted by hash

	mu    sync.Mutex
	cache map[string]string // recent corrections ("" for none)
}

type delKey struct {
	h uint64
	w int32
}

// cacheSize bounds the correction cache; when full it starts afresh.
const cacheSize = 4096

// maxEdits is how far a word of n letters may be from its repair: short
// words are left alone, long ones may carry two mistakes.
func maxEdits(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

func newSpeller(freq map[string]int) *speller {
	sp := &speller{}
	for w, f := range freq {
		if len(w) >= 3 && isAlpha(w) {
			sp.words = append(sp.words, w)
			sp.freq = append(sp.freq, f)
		}
	}
	sp.keys = make([]delKey, 0, 24*len(sp.words))
	var seen []uint64
	for i, w := range sp.words {
		seen = seen[:0]
		// A query of up to len(w)+2 letters may reach w with its own budget.
		eachDeletion(w, maxEdits(len(w)+2), func(h uint64) {
			for _, s := range seen {
				if s == h {
					return
				}
			}
			seen = append(seen, h)
			sp.keys = append(sp.keys, delKey{h, int32(i)})
		})
	}
	sortKeys(sp.keys)
	return sp
}

// sortKeys sorts keys by hash: a least-significant-digit radix sort, a byte
// per pass, about four times faster than slices.SortFunc on the built-in
// pack's keys (BenchmarkSortKeys). It is stable, so equal hashes keep their
// words in order.
func sortKeys(keys []delKey) {
	if len(keys) < 2 {
		return
	}
	src, dst := keys, make([]delKey, len(keys))
	for shift := 0; shift < 64; shift += 8 {
		var count [256]int
		for _, k := range src {
			count[byte(k.h>>shift)]++
		}
		if count[byte(src[0].h>>shift)] == len(src) {
			continue // every key has the same byte here
		}
		pos := 0
		for b, c := range count {
			count[b] = pos
			pos += c
		}
		for _, k := range src {
			b := byte(k.h >> shift)
			dst[count[b]] = k
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

// correct returns the vocabulary word closest to w, or "" when none is
// close enough. Ties go to the more common word, then the alphabetically
// first, so the result is deterministic.
func (sp *speller) correct(w string) string {
	k := maxEdits(len(w))
	if k == 0 || !isAlpha(w) {
		return ""
	}
	sp.mu.Lock()
	c, ok := sp.cache[w]
	sp.mu.Unlock()
	if ok {
		return c
	}
	c = sp.search(w, k)
	sp.mu.Lock()
	if sp.cache == nil || len(sp.cache) >= cacheSize {
		sp.cache = make(map[string]string, 64)
	}
	sp.cache[w] = c
	sp.mu.Unlock()
	return c
}

// search finds the correction of w within k edits.
func (sp *speller) search(w string, k int) string {
	best, bestD, bestF := "", k+1, -1
	var tried []int32
	eachDeletion(w, k, func(h uint64) {
		i, _ := slices.BinarySearchFunc(sp.keys, h, func(d delKey, h uint64) int { return cmp.Compare(d.h, h) })
		for ; i < len(sp.keys) && sp.keys[i].h == h; i++ {
			wi := sp.keys[i].w
			if slices.Contains(tried, wi) {
				continue
			}
			tried = append(tried, wi)
			c, f := sp.words[wi], sp.freq[wi]
			if c == w {
				continue
			}
			d := distance(w, c, k)
			if d < bestD || (d == bestD && (f > bestF || (f == bestF && c < best))) {
				best, bestD, bestF = c, d, f
			}
		}
	})
	if bestD > k {
		return ""
	}
	return best
}

// eachDeletion calls fn with the FNV-1a hash of w and of every string made
// by deleting up to k (at most 2) of its letters. The same string may be
// reported more than once.
func eachDeletion(w string, k int, fn func(uint64)) {
	hash := func(skip1, skip2 int) uint64 {
		h := uint64(14695981039346656037)
		for i := 0; i < len(w); i++ {
			if i == skip1 || i == skip2 {
				continue
			}
			h ^= uint64(w[i])
			h *= 1099511628211
		}
		return h
	}
	fn(hash(-1, -1))
	if k < 1 {
		return
	}
	for i := range len(w) {
		fn(hash(i, -1))
	}
	if k < 2 || len(w) < 3 {
		return
	}
	for i := range len(w) {
		for j := i + 1; j < len(w); j++ {
			fn(hash(i, j))
		}
	}
}

// distance is the optimal-string-alignment Damerau-Levenshtein distance
// between a and b (ASCII words), or limit+1 once it must exceed limit.
func distance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func isAlpha(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
