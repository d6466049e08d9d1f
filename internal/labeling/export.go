package labeling

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"sort"

	"github.com/scry-dev/scry/internal/errcode"
	"github.com/scry-dev/scry/internal/objstore"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
)

// Formats are the export formats, the same through every door.
var Formats = []string{"coco", "yolo", "analysis"}

// Export is a job's consolidated labels in one format: a JSON Document
// (coco, analysis) and Files beside it (yolo's classes.txt and labels/,
// images/ when asked), their paths relative to the export's folder.
type Export struct {
	Job      int64
	Format   string
	Frames   int
	Name     string // the export's name without extension: the document is Name.json, an archive Name.zip
	Document []byte
	Files    map[string][]byte
}

// ExportJob builds job id's export in format; images adds each consolidated
// frame as a PNG under images/.
func ExportJob(ctx context.Context, db *store.DB, objs objstore.Store, tenantID, id int64, format string, images bool) (Export, error) {
	var job Job
	var frames []FrameResult
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		if job, err = GetJob(ctx, tx, id); err != nil {
			return err
		}
		frames, err = Results(ctx, tx, id)
		return err
	})
	if err != nil {
		return Export{}, err
	}
	v, err := video.Get(ctx, db, tenantID, job.VideoID)
	if err != nil {
		return Export{}, err
	}
	w, h := v.Info.Width, v.Info.Height
	e := Export{Job: id, Format: format, Frames: len(frames), Files: map[string][]byte{}}
	switch format {
	case "coco":
		e.Name = fmt.Sprintf("job-%d-coco", id)
		e.Document, _ = json.MarshalIndent(ToCOCO(job, frames, w, h), "", "  ")
	case "yolo":
		e.Name = fmt.Sprintf("job-%d-yolo", id)
		e.Files["classes.txt"] = []byte(Classes(job))
		for _, f := range frames {
			var buf bytes.Buffer
			WriteYOLO(&buf, job, f, w, h)
			img := FrameFile(f.Frame)
			e.Files["labels/"+img[:len(img)-len(".png")]+".txt"] = buf.Bytes()
		}
	case "analysis":
		if job.AnalysisID == 0 {
			return Export{}, errcode.New(errcode.Invalid, "format analysis: job %d reviews no analysis", id)
		}
		a, err := video.GetAnalysis(ctx, db, tenantID, job.AnalysisID)
		if err != nil {
			return Export{}, err
		}
		e.Name, e.Document = fmt.Sprintf("analysis-%d", a.ID), a.Result
	default:
		return Export{}, errcode.New(errcode.Invalid, "format: %q is not coco, yolo or analysis", format)
	}
	if images {
		for _, f := range frames {
			fr, err := video.FrameAt(ctx, objs, tenantID, v, f.Frame)
			if err != nil {
				return Export{}, err
			}
			var buf bytes.Buffer
			if err := png.Encode(&buf, fr.Image()); err != nil {
				return Export{}, err
			}
			e.Files["images/"+FrameFile(f.Frame)] = buf.Bytes()
		}
	}
	return e, nil
}

// Zip writes the export as one archive: the document as Name.json (yolo
// has none) and the files at their paths, in a stable order.
func (e Export) Zip(w io.Writer) error {
	z := zip.NewWriter(w)
	names := make([]string, 0, len(e.Files))
	for n := range e.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	if e.Document != nil {
		names = append([]string{""}, names...)
	}
	for _, n := range names {
		data, name := e.Files[n], n
		if n == "" {
			data, name = e.Document, e.Name+".json"
		}
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
	}
	return z.Close()
}
