package knowledge

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Limits a valid pack keeps to.
const (
	// MinAlternates is the fewest alternates a fact may have: the matcher
	// needs several ways of asking to recognise a question.
	MinAlternates = 4
	// MaxAnswer is the longest answer in characters (runes); longer than
	// that is longer than a chat message should be.
	MaxAnswer = 600
	// MaxQuestion is the longest canonical question in characters (runes).
	MaxQuestion = 200
	// MaxID is the longest fact or topic id in bytes: ids go into Telegram
	// callback data, which holds 64 bytes.
	MaxID = 48
)

// PackFile is the name of the pack header in a pack directory; every other
// *.yaml file of the directory is a facts file.
const PackFile = "pack.yaml"

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	datePattern = regexp.MustCompile(`^[0-9]{4}(-(0[1-9]|1[0-2]))?$`)
	// yamlLine splits the "yaml: line N: problem" messages of the parser.
	yamlLine = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)
)

// key is one field a YAML mapping may hold.
type key struct {
	name     string
	required bool // present and not empty
}

var (
	packKeys = []key{{"name", true}, {"title", true}, {"description", false},
		{"origin", false}, {"sections", true}, {"topics", true}, {"featured", false}}
	topicKeys = []key{{"id", true}, {"title", true}, {"description", true}}
	fileKeys  = []key{{"facts", false}}
	factKeys  = []key{{"id", true}, {"topic", true}, {"question", true},
		{"alternates", true}, {"answer", true}, {"details", false},
		{"source", true}, {"date", false}, {"tags", false}, {"related", false}}
)

// Load reads and validates the pack whose pack.yaml and facts files are at
// the root of fsys. Facts files are read in name order; subdirectories are
// ignored.
//
// If the pack is invalid, the error is an Errors holding every problem found,
// each naming file, line and field, in file and line order. (While a facts
// file has a YAML syntax error, related ids are not checked: the facts they
// name may be in that file.) Other errors come from reading fsys.
func Load(fsys fs.FS) (*Pack, error) {
	data, err := fs.ReadFile(fsys, PackFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("not a knowledge pack: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", PackFile, err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read pack directory: %w", err)
	}
	l := &loader{rank: map[string]int{PackFile: 0}, topics: map[string]bool{}, first: map[string]place{}}
	names, files := []string{PackFile}, [][]byte{data}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == PackFile || !strings.HasSuffix(name, ".yaml") {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		names, files = append(names, name), append(files, data)
	}
	docs := parseAll(files)
	pack := l.header(docs[0])
	for i, name := range names[1:] {
		l.rank[name] = len(l.rank)
		l.factsFile(name, docs[i+1])
	}
	if len(l.rank) == 1 {
		l.add(PackFile, 0, "", "the pack has no facts: add a *.yaml facts file next to "+PackFile)
	}
	l.checkRelated()
	if len(l.errs) > 0 {
		slices.SortStableFunc(l.errs, func(a, b *Error) int {
			return cmp.Or(cmp.Compare(l.rank[a.File], l.rank[b.File]), cmp.Compare(a.Line, b.Line))
		})
		return nil, l.errs
	}
	return NewPack(*pack, l.facts), nil
}

// LoadDir loads the pack in directory dir. Errors name files by their path
// under dir, so the operator sees the path they passed.
func LoadDir(dir string) (*Pack, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load pack: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("load pack: %s is not a directory", dir)
	}
	p, err := Load(os.DirFS(dir))
	if err != nil {
		return nil, under(dir, err)
	}
	return p, nil
}

// under prefixes the file of every problem in err with dir, and wraps any
// other error with it.
func under(dir string, err error) error {
	var errs Errors
	if !errors.As(err, &errs) {
		return fmt.Errorf("load pack %s: %w", dir, err)
	}
	out := make(Errors, len(errs))
	for i, e := range errs {
		c := *e
		c.File = filepath.Join(dir, e.File)
		out[i] = &c
	}
	return out
}

// place is where a value sits in a pack.
type place struct {
	file string
	line int
}

func (p place) String() string { return p.file + ":" + strconv.Itoa(p.line) }

// scalar is one text value with where it sits.
type scalar struct {
	text  string
	line  int
	field string
}

// ref is one entry of a fact's related list, checked once every id is known.
type ref struct {
	scalar
	file string
}

// loader collects a pack and every problem in it.
type loader struct {
	errs     Errors
	rank     map[string]int // file order, to sort errors
	topics   map[string]bool
	sections []string
	facts    []Fact
	first    map[string]place // fact id -> where it is defined
	refs     []ref
	broken   bool // a facts file could not be parsed, so ids may be unknown
}

func (l *loader) add(file string, line int, field, format string, args ...any) {
	l.errs = append(l.errs, &Error{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// document is a parsed YAML file: the root node of its single document (nil
// for an empty file), or what is wrong with it. Parsing needs no loader, so
// files are parsed in parallel and checked in order.
type document struct {
	root   *yaml.Node
	err    error // a syntax error
	second int   // the line of a second document, if there is one
}

// parseDocument parses one YAML file.
func parseDocument(data []byte) document {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err == io.EOF {
		return document{}
	} else if err != nil {
		return document{err: err}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return document{err: err}
		}
		return document{second: max(extra.Line, 1)}
	}
	if len(doc.Content) == 0 {
		return document{}
	}
	root := resolve(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return document{}
	}
	return document{root: root}
}

// parseAll parses the files in data, each on its own goroutine: YAML
// parsing is most of a pack's load.
func parseAll(data [][]byte) []document {
	docs := make([]document, len(data))
	var wg sync.WaitGroup
	for i := range data {
		wg.Go(func() { docs[i] = parseDocument(data[i]) })
	}
	wg.Wait()
	return docs
}

// parse returns d's root node, nil for an empty file, and false after
// recording why d has none.
func (l *loader) parse(file string, d document) (*yaml.Node, bool) {
	switch {
	case d.err != nil:
		l.syntax(file, d.err)
		return nil, false
	case d.second > 0:
		l.add(file, d.second, "", "holds a second YAML document; a file holds one")
		return nil, false
	}
	return d.root, true
}

// syntax records a YAML syntax error, with its line when the parser gives
// one.
func (l *loader) syntax(file string, err error) {
	line, msg := 0, strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if strings.HasPrefix(msg, "mapping values are not allowed") {
		msg += ` (put text holding ": " in quotes or use >-)`
	}
	l.add(file, line, "", "invalid YAML: %s", msg)
}

// fields checks that n is a mapping holding only the given keys, none
// twice, and every required one present and not empty; then it calls set
// for each value in order. It reports whether n is a mapping.
func (l *loader) fields(file string, n *yaml.Node, at string, keys []key, set func(name string, v *yaml.Node, field string)) bool {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		l.add(file, n.Line, at, "must be a mapping, not %s", kind(n))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		field := join(at, k.Value)
		j := slices.IndexFunc(keys, func(x key) bool { return x.name == k.Value })
		switch {
		case j < 0:
			l.add(file, k.Line, field, "unknown field (want one of %s)", keyNames(keys))
		case seen[k.Value]:
			l.add(file, k.Line, field, "appears twice")
		case keys[j].required && empty(v):
			seen[k.Value] = true
			l.add(file, v.Line, field, "is empty")
		default:
			seen[k.Value] = true
			set(k.Value, v, field)
		}
	}
	for _, k := range keys {
		if k.required && !seen[k.name] {
			l.add(file, n.Line, join(at, k.name), "is missing")
		}
	}
	return true
}

// text returns the trimmed text of scalar n, or false after recording that n
// is not a scalar. A null is the empty string.
func (l *loader) text(file string, n *yaml.Node, field string) (string, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		l.add(file, n.Line, field, "must be text, not %s", kind(n))
		return "", false
	}
	if n.ShortTag() == "!!null" {
		return "", true
	}
	return strings.TrimSpace(n.Value), true
}

// list returns the non-empty texts of list n, recording any other item,
// or false after recording that n is not a list. A null is the empty list.
func (l *loader) list(file string, n *yaml.Node, field string) ([]scalar, bool) {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil, true
	}
	if n.Kind != yaml.SequenceNode {
		l.add(file, n.Line, field, "must be a list, not %s", kind(n))
		return nil, false
	}
	items := make([]scalar, 0, len(n.Content))
	for i, item := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		s, ok := l.text(file, item, f)
		if ok && s == "" {
			l.add(file, item.Line, f, "is empty")
		}
		if s != "" {
			items = append(items, scalar{s, item.Line, f})
		}
	}
	return items, true
}

// unique reports items whose text, compared case-insensitively and with
// spaces collapsed, repeats an earlier one, and returns the texts.
func (l *loader) unique(file string, items []scalar) []string {
	seen := map[string]string{}
	texts := make([]string, 0, len(items))
	for _, it := range items {
		norm := strings.Join(strings.Fields(strings.ToLower(it.text)), " ")
		if first, ok := seen[norm]; ok {
			l.add(file, it.line, it.field, "repeats %s", first)
			continue
		}
		seen[norm] = it.field
		texts = append(texts, it.text)
	}
	return texts
}

// id returns the text of n after checking it is a well-formed id.
func (l *loader) id(file string, n *yaml.Node, field string) string {
	s, _ := l.text(file, n, field)
	switch {
	case s == "":
	case !idPattern.MatchString(s):
		l.add(file, n.Line, field, "%q is not kebab-case (lowercase letters and digits joined by single hyphens)", s)
	case len(s) > MaxID:
		l.add(file, n.Line, field, "is %d bytes, longer than %d (ids go into 64-byte Telegram callback data)", len(s), MaxID)
	}
	return s
}

// header decodes pack.yaml, remembering its topics and sections for the
// checks of the facts.
func (l *loader) header(doc document) *Pack {
	p := &Pack{}
	root, ok := l.parse(PackFile, doc)
	if !ok {
		return p
	}
	if root == nil {
		l.add(PackFile, 0, "", "is empty")
		return p
	}
	l.fields(PackFile, root, "", packKeys, func(name string, v *yaml.Node, field string) {
		switch name {
		case "name":
			p.Name, _ = l.text(PackFile, v, field)
		case "title":
			p.Title, _ = l.text(PackFile, v, field)
		case "description":
			p.Description, _ = l.text(PackFile, v, field)
		case "origin":
			p.Origin, _ = l.text(PackFile, v, field)
		case "sections":
			items, _ := l.list(PackFile, v, field)
			p.Sections = l.unique(PackFile, items)
			l.sections = p.Sections
		case "topics":
			p.Topics = l.topicList(v, field)
		case "featured":
			items, _ := l.list(PackFile, v, field)
			p.Featured = l.unique(PackFile, items)
			for _, it := range items {
				l.refs = append(l.refs, ref{it, PackFile})
			}
		}
	})
	return p
}

// topicList decodes the topics of pack.yaml, remembering their ids.
func (l *loader) topicList(n *yaml.Node, field string) []Topic {
	if n.Kind != yaml.SequenceNode {
		l.add(PackFile, n.Line, field, "must be a list, not %s", kind(n))
		return nil
	}
	var topics []Topic
	at := map[string]place{}
	for i, item := range n.Content {
		var t Topic
		ok := l.fields(PackFile, item, fmt.Sprintf("%s[%d]", field, i), topicKeys, func(name string, v *yaml.Node, field string) {
			switch name {
			case "id":
				t.ID = l.id(PackFile, v, field)
				if first, dup := at[t.ID]; dup {
					l.add(PackFile, v.Line, field, "duplicate topic id %q; first defined at %s", t.ID, first)
				} else if t.ID != "" {
					at[t.ID] = place{PackFile, v.Line}
				}
			case "title":
				t.Title, _ = l.text(PackFile, v, field)
			case "description":
				t.Description, _ = l.text(PackFile, v, field)
			}
		})
		if ok && t.ID != "" && !l.topics[t.ID] {
			l.topics[t.ID] = true
			topics = append(topics, t)
		}
	}
	return topics
}

// factsFile decodes one facts file.
func (l *loader) factsFile(file string, doc document) {
	root, ok := l.parse(file, doc)
	if !ok {
		l.broken = true
		return
	}
	if root == nil {
		l.add(file, 0, "", "has no facts")
		return
	}
	found := false
	ok = l.fields(file, root, "", fileKeys, func(_ string, v *yaml.Node, field string) {
		found = true
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" || v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
			l.add(file, v.Line, field, "has no facts")
			return
		}
		if v.Kind != yaml.SequenceNode {
			l.add(file, v.Line, field, "must be a list, not %s", kind(v))
			return
		}
		for i, n := range v.Content {
			l.fact(file, n, fmt.Sprintf("%s[%d]", field, i))
		}
	})
	if ok && !found {
		l.add(file, root.Line, "facts", "is missing")
	}
}

// fact decodes and checks one fact; its related ids are checked later.
func (l *loader) fact(file string, n *yaml.Node, at string) {
	var f Fact
	var related []scalar
	ok := l.fields(file, n, at, factKeys, func(name string, v *yaml.Node, field string) {
		switch name {
		case "id":
			f.ID = l.id(file, v, field)
			if at, dup := l.first[f.ID]; dup {
				l.add(file, v.Line, field, "duplicate id %q; first defined at %s", f.ID, at)
			} else if f.ID != "" {
				l.first[f.ID] = place{file, v.Line}
			}
		case "topic":
			f.Topic, _ = l.text(file, v, field)
			if len(l.topics) > 0 && f.Topic != "" && !l.topics[f.Topic] {
				l.add(file, v.Line, field, "unknown topic %q (topics are listed in %s)", f.Topic, PackFile)
			}
		case "question":
			f.Question, _ = l.text(file, v, field)
			if n := utf8.RuneCountInString(f.Question); n > MaxQuestion {
				l.add(file, v.Line, field, "is %d characters, longer than %d", n, MaxQuestion)
			}
		case "alternates":
			items, ok := l.list(file, v, field)
			f.Alternates = l.unique(file, items)
			if n := len(f.Alternates); ok && n < MinAlternates {
				l.add(file, v.Line, field, "has %d, want at least %d", n, MinAlternates)
			}
		case "answer":
			f.Answer, _ = l.text(file, v, field)
			if n := utf8.RuneCountInString(f.Answer); n > MaxAnswer {
				l.add(file, v.Line, field, "is %d characters, longer than a chat message should be (at most %d)", n, MaxAnswer)
			}
		case "details":
			f.Details, _ = l.text(file, v, field)
		case "source":
			f.Source, _ = l.text(file, v, field)
			l.checkSource(file, v.Line, field, f.Source)
		case "date":
			f.Date, _ = l.text(file, v, field)
			if f.Date != "" && !datePattern.MatchString(f.Date) {
				l.add(file, v.Line, field, "malformed date %q: want YYYY or YYYY-MM", f.Date)
			}
		case "tags":
			items, _ := l.list(file, v, field)
			for _, s := range items {
				f.Tags = append(f.Tags, s.text)
			}
		case "related":
			related, _ = l.list(file, v, field)
		}
	})
	if !ok {
		return
	}
	for _, r := range related {
		if r.text == f.ID {
			l.add(file, r.line, r.field, "points at the fact itself")
			continue
		}
		l.refs = append(l.refs, ref{r, file})
		f.Related = append(f.Related, r.text)
	}
	l.facts = append(l.facts, f)
}

func (l *loader) checkSource(file string, line int, field, source string) {
	if len(l.sections) == 0 || source == "" || slices.Contains(l.sections, source) {
		return
	}
	for _, s := range l.sections {
		if strings.EqualFold(s, source) {
			l.add(file, line, field, "%q is not one of the sections in %s; did you mean %q?", source, PackFile, s)
			return
		}
	}
	l.add(file, line, field, "%q is not one of the sections in %s", source, PackFile)
}

// checkRelated reports related ids that name no fact of the pack, unless a
// facts file could not be parsed: its facts may be the ones named.
func (l *loader) checkRelated() {
	if l.broken {
		return
	}
	for _, r := range l.refs {
		if _, ok := l.first[r.text]; !ok {
			l.add(r.file, r.line, r.field, "unknown fact id %q", r.text)
		}
	}
}

// resolve follows YAML aliases to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// empty reports whether n is a null, blank text, or an empty list or mapping.
func empty(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.ShortTag() == "!!null" || strings.TrimSpace(n.Value) == ""
	case yaml.SequenceNode, yaml.MappingNode:
		return len(n.Content) == 0
	}
	return false
}

// kind names the kind of n for messages.
func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	default:
		return "text"
	}
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

func keyNames(keys []key) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.name
	}
	return strings.Join(names, ", ")
}
