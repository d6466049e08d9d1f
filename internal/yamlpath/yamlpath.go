// Package yamlpath finds where a value sits in a YAML file, so that a
// problem with a declared file (a workforce, single sign-on settings) is
// reported as file:line: path: what is wrong.
package yamlpath

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Line is the line of a key path such as "members[1].email" in the
// document, or of its nearest existing parent.
func Line(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range strings.Split(path, ".") {
		key, idx := part, -1
		if i := strings.IndexByte(part, '['); i >= 0 {
			key = part[:i]
			idx, _ = strconv.Atoi(strings.TrimSuffix(part[i+1:], "]"))
		}
		var next *yaml.Node
		if n.Kind == yaml.MappingNode {
			for k := 0; k+1 < len(n.Content); k += 2 {
				if n.Content[k].Value == key {
					line = n.Content[k].Line
					next = n.Content[k+1]
				}
			}
		}
		if next == nil {
			return line
		}
		n = next
		if idx >= 0 {
			if n.Kind != yaml.SequenceNode || idx >= len(n.Content) {
				return line
			}
			n = n.Content[idx]
			line = n.Line
		}
	}
	return line
}
