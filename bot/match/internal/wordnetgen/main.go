// Command wordnetgen derives bot/match's related-words table from Princeton
// WordNet 3.0 (Debian package wordnet-base). It is run by hand, not at build
// time:
//
//	apt-get install wordnet-base
//	go run ./bot/match/internal/wordnetgen > bot/match/wordnet.txt
//	gzip -9n bot/match/wordnet.txt
//
// Every line is a Snowball stem of an English word (every single-word
// lemma is listed, so the matcher can tell an English word from a typo),
// then the stems of related words, most useful first:
// derivationally related forms and pertainyms (diplomatic - diplomacy,
// geographic - geography), then the other lemmas of the lemma's two most
// frequent senses (complicated - complex). The matcher uses the table only
// for question words its pack does not know, to find one it does.
//
// WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
// See the license in the generated file's header.
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kljensen/snowball/english"
)

const dir = "/usr/share/wordnet"

// senses is how many of a lemma's most frequent senses lend it synonyms.
const senses = 2

type synset struct {
	words []string // its lemmas, in order (pointers name them by position)
}

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	related := map[string][]string{} // lemma -> related, in order of preference
	add := func(a, b string) {
		if !usable(a) {
			return
		}
		if _, ok := related[a]; !ok {
			related[a] = nil // every lemma is listed: the matcher learns it is English
		}
		if a == b || !usable(b) || slices.Contains(related[a], b) {
			return
		}
		related[a] = append(related[a], b)
	}
	synsets := map[string]*synset{} // "pos offset" -> synset
	var ptrs []pointer
	for _, pos := range []string{"noun", "verb", "adj", "adv"} {
		ptrs = append(ptrs, readData(pos, synsets)...)
	}
	// Pass 1: derivations and pertainyms, for every sense.
	for _, p := range ptrs {
		t := synsets[p.target]
		if t != nil && p.tw >= 1 && p.tw <= len(t.words) && p.src >= 1 && p.src <= len(p.s.words) {
			add(p.s.words[p.src-1], t.words[p.tw-1])
			add(t.words[p.tw-1], p.s.words[p.src-1])
		}
	}
	// Pass 2: synonyms from each lemma's most frequent senses.
	for _, pos := range []string{"noun", "verb", "adj", "adv"} {
		readIndex(pos, func(lemma string, offsets []string) {
			for _, off := range offsets[:min(senses, len(offsets))] {
				if s := synsets[pos+" "+off]; s != nil {
					for _, w := range s.words {
						add(lemma, w)
					}
				}
			}
		})
	}
	// Key and relatives by Snowball stem, as the matcher compares words.
	stemmed := map[string][]string{}
	lemmaKeys := make([]string, 0, len(related))
	for l := range related {
		lemmaKeys = append(lemmaKeys, l)
	}
	slices.Sort(lemmaKeys)
	for _, l := range lemmaKeys {
		k := english.Stem(l, true)
		if _, ok := stemmed[k]; !ok {
			stemmed[k] = nil
		}
		for _, r := range related[l] {
			if rs := english.Stem(r, true); rs != k && !slices.Contains(stemmed[k], rs) {
				stemmed[k] = append(stemmed[k], rs)
			}
		}
	}
	lemmas := make([]string, 0, len(stemmed))
	for k := range stemmed {
		lemmas = append(lemmas, k)
	}
	slices.Sort(lemmas)
	fmt.Fprintln(out, "# Related English words, derived from Princeton WordNet 3.0 by")
	fmt.Fprintln(out, "# bot/match/internal/wordnetgen: a stem, then the stems of related words, best first.")
	fmt.Fprintln(out, "# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.")
	fmt.Fprintln(out, "# Permission to use, copy, modify and distribute this software and database")
	fmt.Fprintln(out, "# and its documentation for any purpose and without fee or royalty is hereby")
	fmt.Fprintln(out, "# granted, provided that the copyright notice and these statements appear on")
	fmt.Fprintln(out, "# all copies. WordNet is provided \"as is\" without warranties of any kind.")
	for _, l := range lemmas {
		fmt.Fprintln(out, strings.TrimSpace(l+" "+strings.Join(stemmed[l], " ")))
	}
}

// usable keeps single lower-case words of letters.
func usable(w string) bool {
	if len(w) < 3 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func open(name string) *bufio.Scanner {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return sc
}

// lemmaOf strips the adjective marker ("(a)") and lower-cases.
func lemmaOf(w string) string {
	if i := strings.IndexByte(w, '('); i > 0 {
		w = w[:i]
	}
	return strings.ToLower(w)
}

// pointer is a lexical pointer from word src of synset s to word tw of
// the synset target ("pos offset").
type pointer struct {
	s      *synset
	src    int
	target string
	tw     int
}

// readData reads data.pos into synsets (keyed "pos offset") and returns
// its derivation and pertainym pointers, to resolve once every file is
// read.
func readData(pos string, synsets map[string]*synset) []pointer {
	sc := open("data." + pos)
	var ptrs []pointer
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue
		}
		f := strings.Fields(strings.SplitN(line, " | ", 2)[0])
		wcnt, _ := strconv.ParseInt(f[3], 16, 32)
		s := &synset{}
		i := 4
		for range wcnt {
			s.words = append(s.words, lemmaOf(f[i]))
			i += 2
		}
		pcnt, _ := strconv.Atoi(f[i])
		i++
		for range pcnt {
			sym, off, tpos, st := f[i], f[i+1], f[i+2], f[i+3]
			i += 4
			if (sym == "+" || sym == "\\") && st != "0000" {
				src, _ := strconv.ParseInt(st[:2], 16, 32)
				tw, _ := strconv.ParseInt(st[2:], 16, 32)
				ptrs = append(ptrs, pointer{s, int(src), posName(tpos) + " " + off, int(tw)})
			}
		}
		synsets[pos+" "+f[0]] = s
	}
	return ptrs
}

func posName(p string) string {
	switch p {
	case "n":
		return "noun"
	case "v":
		return "verb"
	case "a", "s":
		return "adj"
	}
	return "adv"
}

func readIndex(pos string, fn func(lemma string, offsets []string)) {
	sc := open("index." + pos)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue
		}
		f := strings.Fields(line)
		scnt, _ := strconv.Atoi(f[2])
		fn(f[0], f[len(f)-scnt:])
	}
}
