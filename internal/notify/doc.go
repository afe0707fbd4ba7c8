// Package notify tells each organisation of its findings by e-mail.
//
// Critical findings go out at once (an immediate notice); the rest wait
// for the daily digest; overdue findings are escalated to the
// organisation's escalation contacts. A notice lists the organisation's
// new and still-open findings with what to do about each (remediation.yaml,
// in Azerbaijani, English and Russian), carries a unique reference and the
// organisation's TLP label in its subject and body, links to the agency
// portal, and attaches the underlying events as CSV.
//
// Notices are queued in the database and sent by a Worker through a
// Sender (internal/mail): claimed under a lease so two workers never send
// one notice, retried with exponential backoff and jitter, failed after a
// configured number of attempts. The Message-ID derives from the
// reference, so a resend after a crash between sending and recording it
// is recognisable as the same message.
//
// The package knows nothing of SQL or SMTP: storage keeps the queue, mail
// delivers, cmd/qalxan wires them.
package notify
