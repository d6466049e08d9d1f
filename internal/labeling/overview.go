package labeling

import (
	"context"
	"errors"

	"github.com/scry-dev/scry/internal/store"
	"github.com/scry-dev/scry/internal/video"
	"github.com/scry-dev/scry/internal/workforce"
)

// Overview is what the labeling page shows besides one job: the jobs, and
// what a new job can be made of.
type Overview struct {
	Jobs     []Job
	Teams    []workforce.Team
	Videos   []video.Video
	Analyses []video.Analysis // the finished ones, newest first
}

// ReadOverview reads the tenant's Overview. What could be read is returned
// with the error of what could not, so a page still shows the rest.
func ReadOverview(ctx context.Context, db *store.DB, tenantID int64) (Overview, error) {
	var o Overview
	err := db.ReadTenant(ctx, tenantID, func(tx *store.Tx) error {
		var err error
		if o.Jobs, err = listJobs(ctx, tx); err != nil {
			return err
		}
		o.Teams, err = workforce.TeamsAll(ctx, tx)
		return err
	})
	var verr, aerr error
	o.Videos, verr = video.List(ctx, db, tenantID)
	all, aerr := video.Analyses(ctx, db, tenantID, "")
	for _, a := range all {
		if a.Status == "done" {
			o.Analyses = append(o.Analyses, a)
		}
	}
	return o, errors.Join(err, verr, aerr)
}
