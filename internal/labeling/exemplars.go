package labeling

import (
	"context"

	"github.com/scry-dev/scry/internal/detect"
	"github.com/scry-dev/scry/internal/objstore"
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
func Exemplars(ctx context.Context, db *store.DB, objs objstore.Store, tenantID int64, prompt string) ([]detect.Detector, error) {
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
	var items []doneItem
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		items, err = doneItems(ctx, tx, `true order by i.id desc limit 2000`)
		return err
	})
	if err != nil {
		return nil, err
	}
	// What people confirmed: a verification's accepted machine boxes, the
	// consolidated boxes of the other jobs (boxesOf, as in the exports).
	for _, it := range items {
		for _, fr := range it.frames() {
			for _, b := range boxesOf(fr) {
				if want[b.Label] && count[b.Label] < exemplarsPerLabel && b.W >= 8 && b.H >= 8 {
					count[b.Label]++
					picks = append(picks, found{it.video, fr.Frame, b})
				}
			}
		}
	}
	var out []detect.Detector
	for _, p := range picks {
		v, err := video.Get(ctx, db, tenantID, p.video)
		if err != nil {
			continue // the video went away; its boxes with it
		}
		f, err := video.FrameAt(ctx, objs, tenantID, v, p.frame)
		if err != nil {
			return nil, err
		}
		out = append(out, detect.NewExemplar(f.Crop(p.box.X, p.box.Y, p.box.W, p.box.H), p.box.Label))
	}
	return out, nil
}
