package bot_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"kazbot/bot"
	"kazbot/bot/bottest"
	"kazbot/knowledge"
)

// benchQuestions mix answerable questions, typos, refusals and small talk.
var benchQuestions = []string{
	"when did kz join the UN?", "chevron tengiz", "what did Chevron get in Tengiz?",
	"frendship treaty with rusia", "how was the china border split", "osce chair year",
	"who appoints the foreign minister", "When did Brazil join the UN?", "Who founded Chevron?",
	"hi there", "kazakhstan position on crimea", "how many us companies are in kazakhstan",
	"what is the eaeu", "when was the astana summit of central asian leaders",
	"dissarmament money from america", "tell me a joke",
}

// BenchmarkAsk measures one question on the embedded pack and reports the
// median and 99th percentile latency besides the mean.
func BenchmarkAsk(b *testing.B) {
	benchAsk(b, benchQuestions)
}

// benchAsk asks qs in turn on the embedded pack and reports the latency
// percentiles.
func benchAsk(b *testing.B, qs []string) {
	e := embeddedEngine(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		e.Ask(ctx, qs[i%len(qs)])
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkAskSynthetic measures Ask on generated packs of 10k and 100k
// facts.
func BenchmarkAskSynthetic(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("facts=%d", n), func(b *testing.B) {
			p := bottest.Synthetic(n, 1)
			e, err := bot.New(p)
			if err != nil {
				b.Fatal(err)
			}
			qs := bottest.SyntheticQuestions(p, 1000, 2)
			ctx := context.Background()
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				e.Ask(ctx, qs[i%len(qs)])
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			reportPercentiles(b, lat)
		})
	}
}

// BenchmarkBuild measures building the engine (index, typo repair,
// completion) over generated packs.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("facts=%d", n), func(b *testing.B) {
			p := bottest.Synthetic(n, 1)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := bot.New(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStartup measures loading and indexing the embedded pack: what
// the binary does before it can answer.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		p, err := knowledge.Embedded()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bot.New(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAskNaming measures Ask on questions that ask what something is
// called: the matcher reads the candidates' answers for names.
func BenchmarkAskNaming(b *testing.B) {
	benchAsk(b, []string{
		"what is the eaeu's supranational body called",
		"what's the 1992 treaty with russia called",
		"the name of the un programme for central asia",
		"what is the ministry body that shapes kazakhstan's image called",
	})
}
