// Package demo carries the three demo tenants' HR data inside the binary, so
// `scry demo seed` works on a machine with nothing else, and seeds them
// (Seed): tenants, users, a workforce, videos, analyses and a review job.
package demo

import (
	"compress/gzip"
	"embed"
	"io"
	"os"
	"path/filepath"
)

//go:embed data
var files embed.FS

// Photo is a real photograph for See's demo: a walker in a blue jacket, a
// dog and a white horse on a meadow (darknet's data/person.jpg, from the
// Debian package darknet; MIT or WTFPL or GPL-3.0+, Joseph Redmon).
//
//go:embed media/person.jpg
var Photo []byte

// Tenant is one demo tenant.
type Tenant struct {
	Slug, Name, Domain string
}

// Tenants are the demo tenants, generated for the reference date 2026-11-25.
var Tenants = []Tenant{
	{"acme-retail", "Acme Retail", "acme-retail.example"},
	{"bistro-group", "Bistro Group", "bistro-group.example"},
	{"maple-district", "Maple School District", "maple-district.example"},
}

// Password is every demo user's password: demo data only, never a default
// for real users (they get theirs with `scry user passwd`).
const Password = "scry-demo-password"

// Now is the reference date the demo data was generated for.
const Now = "2026-11-25"

// Extract writes a tenant's three CSV files into a new folder under parent
// and returns its path.
func Extract(slug, parent string) (string, error) {
	dir, err := os.MkdirTemp(parent, "scry-demo-"+slug+"-")
	if err != nil {
		return "", err
	}
	for _, name := range []string{"employees.csv", "shifts.csv", "absences.csv"} {
		if err := extractOne("data/"+slug+"/"+name+".gz", filepath.Join(dir, name)); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

func extractOne(src, dst string) error {
	f, err := files.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, zr); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
