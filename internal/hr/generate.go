package hr

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"time"
)

// Generate writes a synthetic but valid tenant with the given number of
// shifts into dir (for benchmarks and load tests, `scry demo generate`): a
// thousand shifts per employee, employees in a three-level manager tree,
// shifts spread evenly over 2021–2026 (those after 2026-11-24, the demo's
// today, planned), and a few absences per employee. The same seed gives
// the same files; memory does not grow with the number of shifts.
func Generate(dir string, shifts int, seed int64) error {
	rng := rand.New(rand.NewSource(seed))
	employees := max(shifts/1000, 20)
	depts := []string{"Retail", "Logistics", "Kitchen", "Front Desk", "Finance", "Maintenance"}
	positions := []string{"Associate", "Operator", "Cook", "Receptionist", "Accountant", "Technician"}
	cities := []string{"Paris", "Lyon", "Nantes", "Lille"}
	write := func(name string, fill func(w *bufio.Writer)) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<16)
		fill(w)
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	dept := func(i int) int { return i % len(depts) }
	err := write("employees.csv", func(w *bufio.Writer) {
		w.WriteString("employee_id,first_name,last_name,email,gender,birth_date,hire_date,end_date,department,position,contract_type,weekly_hours,manager_id,location,hourly_wage\n")
		genders := []string{"female", "male", "non_binary"}
		contracts := []string{"full_time", "part_time", "temporary", "apprentice"}
		for i := 1; i <= employees; i++ {
			mgr := ""
			switch {
			case i == 1:
			case i <= 1+len(depts):
				mgr = "G00001"
			default:
				mgr = fmt.Sprintf("G%05d", 2+dept(i))
			}
			fmt.Fprintf(w, "G%05d,First%d,Last%d,person%d@generated.example,%s,19%02d-%02d-%02d,20%02d-01-15,,%s,%s,%s,%d,%s,%s,%.2f\n",
				i, i, i, i, genders[rng.Intn(3)], 60+rng.Intn(40), 1+rng.Intn(12), 1+rng.Intn(28), 10+rng.Intn(10),
				depts[dept(i)], positions[dept(i)], contracts[rng.Intn(4)], 20+5*rng.Intn(4), mgr, cities[rng.Intn(4)], 12+rng.Float64()*20)
		}
	})
	if err != nil {
		return err
	}
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	// every day of 2021–2026 has shifts, so that questions about the last
	// month or the next week of the demo's today find some
	days := int(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	err = write("shifts.csv", func(w *bufio.Writer) {
		w.WriteString("shift_id,employee_id,date,start_time,end_time,break_minutes,hours,position,location,status\n")
		for i := 0; i < shifts; i++ {
			d := start.AddDate(0, 0, int(int64(i)*int64(days)/int64(shifts)))
			e := 1 + rng.Intn(employees)
			h := 6 + rng.Intn(4)
			status := "worked"
			if d.After(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) {
				status = "planned"
			}
			fmt.Fprintf(w, "S%07d,G%05d,%s,08:00,%02d:30,30,%d.00,%s,%s,%s\n", i+1, e, d.Format("2006-01-02"), 8+h, h, positions[dept(e)], cities[e%4], status)
		}
	})
	if err != nil {
		return err
	}
	return write("absences.csv", func(w *bufio.Writer) {
		w.WriteString("absence_id,employee_id,type,start_date,end_date,days\n")
		types := []string{"vacation", "sick_leave", "training", "parental_leave", "unpaid_leave"}
		for i := 0; i < employees*5; i++ {
			d := start.AddDate(0, 0, rng.Intn(2000))
			n := 1 + rng.Intn(10)
			fmt.Fprintf(w, "A%07d,G%05d,%s,%s,%s,%d\n", i+1, 1+rng.Intn(employees), types[rng.Intn(5)], d.Format("2006-01-02"), d.AddDate(0, 0, n-1).Format("2006-01-02"), n)
		}
	})
}
