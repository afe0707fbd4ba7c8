// Package finding is the security gap: one weakness on one resource of one
// organisation (an open RDP port on 192.0.2.10:3389, a vulnerable Exchange
// on mail.example.gov.az, a monitoring check that fails), opened and
// refreshed by the events that report it and tracked until its fix is
// verified.
//
// A finding's life is an explicit state machine (status.go): open →
// notified → acknowledged → resolved → closed, with reopened when it is
// seen again after a fix, accepted (a risk accepted until a date) and
// false_positive (disputed). Severity comes from a policy table
// (policy.go), raised one level for critical-infrastructure owners, and
// gives the due date (SLA).
//
// The package knows nothing of SQL or HTTP: storage keeps findings,
// the pipeline feeds observations in, notify tells the owners.
package finding
