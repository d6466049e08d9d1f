package ask

import "strings"

// attribute is a column of a person that a question can show, sort by,
// compare or filter on. The list is the one place that says which exist,
// what type they are and which are sensitive (the validator refuses those
// to anyone but HR and admins, or a person for their own record).
type attribute struct {
	typ       string // string, number, date
	sensitive bool
	measure   string // the model's measure of the same number, if any
	dim       string // the model's dimension of the same value, if any
}

var attributes = map[string]attribute{
	"employee_id":   {typ: "string"},
	"name":          {typ: "string", dim: "employee"},
	"first_name":    {typ: "string"},
	"last_name":     {typ: "string"},
	"email":         {typ: "string"},
	"gender":        {typ: "string", dim: "gender"},
	"department":    {typ: "string", dim: "department"},
	"position":      {typ: "string", dim: "position"},
	"location":      {typ: "string", dim: "location"},
	"contract_type": {typ: "string", dim: "contract_type"},
	"manager":       {typ: "string", dim: "manager"},
	"manager_id":    {typ: "string"},
	"birth_date":    {typ: "date"},
	"hire_date":     {typ: "date"},
	"end_date":      {typ: "date"},
	"weekly_hours":  {typ: "number", measure: "contracted_hours"},
	"hourly_wage":   {typ: "number", sensitive: true, measure: "hourly_wage"},
	"age":           {typ: "number", measure: "age"},
	"age_at_hire":   {typ: "number", measure: "age_at_hire"}, // completed years on the hire date
	"tenure":        {typ: "number", measure: "tenure"},
	"reports":       {typ: "number"}, // how many people report to them directly
}

// allColumns is what "all the information about employees" shows.
var allColumns = []string{"employee_id", "first_name", "last_name", "email", "gender", "birth_date", "hire_date", "end_date",
	"department", "position", "contract_type", "weekly_hours", "manager_id", "location", "hourly_wage"}

// attrPhrases are the words people use for attributes, longest first where
// one contains another.
var attrPhrases = []struct {
	phrase string
	attr   string
}{
	{"first and last name", "name"}, {"first and last", "name"}, {"first name and last name", "name"}, {"full name", "name"}, {"whole name", "name"},
	{"employee name", "name"}, {"first name", "first_name"}, {"given name", "first_name"}, {"forename", "first_name"},
	{"last name", "last_name"}, {"surname", "last_name"}, {"family name", "last_name"}, {"name", "name"},
	{"employee id", "employee_id"}, {"employee number", "employee_id"}, {"employee no", "employee_id"}, {"staff id", "employee_id"},
	{"id number", "employee_id"}, {"ids", "employee_id"}, {"id", "employee_id"}, {"email address", "email"}, {"e mail", "email"}, {"email", "email"},
	{"hire date", "hire_date"}, {"hire data", "hire_date"}, {"hiring date", "hire_date"}, {"date of hire", "hire_date"},
	{"date hired", "hire_date"}, {"joining date", "hire_date"}, {"start date", "hire_date"}, {"employment date", "hire_date"},
	{"birth date", "birth_date"}, {"date of birth", "birth_date"}, {"birthday", "birth_date"}, {"birthdate", "birth_date"},
	{"end date", "end_date"}, {"leaving date", "end_date"}, {"date of leaving", "end_date"},
	{"hourly wage", "hourly_wage"}, {"wage", "hourly_wage"}, {"salary", "hourly_wage"}, {"pay rate", "hourly_wage"},
	{"hourly rate", "hourly_wage"}, {"hourly salary", "hourly_wage"}, {"hourly pay", "hourly_wage"}, {"salary per hour", "hourly_wage"}, {"pay", "hourly_wage"}, {"earn per hour", "hourly_wage"}, {"earn an hour", "hourly_wage"},
	{"make per hour", "hourly_wage"}, {"make an hour", "hourly_wage"}, {"paid per hour", "hourly_wage"}, {"earnings", "hourly_wage"},
	{"age at hire", "age_at_hire"}, {"hire age", "age_at_hire"}, {"age", "age"}, {"tenure", "tenure"}, {"seniority", "tenure"}, {"years of service", "tenure"},
	{"weekly contracted hours", "weekly_hours"}, {"contracted weekly hours", "weekly_hours"}, {"contract weekly hours", "weekly_hours"}, {"contracted hours", "weekly_hours"}, {"contract hours", "weekly_hours"},
	{"department name", "department"}, {"department id", "department"}, {"department", "department"}, {"dept", "department"}, {"school", "department"}, {"division", "department"},
	{"job title", "position"}, {"job id", "position"}, {"job", "position"}, {"position", "position"}, {"title", "position"}, {"role", "position"},
	{"home city", "location"}, {"city", "location"}, {"location", "location"}, {"town", "location"},
	{"gender", "gender"}, {"sex", "gender"}, {"contract type", "contract_type"}, {"contract", "contract_type"},
	{"manager id", "manager_id"}, {"manager number", "manager_id"}, {"manager name", "manager"}, {"manager", "manager"},
	{"all the information", "*"}, {"all information", "*"}, {"information", "*"}, {"all the detail", "*"}, {"all detail", "*"},
	{"detail", "*"}, {"everything", "*"}, {"all column", "*"}, {"all field", "*"},
}

// attrWords are the words of each attribute phrase, split once.
var attrWords [][]string

func init() {
	for i := range attrPhrases {
		attrPhrases[i].phrase = normPhrase(attrPhrases[i].phrase)
		attrWords = append(attrWords, strings.Fields(attrPhrases[i].phrase))
	}
}

// attrAt reads an attribute phrase starting at token i among the unread
// words, returning the attribute and how many tokens it spans.
func (st *parseState) attrAt(i int) (string, int) {
	for k, ap := range attrPhrases {
		ws := attrWords[k]
		if i+len(ws) > len(st.toks) {
			continue
		}
		ok := true
		for k, w := range ws {
			if st.used[i+k] || st.toks[i+k] != w {
				ok = false
				break
			}
		}
		if ok {
			return ap.attr, len(ws)
		}
	}
	return "", 0
}

// valueAttrWords name a number of a person in comparisons ("earns more",
// "older than").
var valueAttrWords = map[string]string{
	"salary": "hourly_wage", "wage": "hourly_wage", "pay": "hourly_wage", "paid": "hourly_wage", "earn": "hourly_wage",
	"earning": "hourly_wage", "make": "hourly_wage", "making": "hourly_wage", "rate": "hourly_wage", "money": "hourly_wage",
	"age": "age", "old": "age", "older": "age", "younger": "age", "young": "age", "tenure": "tenure", "seniority": "tenure",
}
