package labeling

import (
	"context"
	"encoding/json"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/media"
	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
)

// exemplarsPerLabel bounds the work an analysis spends on exemplars: each
// is a cross-correlation over every analysed frame.
const exemplarsPerLabel = 3

// Exemplars closes the loop from review to detection: boxes that people
// confirmed — consolidated boxes of finished jobs, machine boxes a
// verification accepted — become exemplars for the phrases of prompt that
// name their label, newest first, cut from their frames at full size.
func Exemplars(ctx context.Context, db *store.DB, dataDir string, tenantID int64, prompt string) ([]detect.Detector, error) {
	want := map[string]bool{}
	for _, ph := range detect.Read(prompt).Phrases {
		want[ph.Noun] = true
		for _, l := range ph.Labels {
			want[l] = true
		}
	}
	type found struct {
		video string
		frame int
		box   Box
	}
	var picks []found
	count := map[string]int{}
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `select j.video_id, i.machine, i.consolidated from label_items i
			join label_jobs j on j.tenant_id = i.tenant_id and j.id = i.job_id
			where i.tenant_id = $1 and i.status = 'done' order by i.id desc limit 2000`, tenantID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var vid, machineJSON, consJSON string
			if err := rows.Scan(&vid, &machineJSON, &consJSON); err != nil {
				return err
			}
			var machine map[int][]Box
			var c Consolidated
			json.Unmarshal([]byte(machineJSON), &machine)
			json.Unmarshal([]byte(consJSON), &c)
			take := func(f int, b Box) {
				if want[b.Label] && count[b.Label] < exemplarsPerLabel && b.W >= 8 && b.H >= 8 {
					count[b.Label]++
					picks = append(picks, found{vid, f, b})
				}
			}
			if c.Accepted != nil && *c.Accepted {
				for f, bs := range machine {
					for _, b := range bs {
						take(f, b)
					}
				}
			}
			for f, cl := range c.Frames {
				for _, k := range cl {
					take(f, k.Box)
				}
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, store.Err(err, "read reviewed boxes")
	}
	var out []detect.Detector
	for _, p := range picks {
		v, err := video.Get(ctx, db, tenantID, p.video)
		if err != nil {
			continue // the video went away; its boxes with it
		}
		f, err := media.FrameAt(ctx, video.Path(dataDir, tenantID, v), v.Info, p.frame, v.Info.Width, v.Info.Height)
		if err != nil {
			return nil, err
		}
		out = append(out, detect.NewExemplar(f.Crop(p.box.X, p.box.Y, p.box.W, p.box.H), p.box.Label))
	}
	return out, nil
}
