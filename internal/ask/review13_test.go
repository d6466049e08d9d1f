package ask_test

import (
	"fmt"
	"testing"

	"github.com/scry-dev/scry/internal/store"
)

// TestSixteenthRound: readings added for held-out sets 99–101, checked
// against SQL written here, on both databases.
func TestSixteenthRound(t *testing.T) {
	// the people who worked last week, each with that week's hours short
	// of their contract
	short := "select count(*) from (select e.employee_id from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id " +
		"where f.tenant_id = {t} and f.status = 'worked' and f.date between '2026-11-16' and '2026-11-22'%s group by e.employee_id having sum(f.hours) < max(e.weekly_hours)) u"
	checkRound(t, func(d store.Dialect) []roundCase {
		return []roundCase{
			// "fewer hours than their contract": undertime, week by week,
			// in the weeks worked (it was refused)
			{"acme-retail", "admin", "who worked fewer hours than their contract last week", fmt.Sprintf(short, ""), ""},
			{"acme-retail", "manager:E0105", "Which of my staff worked less than their contracted hours last week?", fmt.Sprintf(short, " and e.employee_id in ("+teamIn("E0105")+")"), ""},
			{"acme-retail", "admin", "how many people worked fewer hours than their contract last week", "", fmt.Sprintf(short, "")},
			// "per head": over the headcount on the period's last day
			{"maple-district", "admin", "sick days per head this year", "",
				"select round(1.0 * (select sum(a.days) from absences a where a.tenant_id = {t} and a.type = 'sick_leave' and a.start_date <= '2026-11-25' and a.end_date >= '2026-01-01') / " +
					"(select count(*) from employees e where " + active + "), 2)"},
			// "average … per employee": over the people who have any
			{"maple-district", "admin", "average sick days per employee in 2025", "",
				"select round(1.0 * sum(a.days) / count(distinct a.employee_id), 2) from absences a where a.tenant_id = {t} and a.type = 'sick_leave' and a.start_date <= '2025-12-31' and a.end_date >= '2025-01-01'"},
			// "staffing cost": the labour cost
			{"maple-district", "admin", "What was the total staffing cost for the whole district in 2025?", "",
				"select " + d.Cents("sum(cast(round(f.hours * 100) as bigint) * cast(round(e.hourly_wage * 100) as bigint))") + " from shifts f join employees e on e.tenant_id = f.tenant_id and e.employee_id = f.employee_id where f.tenant_id = {t} and f.status = 'worked' and f.date between '2025-01-01' and '2025-12-31'"},
			// a list of people "right now" is of those employed today (it
			// was refused: "what did they do today")
			{"bistro-group", "admin", "Which of our waiters are on apprentice contracts at the moment?",
				"select count(*) from employees e where " + active + " and e.position = 'Waiter' and e.contract_type = 'apprentice'", ""},
			{"acme-retail", "admin", "temps right now?", "", "select count(*) from employees e where " + active + " and e.contract_type = 'temporary'"}, // how many
		}
	}, []string{
		"who is here today", // present, or employed?
		"who worked fewer hours than their contract last month", // a contract is weekly
	})
}
