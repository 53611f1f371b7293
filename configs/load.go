package configs

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Sources says where each key's value came from: "default", the
// configuration file's path, or the environment variable's name. Keys
// missing from it have their default.
type Sources map[string]string

// Load returns the defaults, overridden by the YAML file at path (no file
// when path is "") and then by the environment as getenv reads it (nil
// reads nothing). An empty variable counts as unset. It reports every
// problem in the file and the environment at once, each naming the file
// and line or the variable, and the key. Load does not Validate.
func Load(path string, getenv func(string) string) (Config, Sources, error) {
	cfg := Default()
	src := Sources{}
	var errs []error
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return cfg, src, fmt.Errorf("read the configuration file: %w", err)
		}
		errs = append(errs, decodeFile(&cfg, src, path, data)...)
	}
	if getenv != nil {
		errs = append(errs, applyEnv(&cfg, src, getenv)...)
	}
	return cfg, src, errors.Join(errs...)
}

// applyEnv sets every key whose environment variable is set.
func applyEnv(cfg *Config, src Sources, getenv func(string) string) []error {
	var errs []error
	for _, k := range keys {
		val := getenv(k.Env)
		if val == "" {
			continue
		}
		if err := k.set(cfg, val); err != nil {
			errs = append(errs, fmt.Errorf("%s (%s): %w", k.Env, k.Name, err))
			continue
		}
		src[k.Name] = k.Env
	}
	return errs
}

// fileError is one problem in the configuration file.
func fileError(path string, line int, key, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s: %s", path, line, key, fmt.Sprintf(format, args...))
}

// decodeFile decodes a YAML file over cfg strictly: unknown keys, values of
// the wrong shape or syntax, repeated keys and secrets are errors.
func decodeFile(cfg *Config, src Sources, path string, data []byte) []error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return []error{fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // an empty file
	}
	root := resolve(doc.Content[0])
	if isNull(root) {
		return nil
	}
	d := decoder{cfg: cfg, src: src, path: path}
	d.mapping(root, "")
	return d.errs
}

type decoder struct {
	cfg  *Config
	src  Sources
	path string
	errs []error
}

func (d *decoder) fail(line int, key, format string, args ...any) {
	d.errs = append(d.errs, fileError(d.path, line, key, format, args...))
}

// mapping decodes the keys of n, which must be a mapping of the keys below
// prefix ("" for the top level, "telegram." for the telegram section...).
func (d *decoder) mapping(n *yaml.Node, prefix string) {
	known := childNames(prefix)
	where := strings.TrimSuffix(prefix, ".")
	if n.Kind != yaml.MappingNode {
		if where == "" {
			d.fail(n.Line, "(top level)", "must be a mapping of sections (%s)", strings.Join(known, ", "))
		} else {
			d.fail(n.Line, where, "must be a mapping of keys (%s)", strings.Join(known, ", "))
		}
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], resolve(n.Content[i+1])
		name := kn.Value
		full := prefix + name
		if first, dup := seen[name]; dup {
			d.fail(kn.Line, full, "is repeated (first at line %d)", first)
			continue
		}
		seen[name] = kn.Line
		if !slices.Contains(known, name) {
			d.fail(kn.Line, full, "unknown key (known here: %s)", strings.Join(known, ", "))
			continue
		}
		if k, ok := keyNamed(full); ok {
			d.leaf(k, kn, vn)
			continue
		}
		if isNull(vn) {
			continue // an empty section keeps its defaults
		}
		d.mapping(vn, full+".")
	}
}

// leaf decodes the value of one key.
func (d *decoder) leaf(k Key, kn, vn *yaml.Node) {
	if k.Secret {
		if !isNull(vn) && strings.TrimSpace(vn.Value) != "" {
			d.fail(kn.Line, k.Name, "secrets are not read from files; remove it and set %s in the environment", k.Env)
		}
		return
	}
	var text string
	switch {
	case isNull(vn):
		text = ""
	case vn.Kind == yaml.ScalarNode:
		text = vn.Value
	case vn.Kind == yaml.SequenceNode && k.typ.Kind() == reflect.Slice:
		items := make([]string, 0, len(vn.Content))
		for _, item := range vn.Content {
			item = resolve(item)
			if item.Kind != yaml.ScalarNode || strings.Contains(item.Value, ",") {
				d.fail(item.Line, k.Name, "list items must be single values")
				return
			}
			items = append(items, item.Value)
		}
		text = strings.Join(items, ",")
	default:
		d.fail(vn.Line, k.Name, "must be a single value, not a %s", kindName(vn))
		return
	}
	if isNull(vn) && k.typ.Kind() != reflect.String && k.typ.Kind() != reflect.Slice {
		d.fail(vn.Line, k.Name, "has no value; remove the key to keep its default")
		return
	}
	if err := k.set(d.cfg, text); err != nil {
		d.fail(vn.Line, k.Name, "%v", err)
		return
	}
	d.src[k.Name] = d.path
}

// childNames lists the names directly below prefix, in field order.
func childNames(prefix string) []string {
	var out []string
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k.Name, prefix)
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, ".")
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func keyNamed(name string) (Key, bool) {
	for _, k := range keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}
