package bottest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"kazbot/knowledge"
)

// Synthetic generates a pack of n facts for benchmarks: pseudo-words drawn
// from a Zipf distribution over a vocabulary that grows with n, so common
// words are common and rare words rare, as in real text. The same n and
// seed give the same pack.
func Synthetic(n int, seed uint64) *knowledge.Pack {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	vocab := syntheticVocab(rng, 2000+n/5)
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	words := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	header := knowledge.Pack{
		Name: "synthetic", Title: "Synthetic pack", Description: "Generated facts for benchmarks.",
		Origin: "bottest.Synthetic", Sections: []string{"Generated"},
	}
	for i := range 20 {
		header.Topics = append(header.Topics, knowledge.Topic{
			ID: fmt.Sprintf("topic-%d", i), Title: fmt.Sprintf("Topic %d", i), Description: "Generated topic.",
		})
	}
	facts := make([]knowledge.Fact, n)
	for i := range facts {
		f := knowledge.Fact{
			ID:       fmt.Sprintf("fact-%d", i),
			Topic:    header.Topics[i%len(header.Topics)].ID,
			Question: words(6+rng.IntN(5)) + "?",
			Answer:   words(15 + rng.IntN(10)),
			Source:   "Generated",
		}
		for range 5 {
			f.Alternates = append(f.Alternates, words(3+rng.IntN(5)))
		}
		if i%7 == 0 {
			f.Date = fmt.Sprintf("%d", 1900+rng.IntN(125))
		}
		facts[i] = f
	}
	return knowledge.NewPack(header, facts)
}

// SyntheticQuestions returns k questions about random facts of p: a few
// words of one of its phrasings, with one word misspelled now and then.
func SyntheticQuestions(p *knowledge.Pack, k int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 0x9e57))
	qs := make([]string, k)
	for i := range qs {
		f := p.Facts[rng.IntN(len(p.Facts))]
		src := f.Question
		if j := rng.IntN(len(f.Alternates) + 1); j > 0 {
			src = f.Alternates[j-1]
		}
		ws := strings.Fields(strings.TrimSuffix(src, "?"))
		rng.Shuffle(len(ws), func(a, b int) { ws[a], ws[b] = ws[b], ws[a] })
		ws = ws[:max(1, len(ws)*3/4)]
		if len(ws[0]) > 5 && rng.IntN(3) == 0 {
			w := []byte(ws[0])
			w[1], w[2] = w[2], w[1]
			ws[0] = string(w)
		}
		qs[i] = "what about " + strings.Join(ws, " ")
	}
	return qs
}

func syntheticVocab(rng *rand.Rand, n int) []string {
	syl := []string{"ka", "za", "kh", "st", "an", "ol", "mir", "tor", "bek", "sar", "un", "el", "ra", "ni",
		"po", "ve", "ti", "lo", "gu", "dem", "cor", "pha", "ish", "ost", "val", "qu", "ir", "an", "ex", "lin"}
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
