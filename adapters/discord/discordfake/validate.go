package discordfake

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// Discord's documented limits.
const (
	MaxContent       = 2000
	MaxEmbeds        = 10
	MaxTitle         = 256
	MaxDescription   = 4096
	MaxFields        = 25
	MaxFieldName     = 256
	MaxFieldValue    = 1024
	MaxFooter        = 2048
	MaxEmbedTotal    = 6000
	MaxRows          = 5
	MaxButtonsPerRow = 5
	MaxButtonLabel   = 80
	MaxCustomID      = 100
	MaxSelectOptions = 25
	MaxOptionLabel   = 100
	MaxOptionValue   = 100
	MaxPlaceholder   = 150
	MaxChoices       = 25
	MaxChoiceName    = 100
	MaxChoiceValue   = 100
	MaxCommands      = 100
	MaxCommandName   = 32
	MaxCommandDesc   = 100
	MaxCommandChars  = 4000
	MaxOptions       = 25
)

// commandName is Discord's rule for CHAT_INPUT command and option names
// (lower case where the script has case).
var commandName = regexp.MustCompile(`^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$`)

func runes(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}

func str(v any) string { s, _ := v.(string); return s }

func list(v any) []any { l, _ := v.([]any); return l }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func num(v any) int { f, _ := v.(float64); return int(f) }

// ValidateCommands checks a bulk overwrite of slash commands against
// Discord's limits and returns what is wrong.
func ValidateCommands(cmds []map[string]any) []string {
	var bad []string
	if len(cmds) > MaxCommands {
		bad = append(bad, fmt.Sprintf("%d commands, more than %d", len(cmds), MaxCommands))
	}
	names := map[string]bool{}
	for _, c := range cmds {
		name := str(c["name"])
		if !commandName.MatchString(name) {
			bad = append(bad, fmt.Sprintf("command name %q does not match Discord's rule", name))
		}
		if names[name] {
			bad = append(bad, fmt.Sprintf("command %q registered twice", name))
		}
		names[name] = true
		if t := num(c["type"]); t != 0 && t != 1 {
			bad = append(bad, fmt.Sprintf("command %q: type %d is not a slash command", name, t))
		}
		if n := runes(c["description"]); n < 1 || n > MaxCommandDesc {
			bad = append(bad, fmt.Sprintf("command %q: description has %d characters (1-%d)", name, n, MaxCommandDesc))
		}
		total := runes(c["name"]) + runes(c["description"])
		opts := list(c["options"])
		if len(opts) > MaxOptions {
			bad = append(bad, fmt.Sprintf("command %q: %d options", name, len(opts)))
		}
		optional := false
		for _, o := range opts {
			om := obj(o)
			oname := str(om["name"])
			total += runes(om["name"]) + runes(om["description"])
			if !commandName.MatchString(oname) {
				bad = append(bad, fmt.Sprintf("command %q: option name %q does not match Discord's rule", name, oname))
			}
			if n := runes(om["description"]); n < 1 || n > MaxCommandDesc {
				bad = append(bad, fmt.Sprintf("command %q option %q: description has %d characters (1-%d)", name, oname, n, MaxCommandDesc))
			}
			if t := num(om["type"]); t < 1 || t > 11 {
				bad = append(bad, fmt.Sprintf("command %q option %q: type %d", name, oname, t))
			}
			req, _ := om["required"].(bool)
			if req && optional {
				bad = append(bad, fmt.Sprintf("command %q: required option %q after an optional one", name, oname))
			}
			if !req {
				optional = true
			}
			auto, _ := om["autocomplete"].(bool)
			if auto && len(list(om["choices"])) > 0 {
				bad = append(bad, fmt.Sprintf("command %q option %q: autocomplete with choices", name, oname))
			}
			if auto && num(om["type"]) != 3 && num(om["type"]) != 4 && num(om["type"]) != 10 {
				bad = append(bad, fmt.Sprintf("command %q option %q: autocomplete on a type that cannot have it", name, oname))
			}
		}
		if total > MaxCommandChars {
			bad = append(bad, fmt.Sprintf("command %q: %d characters in all, more than %d", name, total, MaxCommandChars))
		}
	}
	return bad
}

// ValidateCallback checks an interaction response (the callback body).
func ValidateCallback(cb map[string]any) []string {
	t := num(cb["type"])
	d := obj(cb["data"])
	switch t {
	case 1, 5, 6:
		if d != nil {
			if f := num(d["flags"]); f&^(1<<6) != 0 {
				return []string{fmt.Sprintf("callback type %d: flags %d", t, f)}
			}
		}
		return nil
	case 4, 7:
		if d == nil {
			return []string{fmt.Sprintf("callback type %d without data", t)}
		}
		return ValidateMessage(d, t == 4)
	case 8:
		if d == nil {
			return []string{"autocomplete result without data"}
		}
		raw, ok := d["choices"]
		if !ok || raw == nil {
			return []string{"autocomplete result without a choices array"}
		}
		choices := list(raw)
		var bad []string
		if len(choices) > MaxChoices {
			bad = append(bad, fmt.Sprintf("%d choices, more than %d", len(choices), MaxChoices))
		}
		for _, c := range choices {
			cm := obj(c)
			if n := runes(cm["name"]); n < 1 || n > MaxChoiceName {
				bad = append(bad, fmt.Sprintf("choice name has %d characters (1-%d)", n, MaxChoiceName))
			}
			if v, ok := cm["value"].(string); ok && utf8.RuneCountInString(v) > MaxChoiceValue {
				bad = append(bad, fmt.Sprintf("choice value has %d characters (max %d)", utf8.RuneCountInString(v), MaxChoiceValue))
			}
		}
		return bad
	}
	return []string{fmt.Sprintf("callback type %d is not one the fake knows", t)}
}

// ValidateMessage checks a message body (channel message, interaction
// response data, follow-up or edit) against Discord's limits. create says
// the message is new, so it must not be empty.
func ValidateMessage(m map[string]any, create bool) []string {
	var bad []string
	if n := runes(m["content"]); n > MaxContent {
		bad = append(bad, fmt.Sprintf("content has %d characters, more than %d", n, MaxContent))
	}
	embeds := list(m["embeds"])
	comps := list(m["components"])
	if create && runes(m["content"]) == 0 && len(embeds) == 0 && len(comps) == 0 {
		bad = append(bad, "empty message")
	}
	if len(embeds) > MaxEmbeds {
		bad = append(bad, fmt.Sprintf("%d embeds, more than %d", len(embeds), MaxEmbeds))
	}
	total := 0
	for i, e := range embeds {
		em := obj(e)
		title, desc := runes(em["title"]), runes(em["description"])
		footer := runes(obj(em["footer"])["text"])
		if title > MaxTitle {
			bad = append(bad, fmt.Sprintf("embed %d: title has %d characters, more than %d", i, title, MaxTitle))
		}
		if desc > MaxDescription {
			bad = append(bad, fmt.Sprintf("embed %d: description has %d characters, more than %d", i, desc, MaxDescription))
		}
		if footer > MaxFooter {
			bad = append(bad, fmt.Sprintf("embed %d: footer has %d characters, more than %d", i, footer, MaxFooter))
		}
		if title+desc+footer == 0 && len(list(em["fields"])) == 0 {
			bad = append(bad, fmt.Sprintf("embed %d is empty", i))
		}
		fields := list(em["fields"])
		if len(fields) > MaxFields {
			bad = append(bad, fmt.Sprintf("embed %d: %d fields", i, len(fields)))
		}
		total += title + desc + footer
		for _, f := range fields {
			fm := obj(f)
			if runes(fm["name"]) > MaxFieldName || runes(fm["value"]) > MaxFieldValue {
				bad = append(bad, fmt.Sprintf("embed %d: field too long", i))
			}
			total += runes(fm["name"]) + runes(fm["value"])
		}
	}
	if total > MaxEmbedTotal {
		bad = append(bad, fmt.Sprintf("embeds have %d characters in all, more than %d", total, MaxEmbedTotal))
	}
	if len(comps) > MaxRows {
		bad = append(bad, fmt.Sprintf("%d action rows, more than %d", len(comps), MaxRows))
	}
	ids := map[string]bool{}
	for i, row := range comps {
		rm := obj(row)
		if num(rm["type"]) != 1 {
			bad = append(bad, fmt.Sprintf("component %d is not an action row", i))
			continue
		}
		items := list(rm["components"])
		if len(items) == 0 {
			bad = append(bad, fmt.Sprintf("action row %d is empty", i))
		}
		selects := 0
		for _, it := range items {
			im := obj(it)
			id := str(im["custom_id"])
			if id != "" {
				if ids[id] {
					bad = append(bad, fmt.Sprintf("custom_id %q used twice", id))
				}
				ids[id] = true
			}
			if n := utf8.RuneCountInString(id); n > MaxCustomID {
				bad = append(bad, fmt.Sprintf("custom_id has %d characters, more than %d", n, MaxCustomID))
			}
			switch num(im["type"]) {
			case 2:
				if n := runes(im["label"]); n > MaxButtonLabel {
					bad = append(bad, fmt.Sprintf("button label has %d characters, more than %d", n, MaxButtonLabel))
				}
				if style := num(im["style"]); style < 1 || style > 6 {
					bad = append(bad, fmt.Sprintf("button style %d", style))
				}
				if num(im["style"]) != 5 && id == "" {
					bad = append(bad, "button without custom_id")
				}
			case 3:
				selects++
				opts := list(im["options"])
				if len(opts) < 1 || len(opts) > MaxSelectOptions {
					bad = append(bad, fmt.Sprintf("select menu with %d options (1-%d)", len(opts), MaxSelectOptions))
				}
				if id == "" {
					bad = append(bad, "select menu without custom_id")
				}
				if runes(im["placeholder"]) > MaxPlaceholder {
					bad = append(bad, "select placeholder too long")
				}
				values := map[string]bool{}
				for _, o := range opts {
					om := obj(o)
					if n := runes(om["label"]); n < 1 || n > MaxOptionLabel {
						bad = append(bad, fmt.Sprintf("select option label has %d characters (1-%d)", n, MaxOptionLabel))
					}
					v := str(om["value"])
					if n := utf8.RuneCountInString(v); n < 1 || n > MaxOptionValue {
						bad = append(bad, fmt.Sprintf("select option value has %d characters (1-%d)", n, MaxOptionValue))
					}
					if values[v] {
						bad = append(bad, fmt.Sprintf("select option value %q twice", v))
					}
					values[v] = true
				}
			default:
				bad = append(bad, fmt.Sprintf("component type %d in an action row", num(im["type"])))
			}
		}
		if len(items) > MaxButtonsPerRow {
			bad = append(bad, fmt.Sprintf("action row %d has %d components, more than %d", i, len(items), MaxButtonsPerRow))
		}
		if selects > 0 && len(items) > 1 {
			bad = append(bad, fmt.Sprintf("action row %d mixes a select menu with other components", i))
		}
	}
	return bad
}
