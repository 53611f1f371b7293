package match

// Tools for tuning the matcher, skipped unless their environment variable is
// set:
//
//	KAZBOT_TUNE=../testdata/eval/dev.tsv go test ./bot/match -run TestTune -v
//	    prints answer accuracy, refusal rate and ranking accuracy with the
//	    default parameters (files are comma-separated, paths relative to
//	    bot/match); KAZBOT_VERBOSE=1 lists every miss;
//	    KAZBOT_SEARCH=1 searches the parameters by coordinate ascent;
//	    KAZBOT_PARAMS="learnShare=0.1 centralGate=0.05" sets parameters by
//	    name, KAZBOT_LEARNP="epochs rate l2 candidates" the learner's
//	    training; KAZBOT_AUG=file.tsv adds the phrasings of a file of
//	    "<fact id><TAB><phrasing>" lines to the facts' alternates (at most
//	    KAZBOT_AUGN per fact), to measure a batch before it goes in the pack.
//	KAZBOT_EXPLAIN="question" go test ./bot/match -run TestDebugExplain -v
//	    prints the analysed terms and the features of the best candidates.
//
// Tune on the dev files only: heldout.tsv measures questions nobody tuned on.

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"kazbot/knowledge"
)

type tuneRow struct {
	want  string
	q     string
	fts   []features
	terms int // how many terms the question has
}

func loadTuneRows(t *testing.T, ix *Index, path string) []tuneRow {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []tuneRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		want, q, _ := strings.Cut(l, "\t")
		a := analyze(ix.lx, q, ix.repair)
		r := tuneRow{want: want, q: q}
		qq := ix.prepare(a)
		r.terms = len(qq.terms)
		if smalltalkOf(a.folded) == "" && qq.known > 0 {
			r.fts = ix.candidates(qq, a)
		}
		rows = append(rows, r)
	}
	return rows
}

// evalRows returns answerable accuracy, refusal rate and ranking accuracy.
func evalRows(rows []tuneRow, facts []knowledge.Fact, p params, verbose bool) (float64, float64, float64) {
	var ok, ans, ref, nref, rank int
	for _, r := range rows {
		best, second := -1.0, 0.0
		var top features
		scores, words := make([]float64, len(r.fts)), make([]float64, len(r.fts))
		p.scores(r.fts, scores, words)
		for i, f := range r.fts {
			s := scores[i]
			if s > best {
				second = best
				best, top = s, f
			} else if s > second {
				second = s
			}
		}
		if second < 0 {
			second = 0
		}
		conf := best >= 0 && p.confident(best, second, float64(top.central), unknownShare(top.known, top.unknown), top.blocked || top.vetoed, r.terms)
		topID := ""
		if best >= 0 {
			topID = facts[top.fact].ID
		}
		if r.want == "-" {
			nref++
			if !conf {
				ref++
			} else if verbose {
				fmt.Printf("LEAK %.2f %.2f c=%.2f %s | %s\n", best, second, top.central, topID, r.q)
			}
			continue
		}
		ans++
		switch {
		case topID == r.want && conf:
			rank++
			ok++
		case topID == r.want:
			rank++
			if verbose {
				fmt.Printf("LOW  %.2f %.2f c=%.2f b=%v %s | %s\n", best, second, top.central, top.blocked, r.want, r.q)
			}
		default:
			if verbose {
				fmt.Printf("MISS %s got %s %.2f | %s\n", r.want, topID, best, r.q)
			}
		}
	}
	return float64(ok) / float64(ans), float64(ref) / float64(nref), float64(rank) / float64(ans)
}

func TestTune(t *testing.T) {
	paths := os.Getenv("KAZBOT_TUNE")
	if paths == "" {
		t.Skip()
	}
	p, _ := knowledge.Embedded()
	if v := os.Getenv("KAZBOT_ENTITY"); v != "" {
		fmt.Sscan(v, &entityScale)
	}
	if v := os.Getenv("KAZBOT_ANSWERW"); v != "" {
		fmt.Sscan(v, &answerWeight)
	}
	if v := os.Getenv("KAZBOT_LEARNP"); v != "" {
		fmt.Sscan(v, &learnEpochs, &learnRate, &learnL2, &learnCands)
	}
	p.Facts = augment(t, p.Facts)
	ix := New(p.Facts)
	setParams(t, &defaultParams, os.Getenv("KAZBOT_PARAMS"))
	var sets [][]tuneRow
	for _, path := range strings.Split(paths, ",") {
		sets = append(sets, loadTuneRows(t, ix, path))
	}
	// KAZBOT_VALIDATE names files that are scored with the best parameters
	// but left out of the search: a check that tuning generalises.
	var valPaths []string
	var valSets [][]tuneRow
	if v := os.Getenv("KAZBOT_VALIDATE"); v != "" {
		valPaths = strings.Split(v, ",")
		for _, path := range valPaths {
			valSets = append(valSets, loadTuneRows(t, ix, path))
		}
	}
	verbose := os.Getenv("KAZBOT_VERBOSE") != ""
	for i, rows := range sets {
		a, r, rk := evalRows(rows, p.Facts, defaultParams, verbose)
		fmt.Printf("default %s: answer %.3f refuse %.3f rank %.3f\n", strings.Split(paths, ",")[i], a, r, rk)
	}
	if os.Getenv("KAZBOT_SEARCH") == "" {
		return
	}
	knobs := tuneKnobs()
	// The objective pools the files (every question counts once) and weighs
	// accuracy and refusal rate alike (balanced accuracy); KAZBOT_WORST=1
	// maximises the worse of the two instead.
	all := slices.Concat(sets...)
	worst := os.Getenv("KAZBOT_WORST") != ""
	objective := func(c params) float64 {
		a, r, _ := evalRows(all, p.Facts, c, false)
		if worst {
			return min(a, r) + 0.2*(a+r)/2
		}
		return a + r
	}
	rng := rand.New(rand.NewPCG(1, 2))
	best, bestObj := defaultParams, objective(defaultParams)
	for restart := 0; restart < 12; restart++ {
		cur := best
		if restart > 0 {
			for _, k := range knobs {
				if len(k.vals) > 0 {
					*k.ptr(&cur) = k.vals[rng.IntN(len(k.vals))]
				}
			}
		}
		curObj := objective(cur)
		for improved := true; improved; {
			improved = false
			for _, k := range knobs {
				for _, v := range k.vals {
					c := cur
					*k.ptr(&c) = v
					if o := objective(c); o > curObj+1e-9 {
						cur, curObj, improved = c, o, true
					}
				}
			}
		}
		if curObj > bestObj {
			best, bestObj = cur, curObj
		}
	}
	for i, rows := range sets {
		a, r, rk := evalRows(rows, p.Facts, best, false)
		fmt.Printf("best %s: answer %.3f refuse %.3f rank %.3f\n", strings.Split(paths, ",")[i], a, r, rk)
	}
	for i, rows := range valSets {
		a0, r0, _ := evalRows(rows, p.Facts, defaultParams, false)
		a, r, rk := evalRows(rows, p.Facts, best, false)
		fmt.Printf("validate %s: default answer %.3f refuse %.3f; best answer %.3f refuse %.3f rank %.3f\n", valPaths[i], a0, r0, a, r, rk)
	}
	fmt.Printf("%+v\n", best)
}

// knob is a parameter KAZBOT_PARAMS may set by name, with the values the
// search tries (none: the search leaves it alone).
type knob struct {
	name string
	ptr  func(*params) *float64
	vals []float64
}

func tuneKnobs() []knob {
	return []knob{
		{"unknownShare", func(p *params) *float64 { return &p.unknownShare }, []float64{0.2, 0.35, 0.5, 0.75, 1}},
		{"missedWeight", func(p *params) *float64 { return &p.missedWeight }, []float64{0.5, 0.75, 1, 1.25, 1.5, 2}},
		{"covExp", func(p *params) *float64 { return &p.covExp }, []float64{0.5, 0.75, 1, 1.5}},
		{"centralFloor", func(p *params) *float64 { return &p.centralFloor }, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"centralExp", func(p *params) *float64 { return &p.centralExp }, []float64{0.25, 0.5, 1}},
		{"focusFloor", func(p *params) *float64 { return &p.focusFloor }, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"focusExp", func(p *params) *float64 { return &p.focusExp }, []float64{0.25, 0.5, 1}},
		{"f1Share", func(p *params) *float64 { return &p.f1Share }, []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5}},
		{"pairShare", func(p *params) *float64 { return &p.pairShare }, []float64{0, 0.1, 0.2, 0.3, 0.4}},
		{"yearFactor", func(p *params) *float64 { return &p.yearFactor }, []float64{0.4, 0.5, 0.6, 0.7, 0.85, 1}},
		{"intentFactor", func(p *params) *float64 { return &p.intentFactor }, []float64{0.2, 0.3, 0.4, 0.5, 0.6}},
		{"weakFactor", func(p *params) *float64 { return &p.weakFactor }, []float64{0.6, 0.7, 0.8, 0.9, 1}},
		{"sameBonus", func(p *params) *float64 { return &p.sameBonus }, []float64{0, 0.05, 0.1, 0.15, 0.2}},
		{"centralGate", func(p *params) *float64 { return &p.centralGate }, []float64{0, 0.05, 0.1, 0.15, 0.2}},
		{"answerAt", func(p *params) *float64 { return &p.answerAt }, []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6}},
		{"marginAt", func(p *params) *float64 { return &p.marginAt }, []float64{0.02, 0.03, 0.05, 0.08}},
		{"clearAt", func(p *params) *float64 { return &p.clearAt }, []float64{0.15, 0.2, 0.25, 0.3, 0.35}},
		{"longTerms", func(p *params) *float64 { return &p.longTerms }, []float64{6, 7, 8, 10, 1000}},
		{"longClearAt", func(p *params) *float64 { return &p.longClearAt }, []float64{0.15, 0.2, 0.25}},
		{"clearMargin", func(p *params) *float64 { return &p.clearMargin }, []float64{0.3, 0.4, 0.5, 0.6, 0.8}},
		{"learnShare", func(p *params) *float64 { return &p.learnShare }, nil},
		{"learnExp", func(p *params) *float64 { return &p.learnExp }, nil},
		{"leadWeight", func(p *params) *float64 { return &p.leadWeight }, nil},
		{"unknownGate", func(p *params) *float64 { return &p.unknownGate }, nil},
	}
}

// setParams sets the parameters that spec names ("centralGate=0.05
// answerAt=0.3"), by their field names.
func setParams(t *testing.T, p *params, spec string) {
	knobs := tuneKnobs()
	for _, kv := range strings.Fields(spec) {
		name, val, _ := strings.Cut(kv, "=")
		i := slices.IndexFunc(knobs, func(k knob) bool { return k.name == name })
		if i < 0 {
			t.Fatalf("KAZBOT_PARAMS: no parameter %q", name)
		}
		if _, err := fmt.Sscan(val, knobs[i].ptr(p)); err != nil {
			t.Fatalf("KAZBOT_PARAMS: %s: %v", kv, err)
		}
	}
}

// augment appends the phrasings of the files KAZBOT_AUG names (lines of
// "<fact id><TAB><phrasing>") to the facts' alternates, at most KAZBOT_AUGN
// per fact: a way to measure a batch of new alternates before adding it to
// the pack.
func augment(t *testing.T, facts []knowledge.Fact) []knowledge.Fact {
	paths := os.Getenv("KAZBOT_AUG")
	if paths == "" {
		return facts
	}
	limit := 1 << 30
	if v := os.Getenv("KAZBOT_AUGN"); v != "" {
		fmt.Sscan(v, &limit)
	}
	extra := map[string][]string{}
	for _, path := range strings.Split(paths, ",") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			id, q, ok := strings.Cut(l, "\t")
			if ok && len(extra[id]) < limit {
				extra[id] = append(extra[id], q)
			}
		}
	}
	out := slices.Clone(facts)
	for i := range out {
		out[i].Alternates = slices.Concat(out[i].Alternates, extra[out[i].ID])
	}
	return out
}

func TestDebugExplain(t *testing.T) {
	q := os.Getenv("KAZBOT_EXPLAIN")
	if q == "" {
		t.Skip()
	}
	p, _ := knowledge.Embedded()
	p.Facts = augment(t, p.Facts)
	ix := New(p.Facts)
	a := analyze(ix.lx, q, ix.repair)
	qq := ix.prepare(a)
	fmt.Printf("intent=%v\n", a.intent)
	for _, qt := range qq.terms {
		key := ""
		for k, id := range ix.ids {
			if id == qt.id {
				key = k
			}
		}
		fmt.Printf("  term id=%d %q w=%.2f entity=%q year=%v\n", qt.id, key, qt.w, qt.entity, qt.year)
	}
	fts := ix.candidates(qq, a)
	sort.Slice(fts, func(i, j int) bool { return defaultParams.score(fts[i]) > defaultParams.score(fts[j]) })
	for i, f := range fts {
		if i == 6 {
			break
		}
		fmt.Printf("  %-26s s=%.3f m=%.2f raw=%.2f known=%.2f unk=%.2f central=%.2f focus=%.2f f1=%.2f im=%v bl=%v\n",
			p.Facts[f.fact].ID, defaultParams.score(f), f.matched, f.matchedRaw, f.known, f.unknown, f.central, f.focus, f.bestF, f.intentMiss, f.blocked)
	}
}
