package match

// speller repairs misspelled words against a vocabulary with the
// symmetric-delete method: every vocabulary word is stored under the
// strings made by deleting one (or, for long words, two) of its letters; a
// query word looks up its own deletions, and candidates are confirmed with
// the Damerau-Levenshtein distance.
type speller struct {
	freq    map[string]int      // vocabulary word -> how many facts use it
	deletes map[string][]string // deletion variant -> vocabulary words
}

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
	sp := &speller{freq: freq, deletes: map[string][]string{}}
	for w := range freq {
		if len(w) < 3 || !isAlpha(w) {
			continue
		}
		for _, d := range deletions(w, maxEdits(len(w)+2)) {
			sp.deletes[d] = append(sp.deletes[d], w)
		}
	}
	return sp
}

// correct returns the vocabulary word closest to w, or "" when none is
// close enough. Ties go to the more common word, then the alphabetically
// first, so the result is deterministic.
func (sp *speller) correct(w string) string {
	k := maxEdits(len(w))
	if k == 0 || !isAlpha(w) {
		return ""
	}
	best, bestD, bestF := "", k+1, -1
	consider := func(c string) {
		if c == w {
			return
		}
		d := distance(w, c, k)
		f := sp.freq[c]
		if d < bestD || (d == bestD && (f > bestF || (f == bestF && c < best))) {
			best, bestD, bestF = c, d, f
		}
	}
	seen := map[string]bool{}
	for _, d := range append(deletions(w, k), w) {
		for _, c := range sp.deletes[d] {
			if !seen[c] {
				seen[c] = true
				consider(c)
			}
		}
		if _, ok := sp.freq[d]; ok && !seen[d] {
			seen[d] = true
			consider(d)
		}
	}
	if bestD > k {
		return ""
	}
	return best
}

// deletions returns w with up to k letters deleted (w itself excluded).
func deletions(w string, k int) []string {
	var out []string
	level := []string{w}
	seen := map[string]bool{w: true}
	for step := 0; step < k; step++ {
		var next []string
		for _, s := range level {
			for i := 0; i < len(s); i++ {
				d := s[:i] + s[i+1:]
				if !seen[d] && len(d) > 0 {
					seen[d] = true
					next = append(next, d)
				}
			}
		}
		out = append(out, next...)
		level = next
	}
	return out
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
