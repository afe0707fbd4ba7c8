package stats

import (
	"fmt"
	"strings"
)

// The period names and the headline are written here rather than in the
// UI's message catalogue: the CLI and the API publish them too, and
// Russian needs the month in three grammatical cases.

var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"az": {"Yanvar", "Fevral", "Mart", "Aprel", "May", "İyun", "İyul", "Avqust", "Sentyabr", "Oktyabr", "Noyabr", "Dekabr"},
	"ru": {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
}

// Russian months after "по сравнению с" (instrumental) and "в"
// (prepositional).
var (
	ruMonthInstr = [12]string{"январём", "февралём", "мартом", "апрелем", "маем", "июнем", "июлем", "августом", "сентябрём", "октябрём", "ноябрём", "декабрём"}
	ruMonthPrep  = [12]string{"январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре"}
)

var romans = [...]string{"", "I", "II", "III", "IV"}

type ruCase int

const (
	nominative ruCase = iota
	instrumental
	prepositional
)

// Label names the period in lang (az, en or ru; anything else is
// English): "January 2024", "Q1 2024", "2024"; "Yanvar 2024", "I rüb
// 2024"; "январь 2024 г.", "I квартал 2024 г.", "2024 г.".
func (p Period) Label(lang string) string {
	if lang == "ru" {
		return p.ruLabel(nominative)
	}
	switch p.Kind {
	case Quarter:
		if lang == "az" {
			return fmt.Sprintf("%s rüb %d", romans[p.N], p.Year)
		}
		return fmt.Sprintf("Q%d %d", p.N, p.Year)
	case Year:
		return fmt.Sprint(p.Year)
	}
	names, ok := monthNames[lang]
	if !ok {
		names = monthNames["en"]
	}
	return fmt.Sprintf("%s %d", names[p.N-1], p.Year)
}

// ShortLabel is a month as a chart axis shows it: "Jan", "Yan", "янв";
// other periods are their Label.
func (p Period) ShortLabel(lang string) string {
	if p.Kind != Month {
		return p.Label(lang)
	}
	names, ok := monthNames[lang]
	if !ok {
		names = monthNames["en"]
	}
	return string([]rune(names[p.N-1])[:3])
}

func (p Period) ruLabel(c ruCase) string {
	switch p.Kind {
	case Quarter:
		q := [...]string{"квартал", "кварталом", "квартале"}[c]
		return fmt.Sprintf("%s %s %d г.", romans[p.N], q, p.Year)
	case Year:
		y := [...]string{"", "годом", "году"}[c]
		if y == "" {
			return fmt.Sprintf("%d г.", p.Year)
		}
		return fmt.Sprintf("%d %s", p.Year, y)
	}
	m := [...]string{monthNames["ru"][p.N-1], ruMonthInstr[p.N-1], ruMonthPrep[p.N-1]}[c]
	return fmt.Sprintf("%s %d г.", m, p.Year)
}

// Headline is the sentence a CERT publishes about the report's period, in
// lang (az, en, ru; anything else is English): how many information
// resources of how many organisations had gaps identified, and the change
// against the same period a year earlier.
func Headline(r *Report, lang string) string {
	cur, base := r.Summary, r.YearEarlier
	res, orgs := cur.ResourcesWithGaps, cur.OrganisationsWithGaps
	ch := r.VsYearEarlier.ResourcesWithGaps
	switch lang {
	case "az":
		head := r.Period.Label("az") + ": "
		if res == 0 {
			return head + "təhlükəsizlik boşluqları aşkar edilməyib."
		}
		s := fmt.Sprintf("%s%d qurumun %d informasiya resursunda təhlükəsizlik boşluqları aşkar edilib", head, orgs, res)
		if base.ResourcesWithGaps == 0 {
			return s + "; " + base.Period.Label("az") + " dövründə aşkar edilməmişdi."
		}
		return s + "; " + base.Period.Label("az") + " ilə müqayisədə " + ch.String() + "."
	case "ru":
		head := capitalize(r.Period.ruLabel(nominative)) + ": "
		if res == 0 {
			return head + "уязвимости не выявлены."
		}
		resWord, orgWord := "информационных ресурсах", "организаций"
		if one(res) {
			resWord = "информационном ресурсе"
		}
		if one(orgs) {
			orgWord = "организации"
		}
		s := fmt.Sprintf("%sвыявлены уязвимости в %d %s %d %s", head, res, resWord, orgs, orgWord)
		if base.ResourcesWithGaps == 0 {
			return s + "; в " + base.Period.ruLabel(prepositional) + " уязвимости не выявлялись."
		}
		return strings.TrimSuffix(s+"; "+ch.String()+" по сравнению с "+base.Period.ruLabel(instrumental), ".") + "."
	}
	head := r.Period.Label("en") + ": "
	if res == 0 {
		return head + "no security gaps identified."
	}
	resWord, orgWord := "information resources", "organisations"
	if res == 1 {
		resWord = "information resource"
	}
	if orgs == 1 {
		orgWord = "organisation"
	}
	s := fmt.Sprintf("%ssecurity gaps identified in %d %s of %d %s", head, res, resWord, orgs, orgWord)
	if base.ResourcesWithGaps == 0 {
		return s + "; none in " + base.Period.Label("en") + "."
	}
	return s + "; " + ch.String() + " compared to " + base.Period.Label("en") + "."
}

// one reports whether a Russian numeral takes the singular (1, 21, 101,
// but not 11).
func one(n int) bool { return n%10 == 1 && n%100 != 11 }

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
