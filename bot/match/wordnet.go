package match

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sort"
	"strings"
	"sync"
)

// wordnet.txt.gz relates English words to each other (derivations such as
// diplomatic/diplomacy, then synonyms of their most frequent senses), by
// Snowball stem. It is derived from Princeton WordNet 3.0 by
// internal/wordnetgen; see that command for how to regenerate it and for the
// WordNet licence. The matcher consults it only for question words the pack
// does not know, to find a related word the pack does know.
//
//go:embed wordnet.txt.gz
var wordnetGz []byte

// relatedWords is the table, loaded on first use: its text and the start
// of each line, in the (sorted) order of the lines.
var relatedWords struct {
	once  sync.Once
	text  string
	lines []int32
}

func loadRelated() {
	zr, err := gzip.NewReader(bytes.NewReader(wordnetGz))
	if err != nil {
		panic("wordnet table: " + err.Error())
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic("wordnet table: " + err.Error())
	}
	text := string(b)
	var lines []int32
	for i := 0; i < len(text); {
		end := strings.IndexByte(text[i:], '\n')
		if end < 0 {
			end = len(text) - i
		}
		if text[i] != '#' {
			lines = append(lines, int32(i))
		}
		i += end + 1
	}
	relatedWords.text, relatedWords.lines = text, lines
}

// related returns the stems related to stem s, best first, as one
// space-separated string, and whether s is an English word at all.
func related(s string) (string, bool) {
	relatedWords.once.Do(loadRelated)
	text, lines := relatedWords.text, relatedWords.lines
	line := func(i int) string {
		start := int(lines[i])
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			return text[start:]
		}
		return text[start : start+end]
	}
	key := func(l string) string {
		k, _, _ := strings.Cut(l, " ")
		return k
	}
	i := sort.Search(len(lines), func(i int) bool { return key(line(i)) >= s })
	if i == len(lines) {
		return "", false
	}
	k, rest, _ := strings.Cut(line(i), " ")
	if k != s {
		return "", false
	}
	return rest, true
}
