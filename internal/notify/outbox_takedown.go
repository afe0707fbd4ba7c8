package notify

// TakedownOverdue tells an incident's assignee that a take-down request
// has had no answer from the provider for the reminder interval (serve's
// reminder loop; the same reminder is in the incident's journal).
const TakedownOverdue MailKind = "takedown-overdue"
