package match

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"kazbot/knowledge"
)

func TestDebugDump(t *testing.T) {
	path := os.Getenv("KAZBOT_DUMP")
	if path == "" {
		t.Skip()
	}
	p, _ := knowledge.Embedded()
	ix := New(p.Facts)
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	type row struct {
		want, q, top string
		c1, c2       float64
		ok, blocked  bool
	}
	var rows []row
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		want, q, _ := strings.Cut(l, "\t")
		r := ix.Match(q, 5)
		rw := row{want: want, q: q}
		if len(r.Candidates) > 0 {
			rw.top = p.Facts[r.Candidates[0].Fact].ID
			rw.c1 = r.Candidates[0].Confidence
			rw.blocked = r.Candidates[0].Blocked
		}
		if len(r.Candidates) > 1 {
			rw.c2 = r.Candidates[1].Confidence
		}
		rw.ok = rw.top == want
		rows = append(rows, rw)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].c1 > rows[j].c1 })
	for _, r := range rows {
		mark := "  "
		switch {
		case r.want == "-":
			mark = "R "
		case r.ok:
			mark = "OK"
		default:
			mark = "XX"
		}
		fmt.Printf("%s %.2f %.2f b=%v %-24s want=%-24s %s\n", mark, r.c1, r.c2, r.blocked, r.top, r.want, r.q)
	}
}

func TestDebugAnalyze(t *testing.T) {
	q := os.Getenv("KAZBOT_Q")
	if q == "" {
		t.Skip()
	}
	p, _ := knowledge.Embedded()
	ix := New(p.Facts)
	a := analyze(ix.lx, q, ix.known, ix.speller)
	fmt.Printf("intent=%v\n", a.intent)
	for _, tm := range a.terms {
		id, ok := ix.ids[tm.key]
		w := ix.unknownW
		if ok {
			w = ix.idf[id]
		}
		fmt.Printf("  %q entity=%v known=%v w=%.2f\n", tm.key, tm.entity, ok, w)
	}
	r := ix.Match(q, 5)
	for _, c := range r.Candidates {
		fmt.Printf("  %-26s %.3f blocked=%v\n", p.Facts[c.Fact].ID, c.Confidence, c.Blocked)
	}
}

func TestDebugFeatures(t *testing.T) {
	path := os.Getenv("KAZBOT_FEATURES")
	if path == "" {
		t.Skip()
	}
	p, _ := knowledge.Embedded()
	ix := New(p.Facts)
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	out, _ := os.Create(os.Getenv("KAZBOT_FEATURES_OUT"))
	defer out.Close()
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		want, q, _ := strings.Cut(l, "\t")
		a := analyze(ix.lx, q, ix.known, ix.speller)
		st := smalltalkOf(a.folded)
		qq := ix.prepare(a)
		var fts []features
		if qq.known > 0 && st == "" {
			fts = ix.candidates(qq, a)
		}
		fmt.Fprintf(out, "{\"want\":%q,\"q\":%q,\"st\":%q,\"c\":[", want, q, st)
		for i, ft := range fts {
			if i > 0 {
				fmt.Fprint(out, ",")
			}
			fmt.Fprintf(out, "[%q,%g,%g,%g,%g,%g,%v,%v]", p.Facts[ft.fact].ID, ft.matched, ft.known, ft.unknown, ft.central, ft.sim, ft.intentMiss, ft.blocked)
		}
		fmt.Fprintln(out, "]}")
	}
}

func TestDebugUnknown(t *testing.T) {
	path := os.Getenv("KAZBOT_UNKNOWN")
	if path == "" {
		t.Skip()
	}
	p, _ := knowledge.Embedded()
	ix := New(p.Facts)
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	count := map[string]int{}
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		want, q, _ := strings.Cut(l, "\t")
		if want == "-" {
			continue
		}
		a := analyze(ix.lx, q, ix.known, ix.speller)
		for _, tm := range a.terms {
			if _, ok := ix.ids[tm.key]; !ok {
				count[tm.key]++
			}
		}
	}
	for k, v := range count {
		fmt.Printf("%d %s\n", v, k)
	}
}

func TestDebugExplain(t *testing.T) {
	q := os.Getenv("KAZBOT_EXPLAIN")
	if q == "" {
		t.Skip()
	}
	p, _ := knowledge.Embedded()
	ix := New(p.Facts)
	a := analyze(ix.lx, q, ix.known, ix.speller)
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
		fmt.Printf("  %-26s s=%.3f m=%.2f raw=%.2f known=%.2f unk=%.2f central=%.2f focus=%.2f sim=%.2f im=%v bl=%v\n",
			p.Facts[f.fact].ID, defaultParams.score(f), f.matched, f.matchedRaw, f.known, f.unknown, f.central, f.focus, f.sim, f.intentMiss, f.blocked)
	}
}
