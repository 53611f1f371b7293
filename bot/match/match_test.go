package match

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"kazbot/knowledge"
)

func embedded(t testing.TB) (*knowledge.Pack, *Index) {
	t.Helper()
	p, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return p, New(p.Facts)
}

func keys(a analysis) string {
	var ks []string
	for _, t := range a.terms {
		ks = append(ks, t.key)
	}
	return strings.Join(ks, " ")
}

func TestAnalyzeNormalises(t *testing.T) {
	_, ix := embedded(t)
	tests := []struct{ name, in, want string }{
		{"case, punctuation and possessives fold away", "KAZAKHSTAN'S Foreign-Policy!!", "kazakhstan foreign polici"},
		{"kz and kazakh mean kazakhstan", "kz and kazakh", "kazakhstan"},
		{"so does the steppe nation", "the steppe nation", "kazakhstan"},
		{"US, U.S.A. and America are one entity", "US U.S.A. America Washington", "usa"},
		{"us after tell is a pronoun", "tell us about the UN", "un"},
		{"accents are folded", "Türkiye", "turkey"},
		{"British spelling meets American", "recognised organisation", "recogn organ"},
		{"security council is the UNSC", "the un security council", "unsc"},
		{"a phrase matches whatever its inflection", "joined the united nation", "join un"},
		{"so does a plural", "security councils", "unsc"},
		{"synonyms meet their canonical word", "stake", "share"},
		{"a phrase matches across stop words", "they work on it together", "cooper"},
		{"numbers keep their thousands", "about 1,000 km", "1000 km"},
		{"a figure's unit suffix is its own word", "$300m 2bn 10k", "300 million 2 billion 10 thousand"},
		{"ordinals and decades keep theirs", "168th 90s 2m2", "168th 90s 2m2"},
		{"an abbreviation meets its phrase", "kz china ftz", "kazakhstan china free trade zon"},
		{"typos are repaired against the pack", "kazakstan chevorn frendship dissarmament", "kazakhstan chevron friendship disarma"},
		{"an english word the pack lacks finds a related one", "diplomatically geographic", "diplomaci geograph"},
		{"stop words and chat filler go", "hey pls can you tell me what is the", ""},
		{"so does chat shorthand", "eli5 tbh imo rn", ""},
		{"and who mentioned it", "someone mentioned khorgos", "khorgos"},
		{"a warplane by its model is a plane", "the su-24 shootdown", "plane down"},
		{"a newcomer asks about age", "a newcomer or a veteran", "old"},
		{"multivectorness is multi-vector", "multivectorness", "multi-vector"},
		{"the WHO in capitals is the organisation", "does the WHO work in kz", "who-org work kazakhstan"},
		{"the point of a thing is its goal", "the point of the sco", "goal sco"},
		{"a point in time is not", "at some point", "point"},
		{"what a country lobbies for is its goal", "lobbies for", "goal"},
		{"so is what it was after", "what was kz after in beijing", "kazakhstan goal china"},
		{"and what they wanted", "what did they want abroad", "goal abroad"},
		{"wanting to know asks for no goal", "i want to know after 1991", "1991"},
		{"a one-word synonym matches its inflections", "championing", "goal"},
		{"but not a word derived from it", "national", "nation"},
		{"a soviet republic keeps both its country and the union", "the Kazakh SSR", "kazakhstan ussr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keys(analyze(ix.lx, tt.in, ix.repair)); got != tt.want {
				t.Errorf("analyze(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIntents(t *testing.T) {
	tests := []struct {
		in   string
		want Intent
	}{
		{"when did kz join the un", DateIntent},
		{"what year was the treaty", DateIntent},
		{"kazakh position when russia took crimea", AnyIntent},
		{"how many us companies", NumberIntent},
		{"what share of tengiz", NumberIntent},
		{"how long is the border", LengthIntent},
		{"how tall is the tower", LengthIntent},
		{"how high does russia rank", AnyIntent},
		{"how big a deal is russia", AnyIntent},
		{"who appoints the foreign minister", AgentIntent},
		{"who is the foreign minister", NameIntent},
		{"why a multi-vector policy", ReasonIntent},
		{"where did kazakh troops serve", PlaceIntent},
		{"where does kazakhstan stand on crimea", AnyIntent},
		{"does kazakhstan recognise abkhazia", YesNoIntent},
		{"on which day was the treaty signed", DayIntent},
		{"how much of a say does parliament have", AnyIntent},
		{"how much does russia matter to kz", AnyIntent},
		{"when russia took crimea did kazakhstan back it", AnyIntent},
		{"is china a big investor and how large is its share", AnyIntent},
		{"when kazakhstan joined the un", DateIntent},
		{"when was the treaty signed and did it last", DateIntent},
		{"how much did the us give", NumberIntent},
		{"what's the logic behind the balance", ReasonIntent},
		{"what is the budget of the ministry", NumberIntent},
		{"who founded the sco", NameIntent},
		{"which turkish prime minister heard it", NameIntent},
		{"the name of the turkish pm he spoke to", NameIntent},
		{"name of the foreign minister in 1991", NameIntent},
		{"kz russia yearly trade turnover", NumberIntent},
		{"who put pen to paper on the chinese side", NameIntent},
		{"who took russia's side", AgentIntent},
		{"foreign ministry budget 2018", NumberIntent},
		{"kazakh chinese border length", LengthIntent},
		{"what is the distance from astana to moscow", LengthIntent},
		{"whats the name of the foreign minister", NameIntent},
		{"who's kazakhstan's foreign minister now", NameIntent},
		{"who's kazakhstan's closest ally", AgentIntent},
		{"kz joined the un in 1993, right?", YesNoIntent},
		{"wasn't it the kremlin's idea", YesNoIntent},
		{"didnt kz join the un in 1992", YesNoIntent},
		{"how long has the committee existed", SinceIntent},
		{"how long ago did kz join the un", SinceIntent},
		{"since when has kz been multi-vector", SinceIntent},
		{"what region-wide work does the osce do", AnyIntent},
		{"what region is khorgos in", PlaceIntent},
		{"i thought the treaty came in 1994, was i wrong", YesNoIntent},
		{"the chair went to kz in 2011 or not", YesNoIntent},
		{"who was the people's commissar for foreign affairs", NameIntent},
		{"what kind of leader does kz want to be", AnyIntent},
		{"where did the idea of cica come from", AnyIntent},
		{"what is cica and where is it based", AnyIntent},
		{"what year and where was it signed", DateIntent},
		{"kz and china: where is the border", PlaceIntent},
		{"what is cica and when was it founded", AnyIntent},
		{"when the ussr fell apart, why did kz start from scratch", ReasonIntent},
		{"when the ussr fell apart kz had no diplomats", DateIntent},
		{"what is the name of the 1992 treaty", AnyIntent},
		{"what is the name of the current foreign minister", NameIntent},
		{"has kazakhstan kept its distance from moscow", YesNoIntent},
		{"what is tengiz's daily output", NumberIntent},
		{"what area does the treaty cover", AnyIntent},
		{"in which city was the treaty signed", PlaceIntent},
		{"which blocs where russia calls the shots does kz belong to", AnyIntent},
		{"and where are the troops", PlaceIntent},
		{"what is the annual trade turnover between kazakhstan and china", NumberIntent},
	}
	for _, tt := range tests {
		if got := intentOf(fold(tt.in)); got != tt.want {
			t.Errorf("intentOf(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSmalltalk(t *testing.T) {
	tests := []struct {
		in   string
		want Smalltalk
	}{
		{"hi", Greeting},
		{"hello there kazbot!", Greeting},
		{"good morning", Greeting},
		{"thanks a lot", Thanks},
		{"thank you so much!", Thanks},
		{"bye", Goodbye},
		{"help", Help},
		{"what can you do?", Help},
		{"who are you", Identity},
		{"what's your name", Identity},
		{"hi, when did kz join the un?", ""},
		{"thanks, and what about china", ""},
		{"what", ""},
		{"hmm interesting", Reaction},
		{"ok makes sense", Reaction},
		{"wow", Reaction},
		{"interesting, and when did kz join the un", ""},
	}
	for _, tt := range tests {
		if got := smalltalkOf(fold(tt.in)); got != tt.want {
			t.Errorf("smalltalkOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatchDecides(t *testing.T) {
	p, ix := embedded(t)
	tests := []struct {
		name, q, want string // want "" = not confident
	}{
		{"the canonical question", "When did Kazakhstan join the United Nations?", "un-membership"},
		{"a keyword query", "chevron tengiz stake", "chevron-tengiz"},
		{"an entity the fact lacks blocks it", "When did Brazil join the UN?", ""},
		{"a member of a group may be answered about the group", "which countries besides belarus are in the eaeu", "eaeu-members"},
		{"a member of a group is not its whole", "what is belarus's position on crimea", ""},
		{"an office asked by name needs a name", "who is the current foreign minister of kazakhstan", ""},
		{"a date the fact lacks is not given", "when did kazakhstan start working with the oic", ""},
		{"out of domain", "what's the weather in almaty", ""},
		{"another country as the subject is another question", "has russia recognised abkhazia and south ossetia", ""},
		{"another country as the subject, named by no fact but in a group one names", "when did kyrgyzstan chair the osce", ""},
		{"an office asked for after which needs a name", "which turkish prime minister heard nazarbayev's big brother remark", ""},
		{"one of alternatives joined by or is enough", "in 2010 did kazakhstan chair the osce or the oic", "osce-chair-2010"},
		{"alternatives in a list need only one named by the fact", "over crimea did kz back washington, moscow, kyiv or nobody", "crimea"},
		{"a month opening the question is no subject", "where did the march 2018 meeting of central asian presidents take place", "astana-summit-2018"},
		{"alternatives the fact names none of block it", "did brazil or argentina recognise kazakhstan first", ""},
		{"a neighbour in kazakhstan's place is not answered by a fact naming only its region", "does the us call kyrgyzstan a strategic partner too", ""},
		{"a neighbour beside kazakhstan may be answered by a fact naming its region", "what threats do kz and tajikistan fight together", "central-asia-security"},
		{"a name a word is related to is not that word", "is kazakhstan the central asian leader because it's the best reformed", "regional-leadership"},
		{"polish before an object is the verb", "which ministry body was set up to polish kazakhstan's reputation", "information-committee"},
		{"polish before a noun is poland's", "which ministry body was set up to shape the polish reputation", ""},
		{"kazakhstan as the subject gets the fact", "has kazakhstan recognised abkhazia and south ossetia", "georgia-breakaways"},
		{"an english word is not read as a typo", "how do i reset my router password", ""},
		{"how many asks about the thing counted", "how many nuclear warheads did kazakhstan give up", ""},
		{"an answer naming the countries lets one count them", "how many states belong to the eurasian economic union", "eaeu-members"},
		{"how many may name the thing counted by either of two words", "how many bilateral agreements link kazakhstan and china", "china-treaties"},
		{"how many asks for a number the answer gives of the thing counted", "how many member states does cica have", ""},
		{"how many asks about the thing counted, in a question with phrases too", "how many votes did kazakhstan get in the un security council election", ""},
		{"an ordinal counts nothing", "how many members does the united nations have", ""},
		{"the answer may count the thing under another name", "how many un agencies have offices in kazakhstan", "un-agencies"},
		{"how many dollars asks how much", "how many dollars did the us give kazakhstan for nuclear disarmament", "us-disarmament-aid"},
		{"an entity compared with does not block", "did turkey recognise kz even before the united states", "turkey-first-recognition"},
		{"a question of words no fact uses is not answered", "how old is the eiffel tower", ""},
		{"an excluded entity asks for others of its kind", "apart from chevron, which firms hold stakes in tengiz", ""},
		{"an answer giving a name the lexicon lacks answers an exclusion", "apart from the sco, which chinese-led initiative ties kazakhstan to china", "silk-road-belt"},
		{"an answer naming others of the excluded kind answers", "other than russia, which countries belong to the eurasian economic union", "eaeu-members"},
		{"asking what a thing is called needs an answer that names it", "what is the governing commission of the eurasian union called", ""},
		{"asking the name of a thing needs an answer that gives one", "the name of the annual kazakh-american army drill", ""},
		{"an answer giving a name answers what a thing is called", "the ministry unit that promotes kazakhstan's image abroad, what is it called", "information-committee"},
		{"who acted on a party's side asks for a person", "who negotiated the border deal on the chinese side", ""},
		{"a small country no fact names blocks", "has paraguay recognised south ossetia", ""},
		{"the next instance of a dated event is another event", "which country got the un security council presidency the next time", ""},
		{"another country's view of kazakhstan is not kazakhstan's view of it", "how does moscow regard kazakhstan as a partner in the eurasian union", ""},
		{"another country's view the fact gives is answered", "how does washington regard kazakhstan in central asia", "us-strategic-partner"},
		{"a neighbour's view given for the whole region is answered", "how does uzbekistan view kazakhstan's claim to regional leadership", "neighbours-view"},
		{"which city needs an answer naming one", "in which town did kazakhstan and china settle their border", ""},
		{"an answer naming the city answers which city", "in what city did the central asian presidents gather in 2018", "astana-summit-2018"},
		{"a kazakh person a fact does not name blocks it", "what priorities did tokayev give kazakhstan's foreign policy", ""},
		{"so is a guess stated before a tag", "i thought china was the first to recognise kazakhstan, no?", "turkey-first-recognition"},
		{"a claim with another year is answered by the fact's own, whatever it asks", "my book says kz joined the un in 1993, is that off by a year?", "un-membership"},
		{"how long has asks since when: a since answers it", "how long has kazakhstan pursued the multi-vector course", "multi-vector"},
		{"figures guessed at in a how-many question do not count against the answer", "how many treaties do kz and china have between them, 10? 40? 90?", "china-treaties"},
		{"a claim's wrong year costs the fact nothing", "i thought the info committee of the foreign ministry dates from 1995, am i misremembering?", "information-committee"},
		{"a claim's wrong month does not block the fact", "kz became a un member in june 1992, right?", "un-membership"},
		{"a claim with a wrong rank is answered by the right one", "kz was the 175th state in the un, right?", "un-membership"},
		{"when a term ended is not when it began", "kz's seat on the security council, when did it end", ""},
		{"who heads a body needs a person or an office", "who heads the image-building committee at the ministry", ""},
		{"an office answers who heads", "who heads kazakhstan's foreign ministry", "ministry-structure"},
		{"the ex-soviet space is not the ussr", "what did nazarbayev put forward in 1994 for the ex-soviet countries", "eurasian-union-idea"},
		{"a guess at who was first is answered by who was", "was china the first country to recognise kazakhstan", "turkey-first-recognition"},
		{"a kazakh person given as an example of an office does not", "could nazarbayev or whoever was in charge name the foreign minister alone", "minister-appointment"},
		{"a kazakh person the fact names does not", "which foreign-policy priorities did nazarbayev set out", "nazarbayev-priorities"},
		{"a quantity asks for a figure", "kazakhstan and china yearly trade turnover", ""},
		{"a year a dated fact lacks, in a keyword query", "osce chairmanship 2013", ""},
		{"a year a dated fact lacks, for a fact with two years", "what did kazakhstan do on the security council in 2020", ""},
		{"a year offered beside the fact's own is no clash", "was it 2010 or 2012 that kazakhstan chaired the osce", "osce-chair-2010"},
		{"a yes-no question checking another year gets the fact's own", "did kazakhstan chair the osce in 2012", "osce-chair-2010"},
		{"so does a claim with a tag", "kazakhstan chaired the osce in 2012, right?", "osce-chair-2010"},
		{"the year after a country is a later instance", "who held the osce chair the year after kazakhstan", ""},
		{"a rank the fact never gives is another question", "which state was the third to recognise kazakhstan", ""},
		{"so is a later instance by its rank", "when did kazakhstan get its second seat on the security council", ""},
		{"an ordinal in a name is no rank", "why did soviet kazakhstan get a foreign minister during the second world war", "soviet-foreign-minister"},
		{"the first is the fact's own", "which country first recognised kazakhstan", "turkey-first-recognition"},
		{"a year after before or after is a point of reference", "did kazakhstan join the united nations before 1995", "un-membership"},
		{"a named body is an entity: the ministry's founding is not its committee's", "in which year did the foreign ministry create its information committee", "information-committee"},
		{"who is asking does not count against the answer", "my uncle insists astana always follows the kremlin on foreign policy, does it really run its own course?", "independent-course"},
		{"nor does where the asker read it", "i read that kz got its own foreign minister under stalin, when was that", "soviet-foreign-minister"},
		{"a kazakh city is part of kazakhstan", "can a shop in shymkent sell its goods across the eurasian union without barriers", "single-market"},
		{"a choice of cities asks which city", "is the un children's fund office in almaty or astana", ""},
		{"which country needs an answer naming another", "which country lost to kazakhstan in the race for the security council seat", ""},
		{"an oil major is a company", "which american oil major was among the earliest investors in kz", "chevron-tengiz"},
		{"which company needs an answer naming one", "which turkish companies build things in kazakhstan", ""},
		{"kazakhstan answers which country when the question does not name it", "which country chaired the osce in 2010", "osce-chair-2010"},
		{"an answer naming the kind answers which countries", "which countries do kazakh leaders keep calling strategic partners", "eaeu-partners"},
		{"an answer naming other countries answers which countries", "which countries border kazakhstan, forcing it to balance", "big-neighbours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ix.Match(tt.q, 3)
			got := ""
			if r.Confident {
				got = p.Facts[r.Candidates[0].Fact].ID
			}
			if got != tt.want {
				var cands []string
				for _, c := range r.Candidates {
					cands = append(cands, p.Facts[c.Fact].ID)
				}
				t.Errorf("Match(%q) answered %q, want %q (candidates %v)", tt.q, got, tt.want, cands)
			}
		})
	}
}

func TestFastAndSlowAnalysisAgree(t *testing.T) {
	p, ix := embedded(t)
	slow := func(text string) string {
		toks := dropPersona(fold(text))
		markGoal(toks)
		toks = spell(toks)
		toks = ix.lx.variants.rewrite(toks, nil)
		toks = ix.lx.terms.rewrite(toks, ix.lx.special)
		var terms []term
		for _, tk := range toks {
			if tm, ok := tokenTerm(tk); ok {
				terms = addTerm(terms, tm)
			}
		}
		return keys(analysis{terms: terms})
	}
	for _, f := range p.Facts {
		for _, text := range append([]string{f.Question, f.Answer}, f.Alternates...) {
			if got, want := keys(analyze(ix.lx, text, nil)), slow(text); got != want {
				t.Errorf("%s: %q analyses to %q, the phrase-by-phrase path to %q", f.ID, text, got, want)
			}
		}
	}
}

func TestRepairTargets(t *testing.T) {
	_, ix := embedded(t)
	tests := []struct{ in, want string }{
		{"kazahstan", "kazakhstan"}, // a name the pack uses
		{"uzbekstan", "uzbekistan"}, // a long name
		{"nicer", ""},               // one letter from Niger, a short name the pack does not use
		{"maill", ""},               // two from Mali
	}
	for _, tt := range tests {
		if got := ix.repair(tt.in); got != tt.want {
			t.Errorf("repair(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSpeller(t *testing.T) {
	sp := newSpeller(map[string]int{"friendship": 3, "chevron": 2, "treaty": 5, "treat": 1, "disarmament": 1})
	tests := []struct{ in, want string }{
		{"frendship", "friendship"},
		{"chevorn", "chevron"},
		{"dissarmament", "disarmament"},
		{"treatyy", "treaty"},
		{"tre", ""},         // too short to repair
		{"brazil", ""},      // nothing close
		{"treatx", "treat"}, // one edit from both: distance ties go to... treat is 1 away, treaty 1 away
	}
	for _, tt := range tests {
		got := sp.correct(tt.in)
		if tt.in == "treatx" {
			if got != "treaty" && got != "treat" {
				t.Errorf("correct(%q) = %q", tt.in, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("correct(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLexiconParses(t *testing.T) {
	if _, err := parseLexicon("[entity]\nfoo: bar\n[nonsense]\nx: y\n"); err == nil {
		t.Error("an unknown section parsed")
	}
	if _, err := parseLexicon("[entity]\n: bar\n"); err == nil {
		t.Error("a line with no canonical term parsed")
	}
	lx, err := parseLexicon("[entity]\nunsc < un: security council\nbelarus @ eaeu: minsk\n")
	if err != nil {
		t.Fatal(err)
	}
	if e := lx.terms.m["security council"]; e.canon != "unsc" || len(e.parent) != 1 || e.parent[0] != "un" {
		t.Errorf("security council -> %+v", e)
	}
	if e := lx.terms.m["minsk"]; e.canon != "belarus" || len(e.groups) != 1 || e.groups[0] != "eaeu" {
		t.Errorf("minsk -> %+v", e)
	}
}

func TestBuildAnalysesLikeQuestions(t *testing.T) {
	p, ix := embedded(t)
	name := make([]string, len(ix.ids))
	for k, v := range ix.ids {
		name[v] = k
	}
	for i, f := range p.Facts {
		for j, text := range append([]string{f.Question}, f.Alternates...) {
			var got []string
			for _, v := range ix.info[i].phrasings[j].ids {
				got = append(got, name[v])
			}
			if want := keys(analyze(ix.lx, text, nil)); strings.Join(got, " ") != want {
				t.Errorf("%s: %q indexed as %q, analysed as %q", f.ID, text, strings.Join(got, " "), want)
			}
		}
	}
}

func TestMisspellings(t *testing.T) {
	fact := func(id, q, a string, alts ...string) knowledge.Fact {
		return knowledge.Fact{ID: id, Question: q, Answer: a, Alternates: alts}
	}
	facts := []knowledge.Fact{
		fact("treaty", "What does the friendship treaty say?", "It sets up friendship and cooperation.",
			"frendship treaty terms", "does the treaty cover trade", "kazakstan treaty", "what did the pact establish"),
		fact("oil", "Who pumps the oil?", "Chevron leads the consortium.", "chevorn share", "oilfield partners"),
	}
	var got []string
	for _, m := range Misspellings(facts) {
		got = append(got, fmt.Sprintf("%s/%d %q %s->%s", m.Fact, m.Alternate, m.Text, m.Word, m.Suggest))
	}
	// English words (trade, pact), the lexicon's names and aliases
	// (kazakstan) and the texts' own words pass; typos of the texts' words
	// and of the lexicon's names do not.
	want := []string{`treaty/0 "frendship treaty terms" frendship->friendship`, `oil/0 "chevorn share" chevorn->chevron`}
	if !slices.Equal(got, want) {
		t.Errorf("Misspellings = %q, want %q", got, want)
	}
}

// TestPackAlternatesSpelledRight keeps typos out of the built-in pack's
// alternates: the matcher repairs typos itself, and a misspelt alternate
// would turn the typo into a pack word that is never repaired.
func TestPackAlternatesSpelledRight(t *testing.T) {
	p, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range Misspellings(p.Facts) {
		t.Errorf("fact %s, alternate %d (%q): %q looks like a typo of %q", m.Fact, m.Alternate, m.Text, m.Word, m.Suggest)
	}
}

func TestFactEntities(t *testing.T) {
	facts := []knowledge.Fact{{
		ID:         "recognition",
		Question:   "Has Kazakhstan recognised Abkhazia?",
		Answer:     "No, it has not.",
		Alternates: []string{"abkhazia recognition", "is it recognised like kosovo"},
	}, {
		ID:         "neighbours",
		Question:   "What do the neighbours think of it?",
		Answer:     "They are wary.",
		Alternates: []string{"what does uzbekistan think", "uzbek view of kz", "is tajikistan happy too"},
	}}
	ix := New(facts)
	tests := []struct {
		fact int
		want string
	}{
		// A region implies the country it is part of.
		{0, "abkhazia georgia-country kazakhstan"},
		// Two alternates name Uzbekistan; one names Tajikistan only to
		// ask about it.
		{1, "kazakhstan uzbekistan"},
	}
	for _, tt := range tests {
		if got := strings.Join(ix.info[tt.fact].entities, " "); got != tt.want {
			t.Errorf("fact %s involves %q, want %q", facts[tt.fact].ID, got, tt.want)
		}
	}
}

func TestSlabCopiesDoNotOverlap(t *testing.T) {
	var s slab[int32]
	a := s.copyOf([]int32{1, 2})
	b := s.copyOf([]int32{3})
	_ = append(a, 9) // no spare capacity: must not write over b
	big := make([]int32, slabChunk)
	c := s.copyOf(big) // too big for a chunk: a copy of its own
	c[0] = 7
	if b[0] != 3 || big[0] != 0 || len(s.copyOf(nil)) != 0 {
		t.Errorf("slab copies overlap: a=%v b=%v big[0]=%d", a, b, big[0])
	}
}

func TestCountedWords(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"how many nuclear warheads did kazakhstan give up", "warheads"},
		{"how many bilateral agreements exist with china", "bilateral agreements"},
		{"how many treaties", "treaties"},
		{"how many dollars did the us give", ""},
		{"how many times did cica meet", ""},
		{"when did kz join the un", ""},
	}
	for _, tt := range tests {
		toks := fold(tt.in)
		var got []string
		for _, i := range countedWords(toks) {
			if i >= 0 {
				got = append(got, toks[i].text)
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("countedWords(%q) = %q, want %q", tt.in, g, tt.want)
		}
	}
}

// An entity named only in a comparison or an exception is set aside; one
// offered as an alternative ("the US or Turkey") is one of several a fact
// may name.
func TestEntityRoles(t *testing.T) {
	tests := []struct {
		in                string
		aside, alt, named string // entity keys, space-separated
	}{
		{"did turkey recognise kazakhstan before the united states", "usa", "", "turkey kazakhstan"},
		{"is the eaeu a single market similar to the eu", "eu", "", "eaeu"},
		{"which companies besides chevron work at tengiz", "chevron", "", "tengiz"},
		{"apart from russia who are kazakhstan's partners", "russia", "", "kazakhstan"},
		{"is kz closer to china than to russia", "russia", "", "kazakhstan china"},
		{"russia and belarus in the eaeu", "", "", "russia belarus eaeu"},
		{"russia before russia", "", "", "russia"},
		{"was it the united states or turkey", "", "usa turkey", ""},
		{"did kz send troops to iraq or afghanistan", "", "iraq afghanistan", "kazakhstan"},
		{"russia, china or the us: who matters most to kz", "", "russia china usa", "kazakhstan"},
		{"kz and russia or china", "", "russia china", "kazakhstan"},
		{"russia or china and the us", "", "russia china", "usa"},
		{"cnpc, sinopec etc in kazakhstan", "cnpc sinopec", "", "kazakhstan"},
		{"which firms other than chevron work at tengiz", "chevron", "", "tengiz"},
		{"countries such as russia and kazakhstan", "russia", "", "kazakhstan"},
		{"the pre-soviet kazakh khans", "ussr", "", "kazakhstan"},
		{"kazakhstan after the ussr", "ussr", "", "kazakhstan"},
		{"what does the vienna-based osce do", "austria", "", "osce"},
		{"compared to, say, france, is kz diplomacy new", "france", "", "kazakhstan"},
	}
	for _, tt := range tests {
		var aside, alt, named []string
		for _, tm := range analyze(defaultLexicon, tt.in, nil).terms {
			switch {
			case tm.ent == nil:
			case tm.aside:
				aside = append(aside, tm.key)
			case tm.alt:
				alt = append(alt, tm.key)
			default:
				named = append(named, tm.key)
			}
		}
		got := [3]string{strings.Join(aside, " "), strings.Join(alt, " "), strings.Join(named, " ")}
		if want := [3]string{tt.aside, tt.alt, tt.named}; got != want {
			t.Errorf("%q: aside, alternatives, named = %q, want %q", tt.in, got, want)
		}
	}
}

// The learner is trained on the facts' phrasings: on them it must prefer
// each phrasing's own fact among that fact's candidates, or it learned
// nothing (or the wrong sign).
func TestLearnerPrefersOwnFact(t *testing.T) {
	p, ix := embedded(t)
	if !ix.hasLearner() {
		t.Fatal("the embedded pack was not learned")
	}
	var right, all int
	for f, fact := range p.Facts {
		for _, text := range fact.Alternates {
			q := ix.prepare(analyze(ix.lx, text, ix.repair))
			fts := ix.candidates(q, analysis{})
			best, bestP := int32(-1), float32(-1)
			var sum float32
			for _, ft := range fts {
				sum += ft.learned
				if ft.learned > bestP {
					best, bestP = ft.fact, ft.learned
				}
			}
			if len(fts) > 0 && (sum < 0.999 || sum > 1.001) {
				t.Fatalf("%q: probabilities sum to %v", text, sum)
			}
			all++
			if best == int32(f) {
				right++
			}
		}
	}
	if share := float64(right) / float64(all); share < 0.95 {
		t.Errorf("the learner prefers the own fact on %d of %d alternates (%.3f), want at least 0.95", right, all, share)
	}
}

func TestLearnerSkipsLargePacks(t *testing.T) {
	facts := make([]knowledge.Fact, learnMaxFacts+1)
	for i := range facts {
		facts[i] = knowledge.Fact{
			ID:       fmt.Sprintf("f%d", i),
			Question: fmt.Sprintf("what is widget %d made of", i),
			Answer:   fmt.Sprintf("Widget %d is made of part%d.", i, i),
		}
	}
	ix := New(facts)
	if ix.hasLearner() {
		t.Fatalf("a pack of %d facts was learned; the limit is %d", len(facts), learnMaxFacts)
	}
	r := ix.Match("what is widget 7 made of", 3)
	if !r.Confident || facts[r.Candidates[0].Fact].ID != "f7" {
		t.Errorf("without the learner, Match = %+v, want f7", r)
	}
	small := New(facts[:10])
	if !small.hasLearner() {
		t.Error("a pack of 10 facts was not learned")
	}
}

// Facts are analysed in blocks, one per CPU; term ids then depend on
// scheduling, and so does the order of some float sums (the last bits of
// a score), but answers must not.
func TestAnswersIndependentOfBlocks(t *testing.T) {
	p, _ := knowledge.Embedded()
	prev := runtime.GOMAXPROCS(1)
	one := New(p.Facts)
	runtime.GOMAXPROCS(max(2, prev))
	two := New(p.Facts)
	runtime.GOMAXPROCS(prev)
	qs := []string{"when did brazil join the un", "chevorn stake in tengiz", "how old is the eiffel tower"}
	for _, f := range p.Facts {
		qs = append(qs, f.Question, f.Answer)
	}
	for _, q := range qs {
		a, b := one.Match(q, 3), two.Match(q, 3)
		same := a.Confident == b.Confident && len(a.Candidates) == len(b.Candidates)
		for i := 0; same && i < len(a.Candidates); i++ {
			x, y := a.Candidates[i], b.Candidates[i]
			same = x.Fact == y.Fact && math.Abs(x.Confidence-y.Confidence) < 1e-6
		}
		if !same {
			t.Errorf("Match(%q): one block %+v, two blocks %+v", q, a, b)
		}
	}
}

// The learner finds its weights' slots in a dense table or, for packs with
// many facts and terms, a map; both must learn the same weights.
func TestLearnerSlotTablesAgree(t *testing.T) {
	p, dense := embedded(t)
	saved := learnDenseMax
	learnDenseMax = 0
	sparse := New(p.Facts)
	learnDenseMax = saved
	if !dense.hasLearner() || !sparse.hasLearner() {
		t.Fatal("the embedded pack was not learned")
	}
	weights := func(ix *Index) map[string]float32 {
		m := map[string]float32{}
		for key, id := range ix.ids {
			for _, lp := range ix.learnedPostings[id] {
				m[fmt.Sprintf("%s/%d", key, lp.fact)] = lp.w
			}
		}
		return m
	}
	d, s := weights(dense), weights(sparse)
	if len(d) != len(s) {
		t.Fatalf("dense table: %d weights, map: %d", len(d), len(s))
	}
	for k, w := range d {
		if math.Abs(float64(w-s[k])) > 1e-5 {
			t.Errorf("weight %s: dense %v, map %v", k, w, s[k])
		}
	}
}

func TestSortKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 7, 1000} {
		// Few distinct hashes, so that equal ones occur; half of them share
		// their low four bytes, so that the high bytes decide.
		pool := make([]uint64, 50)
		for i := range pool {
			pool[i] = rng.Uint64()
			if i%2 == 1 {
				pool[i] = pool[i]&^0xffff_ffff | 0x1234_5678
			}
		}
		keys := make([]delKey, n)
		for i := range keys {
			keys[i] = delKey{h: pool[rng.IntN(len(pool))], w: int32(i)}
		}
		want := slices.Clone(keys)
		slices.SortStableFunc(want, func(a, b delKey) int { return cmp.Compare(a.h, b.h) })
		sortKeys(keys)
		if !slices.Equal(keys, want) {
			t.Errorf("n=%d: sortKeys differs from a stable sort by hash", n)
		}
	}
}

// BenchmarkSortKeys compares the speller's radix sort with a comparison
// sort on the built-in pack's deletion keys.
func BenchmarkSortKeys(b *testing.B) {
	_, ix := embedded(b)
	keys := slices.Clone(ix.speller.keys)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	b.Logf("%d keys", len(keys))
	work := make([]delKey, len(keys))
	b.Run("radix", func(b *testing.B) {
		for range b.N {
			copy(work, keys)
			sortKeys(work)
		}
	})
	b.Run("slices.SortFunc", func(b *testing.B) {
		for range b.N {
			copy(work, keys)
			slices.SortFunc(work, func(a, b delKey) int { return cmp.Compare(a.h, b.h) })
		}
	})
}

func TestLead(t *testing.T) {
	tests := []struct{ in, want string }{
		{"do the other stans like kz trying to lead", "centralasia"},
		{"why does nur-sultan think it should lead the region", "kazakhstan"},
		{"compared to russia, does turkey matter to kazakhstan", "turkey"},
		{"what is multi-vector policy", ""},
	}
	for _, tt := range tests {
		if got := leadOf(analyze(defaultLexicon, tt.in, nil).terms); got != tt.want {
			t.Errorf("leadOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Among candidates, the one whose phrasings name first what the
	// question does most often keeps its score; another loses part of its
	// own in proportion; a question naming no entity changes nothing.
	p := defaultParams
	p.leadWeight = 0.2
	f := features{matched: 1, matchedRaw: 1, known: 1, central: 0.5, focus: 0.5, bestF: 0.5}
	plain := p.score(f)
	if plain <= 0 {
		t.Fatalf("score of the test features = %v", plain)
	}
	with := func(leads ...float32) []float64 {
		var fts []features
		for _, l := range leads {
			g := f
			g.lead = l
			fts = append(fts, g)
		}
		scores, words := make([]float64, len(fts)), make([]float64, len(fts))
		p.scores(fts, scores, words)
		return scores
	}
	for _, tt := range []struct {
		leads []float32
		want  []float64
	}{
		{[]float32{0.8, 0.2}, []float64{plain, plain * (1 - 0.2*(1-0.2/0.8))}},
		{[]float32{0, 0.5}, []float64{plain * 0.8, plain}},
		{[]float32{0, 0}, []float64{plain, plain}},
		{[]float32{-1, -1}, []float64{plain, plain}},
	} {
		got := with(tt.leads...)
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-9 {
				t.Errorf("scores with leads %v = %v, want %v", tt.leads, got, tt.want)
				break
			}
		}
	}
}

func TestDropPersona(t *testing.T) {
	tests := []struct{ in, want string }{
		{"retired diplomat here how free is astana", "how free is astana"},
		{"student here, for my presentation what is the osce", "what is the osce"},
		{"my russian coworker insists kz obeys moscow", "kz obeys moscow"},
		{"my teacher told me that kz joined the un in 1992", "kz joined the un in 1992"},
		{"my prof keeps saying kz is multi-vector", "kz is multi vector"},
		{"i read that turkey recognised kz first", "turkey recognised kz first"},
		{"is kz here in the eaeu", "is kz here in the eaeu"},
		{"what does my country get", "what does my country get"},
		{"crimea: where does astana stand", "crimea where does astana stand"},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range dropPersona(fold(tt.in)) {
			got = append(got, tk.text)
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("dropPersona(%q) = %q, want %q", tt.in, g, tt.want)
		}
	}
}

// TestQuestionMarkers tables the readers of what a question asks for
// beyond its intent.
func TestQuestionMarkers(t *testing.T) {
	asks := map[string]func([]token) bool{"asksName": asksName, "asksCity": asksCity, "asksLater": func(t []token) bool { return asksLater(t, map[string]bool{"kazakhstan": true}) },
		"asksKind": func(t []token) bool { return asksKind(defaultLexicon, t).ok }, "checksClaim": checksClaim,
		"asksEnd": asksEnd, "asksHead": asksHead}
	tests := []struct {
		fn, in string
		want   bool
	}{
		{"asksName", "what is the eaeu's governing body called", true},
		{"asksName", "the 1992 treaty with russia, what's it called and when was it signed", true},
		{"asksName", "whats the full name of the treaty", true},
		{"asksName", "name of the un programme for central asian economies", true},
		{"asksName", "the so called multi-vector policy", false},
		{"asksName", "which organisations are called eurasian", false},
		{"asksName", "in the name of friendship", false},
		{"asksCity", "in which city was the treaty signed", true},
		{"asksCity", "what town hosts the free trade zone", true},
		{"asksCity", "which capitals are in the eaeu", false},
		{"asksCity", "where is the secretariat", false},
		{"asksCity", "is the office in almaty or astana", true},
		{"asksCity", "russia or china", false},
		{"asksLater", "where was the next summit held", true},
		{"asksLater", "who chaired it the following year", true},
		{"asksLater", "russia is the neighbour next door", false},
		{"asksLater", "the country next to china", false},
		{"asksLater", "who joined afterwards", false},
		{"asksLater", "who had the chair the year after kazakhstan", true},
		{"asksLater", "what did it join the year after independence", false},
		{"asksLater", "who succeeded kazakhstan as chair", true},
		{"asksEnd", "when did its term on the council end", true},
		{"asksEnd", "was the committee abolished", true},
		{"asksEnd", "did china end up with 43 percent", false},
		{"asksEnd", "what ends does it pursue", false},
		{"asksEnd", "at the end of the cold war", false},
		{"asksHead", "who heads the committee", true},
		{"asksHead", "who is heading the delegation", true},
		{"asksHead", "who leads central asia", false},
		{"checksClaim", "kz joined the un in 1993, right", true},
		{"checksClaim", "turkey recognised kz first, no", true},
		{"checksClaim", "kz has had its own diplomacy for a few decades, yes", true},
		{"checksClaim", "it joined in 1993, am i misremembering", true},
		{"checksClaim", "it chaired the osce in 2011, isn't it", true},
		{"checksClaim", "kz got the seat in 2016, is that off by a year", true},
		{"checksClaim", "when did kz join the un", false},
		{"checksClaim", "i think kz hosted the summit in 2019", true},
		{"checksClaim", "pretty sure the kremlin came up with it", true},
		{"checksClaim", "it chaired the osce in 2011 iirc", true},
		{"checksClaim", "which side is wrong", false},
		{"asksKind", "which country did kazakhstan beat", true},
		{"asksKind", "what other companies are at tengiz", true},
		{"asksKind", "what kind of organisation is the csto", false},
		{"asksKind", "which american oil major came first", true},
		{"asksKind", "which union's member countries are partners", false},
		{"asksKind", "which capitals are in the eaeu", false},
	}
	for _, tt := range tests {
		if got := asks[tt.fn](fold(tt.in)); got != tt.want {
			t.Errorf("%s(%q) = %v, want %v", tt.fn, tt.in, got, tt.want)
		}
	}
}

func TestConfident(t *testing.T) {
	p := defaultParams
	tests := []struct {
		name                           string
		best, second, central, unknown float64
		blocked                        bool
		terms                          int
		want                           bool
	}{
		{"a high score with a margin", 0.6, 0.4, 0.3, 0, false, 3, true},
		{"a near tie", 0.6, 0.595, 0.3, 0, false, 3, false},
		{"a low score far ahead", 0.29, 0.1, 0.3, 0, false, 3, true},
		{"a lower score far ahead, short question", 0.22, 0.1, 0.3, 0, false, 3, false},
		{"a lower score far ahead, long question", 0.22, 0.1, 0.3, 0, false, 9, true},
		{"too low even for a long question", 0.15, 0.05, 0.3, 0, false, 9, false},
		{"blocked", 0.9, 0.1, 0.3, 0, true, 3, false},
		{"too little of the fact's core", 0.9, 0.1, 0.01, 0, false, 3, false},
		{"mostly unknown words", 0.9, 0.1, 0.3, 0.9, false, 3, false},
	}
	for _, tt := range tests {
		if got := p.confident(tt.best, tt.second, tt.central, tt.unknown, tt.blocked, tt.terms); got != tt.want {
			t.Errorf("%s: confident = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestNamesReadOnceConcurrently asks name questions from several
// goroutines on a fresh index: the answers' names are read lazily and kept,
// and every goroutine must see the same decision (go test -race checks the
// keeping).
func TestNamesReadOnceConcurrently(t *testing.T) {
	p, ix := embedded(t)
	qs := map[string]string{
		"what is the governing commission of the eurasian union called":                "",
		"the kz-russia treaty of 1992, what is it called":                              "russia-treaty",
		"the ministry unit that promotes kazakhstan's image abroad, what is it called": "information-committee",
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q, want := range qs {
				r := ix.Match(q, 3)
				got := ""
				if r.Confident {
					got = p.Facts[r.Candidates[0].Fact].ID
				}
				if got != want {
					t.Errorf("Match(%q) answered %q, want %q", q, got, want)
				}
			}
		}()
	}
	wg.Wait()
}
