package incident

import (
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// TakedownStatus is where a take-down request stands.
type TakedownStatus string

const (
	TakedownDraft        TakedownStatus = "draft"
	TakedownSent         TakedownStatus = "sent"
	TakedownAcknowledged TakedownStatus = "acknowledged" // the provider answered and is acting
	TakedownDone         TakedownStatus = "done"         // the site, app, account or number is gone
	TakedownRefused      TakedownStatus = "refused"      // the provider will not act, with its reason
)

// TakedownStatuses lists them in order.
var TakedownStatuses = []TakedownStatus{TakedownDraft, TakedownSent, TakedownAcknowledged, TakedownDone, TakedownRefused}

var takedownMoves = map[TakedownStatus][]TakedownStatus{
	TakedownDraft:        {TakedownSent},
	TakedownSent:         {TakedownAcknowledged, TakedownDone, TakedownRefused},
	TakedownAcknowledged: {TakedownDone, TakedownRefused},
	TakedownRefused:      {TakedownSent}, // sent again, to the provider's upstream or with more evidence
}

// TargetKind is who is asked to take something down.
type TargetKind string

const (
	TargetHosting   TargetKind = "hosting"
	TargetRegistrar TargetKind = "registrar"
	TargetAppStore  TargetKind = "app-store"
	TargetSocial    TargetKind = "social-network"
	TargetMobile    TargetKind = "mobile-operator"
)

// TargetKinds lists them.
var TargetKinds = []TargetKind{TargetHosting, TargetRegistrar, TargetAppStore, TargetSocial, TargetMobile}

// Takedown is a request to a provider to remove what an incident found:
// a phishing site, a domain, a malicious app, a fake account, a number.
type Takedown struct {
	ID         int64          `json:"id"`
	IncidentID int64          `json:"incident_id"`
	TargetKind TargetKind     `json:"target_kind"`
	Provider   string         `json:"provider"` // "Hetzner abuse", "Google Play", "Azercell"
	Contact    string         `json:"contact"`  // the abuse address or form
	Subject    string         `json:"subject"`  // what is to go: the URL, domain, app id, account, number
	Language   string         `json:"language"` // of the request text: az, en, ru
	Body       string         `json:"body"`     // the request as sent
	Status     TakedownStatus `json:"status"`
	Reason     string         `json:"reason,omitempty"` // the provider's refusal
	CreatedAt  time.Time      `json:"created_at"`
	SentAt     time.Time      `json:"sent_at,omitzero"`
	DoneAt     time.Time      `json:"done_at,omitzero"`
	RemindAt   time.Time      `json:"remind_at,omitzero"` // when an unanswered request is overdue
}

// TakedownWait is how long a sent request may stay unanswered before it is
// overdue and someone should chase the provider.
const TakedownWait = 48 * time.Hour

// Normalize checks a new request and fills its text from the template of
// its kind and language when none is given.
func (t *Takedown) Normalize(ref string) error {
	if !slices.Contains(TargetKinds, t.TargetKind) {
		return errs.Field("target_kind", "%q is not one of hosting, registrar, app-store, social-network, mobile-operator", t.TargetKind)
	}
	t.Provider, t.Contact, t.Subject = strings.TrimSpace(t.Provider), strings.TrimSpace(t.Contact), strings.TrimSpace(t.Subject)
	if t.Provider == "" {
		return errs.Field("provider", "name the provider")
	}
	if t.Subject == "" {
		return errs.Field("subject", "say what is to be taken down")
	}
	switch t.Language = strings.ToLower(strings.TrimSpace(t.Language)); t.Language {
	case "":
		t.Language = "en"
	case "az", "en", "ru":
	default:
		return errs.Field("language", "%q is not one of az, en, ru", t.Language)
	}
	if strings.TrimSpace(t.Body) == "" {
		var b strings.Builder
		if err := takedownTemplates[t.Language].Execute(&b, map[string]string{"Ref": ref, "Subject": t.Subject, "Provider": t.Provider,
			"What": takedownWhat[t.Language][t.TargetKind]}); err != nil {
			return fmt.Errorf("incident: take-down text: %w", err)
		}
		t.Body = b.String()
	}
	t.Status = TakedownDraft
	return nil
}

// MoveTakedown moves a request; a refusal needs the provider's reason.
// Sending starts the clock: the reminder is due TakedownWait later.
func MoveTakedown(t *Takedown, to TakedownStatus, reason string, now time.Time) error {
	if !slices.Contains(TakedownStatuses, to) {
		return errs.Field("status", "%q is not one of draft, sent, acknowledged, done, refused", to)
	}
	if !slices.Contains(takedownMoves[t.Status], to) {
		return errs.E(errs.Conflict, "take-down %d is %s and cannot become %s", t.ID, t.Status, to)
	}
	reason = strings.TrimSpace(reason)
	switch to {
	case TakedownRefused:
		if reason == "" {
			return errs.Field("reason", "say why the provider refused")
		}
		t.RemindAt = time.Time{}
	case TakedownSent:
		t.SentAt, t.RemindAt = now, now.Add(TakedownWait)
	case TakedownAcknowledged:
		t.RemindAt = now.Add(TakedownWait)
	case TakedownDone:
		t.DoneAt, t.RemindAt = now, time.Time{}
	}
	t.Status, t.Reason = to, reason
	return nil
}

// TimeToTakeDown is how long the provider took, from sending to done.
func (t *Takedown) TimeToTakeDown() time.Duration {
	if t.SentAt.IsZero() || t.DoneAt.IsZero() {
		return 0
	}
	return t.DoneAt.Sub(t.SentAt)
}

// Overdue reports whether a sent request has waited too long at now.
func (t *Takedown) Overdue(now time.Time) bool {
	return (t.Status == TakedownSent || t.Status == TakedownAcknowledged) && !t.RemindAt.IsZero() && now.After(t.RemindAt)
}

var takedownWhat = map[string]map[TargetKind]string{
	"en": {TargetHosting: "the content hosted on your network", TargetRegistrar: "the domain name registered through you",
		TargetAppStore: "the application published in your store", TargetSocial: "the account on your platform", TargetMobile: "the phone number on your network"},
	"az": {TargetHosting: "şəbəkənizdə yerləşdirilmiş məzmunu", TargetRegistrar: "sizin vasitənizlə qeydiyyatdan keçmiş domen adını",
		TargetAppStore: "mağazanızda dərc olunmuş tətbiqi", TargetSocial: "platformanızdakı hesabı", TargetMobile: "şəbəkənizdəki telefon nömrəsini"},
	"ru": {TargetHosting: "контент, размещённый в вашей сети", TargetRegistrar: "доменное имя, зарегистрированное через вас",
		TargetAppStore: "приложение, опубликованное в вашем магазине", TargetSocial: "аккаунт на вашей платформе", TargetMobile: "номер телефона в вашей сети"},
}

// takedownTemplates are the request texts; a CERT edits them here until
// they move to the configuration.
var takedownTemplates = map[string]*template.Template{
	"en": template.Must(template.New("en").Parse("Dear {{.Provider}},\n\nThe national CERT is handling incident {{.Ref}}. We ask you to take down {{.What}}:\n\n    {{.Subject}}\n\nIt is used to defraud people (phishing or impersonation). Please confirm when it is removed.\n")),
	"az": template.Must(template.New("az").Parse("Hörmətli {{.Provider}},\n\nMilli CERT {{.Ref}} insidenti üzrə iş aparır. Xahiş edirik, {{.What}} silin:\n\n    {{.Subject}}\n\nO, insanları aldatmaq üçün istifadə olunur (fişinq və ya saxtakarlıq). Silindikdən sonra təsdiq edin.\n")),
	"ru": template.Must(template.New("ru").Parse("Уважаемые {{.Provider}},\n\nНациональный CERT расследует инцидент {{.Ref}}. Просим удалить {{.What}}:\n\n    {{.Subject}}\n\nОн используется для мошенничества (фишинг или выдача себя за другого). Пожалуйста, подтвердите удаление.\n")),
}
