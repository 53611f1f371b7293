package knowledge

import (
	"strconv"
	"strings"
)

// Error is one problem in a pack, located by file, line and field.
type Error struct {
	// File is the file's path: relative to the pack from Load, under the
	// directory from LoadDir, under knowledge/kazakhstan from Embedded.
	File string
	// Line is 1-based; 0 when the problem concerns the whole file.
	Line int
	// Field is the path of the offending value, such as facts[3].answer,
	// topics[2].id or sections[4] (indexes count from 0); empty when the
	// problem is in no one field, such as a YAML syntax error.
	Field string
	// Msg says what is wrong, such as "is empty".
	Msg string
}

// Error formats e as file:line: field: message, leaving out a zero line and
// an empty field.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a pack, in file and line order. Load
// returns it when a pack is invalid.
type Errors []*Error

// Error returns one line per problem.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so errors.As finds an *Error.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}
