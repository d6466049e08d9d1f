package detect

import "github.com/scry-dev/scry/internal/media"

func MediaLimits(maxBytes int64) media.Limits {
	return media.Limits{MaxBytes: maxBytes, MaxDuration: media.DefaultLimits.MaxDuration}
}
