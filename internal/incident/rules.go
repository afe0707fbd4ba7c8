package incident

// Rules are the configurable parts of incident handling, from the
// configuration file (incidents: in qalxan.yaml).
type Rules struct {
	Policy    Policy     // severity criteria and SLA
	Playbooks []Playbook // task checklists per kind of incident
	// Region is the country whose phone numbers may be written without a
	// country code ("AZ"): "050 123 45 67" is +994501234567.
	Region string
}

// DefaultRules are the rules out of the box.
func DefaultRules() Rules {
	return Rules{Policy: DefaultPolicy(), Playbooks: DefaultPlaybooks(), Region: "AZ"}
}
