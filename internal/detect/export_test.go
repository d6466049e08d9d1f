package detect

import "github.com/scry-dev/scry/internal/media"

func MediaLimits(maxBytes int64) media.Limits {
	return media.Limits{MaxBytes: maxBytes, MaxDuration: media.DefaultLimits.MaxDuration}
}

// ParseTSV exposes the TSV reader: words as "text@confidence".
func ParseTSV(tsv string) []string {
	var out []string
	for _, w := range parseTSV(tsv, 1, 1) {
		out = append(out, w.text)
	}
	return out
}

var BoxName = Detection.Name
