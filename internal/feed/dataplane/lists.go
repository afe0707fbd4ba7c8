package dataplane

// list is what one dataplane.org list means.
type list struct {
	Name        string // feed.name when the report has none
	Type        string // classification.type
	Application string // protocol.application
	Description string // event_description.text
}

// lists is every dataplane.org list, keyed by its name (the file name
// without .txt, and the category column of its rows), as IntelMQ's
// dataplane parser classifies them.
var lists = map[string]list{
	"dnsrd": {Name: "DNS Recursion Desired", Type: "scanner", Application: "dns",
		Description: "Address has been seen performing a DNS recursion desired query to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be DNS server cataloging or searching for hosts to use for DNS-based DDoS amplification."},
	"dnsrdany": {Name: "DNS Recursion Desired IN ANY", Type: "scanner", Application: "dns",
		Description: "Address has been seen performing a DNS recursion desired IN ANY query to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be DNS server cataloging or searching for hosts to use for DNS-based DDoS amplification."},
	"dnsversion": {Name: "DNS CH TXT version.bind", Type: "scanner", Application: "dns",
		Description: "Address has been seen initiating a DNS CH TXT version.bind operation to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be DNS server cataloging or searching for vulnerable DNS servers."},
	"proto41": {Name: "Protocol 41", Type: "proxy", Application: "6to4",
		Description: "Address has been detected to offer open IPv6 over IPv4 tunneling. This could allow for the host to be used a public proxy against IPv6 hosts."},
	"sipinvitation": {Name: "SIP Invitation", Type: "brute-force", Application: "sip",
		Description: "Address has been seen initiating a SIP INVITE operation to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SIP client cataloging or conducting various forms of telephony abuse."},
	"sipquery": {Name: "SIP Query", Type: "brute-force", Application: "sip",
		Description: "Address has been seen initiating a SIP OPTIONS query to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SIP server cataloging or conducting various forms of telephony abuse."},
	"sipregistration": {Name: "SIP Registration", Type: "brute-force", Application: "sip",
		Description: "Address has been seen initiating a SIP REGISTER operation to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SIP client cataloging or conducting various forms of telephony abuse."},
	"smtpdata": {Name: "SMTP DATA", Type: "scanner", Application: "smtp",
		Description: "Address has been seen initiating a SMTP DATA operation to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SMTP server cataloging or conducting various forms of email abuse."},
	"smtpgreet": {Name: "SMTP HELO/EHLO", Type: "scanner", Application: "smtp",
		Description: "Address has been seen initiating a SMTP HELO/EHLO operation to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SMTP server cataloging or conducting various forms of email abuse."},
	"sshclient": {Name: "SSH Client", Type: "scanner", Application: "ssh",
		Description: "Address has been seen initiating an SSH connection to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be SSH server cataloging or conducting authentication attack attempts."},
	"sshpwauth": {Name: "SSH Password Authentication", Type: "brute-force", Application: "ssh",
		Description: "Address has been seen attempting to remotely login to a host using SSH password authentication. The source report lists hosts that are highly suspicious and are likely conducting malicious SSH password authentication attacks."},
	"telnetlogin": {Name: "Telnet Login", Type: "brute-force", Application: "telnet",
		Description: "Address has been seen initiating a telnet connection to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be telnet server cataloging or conducting authentication attack attempts."},
	"vncrfb": {Name: "VNC/RFB Login", Type: "scanner", Application: "vnc",
		Description: "Address has been seen initiating a VNC remote buffer session to a remote host. The source report lists hosts that are suspicious of more than just port scanning. The host may be VNC/RFB server cataloging or conducting authentication attack attempts."},
}
