package event

// Type is the harmonization type of a key: it decides how a value is
// validated, normalised and written in JSON.
type Type uint8

const (
	String Type = iota + 1
	LowercaseString
	UppercaseString
	IPAddress
	IPNetwork
	FQDN
	URL
	Integer
	ASN
	Float
	Accuracy // a float between 0 and 100
	DateTime
	Boolean
	ClassificationTaxonomy
	ClassificationType
	TLP
	Base64 // raw: the original data, base64-encoded
	JSON   // extra.*: any JSON value
)

var typeNames = [...]string{
	String: "String", LowercaseString: "LowercaseString", UppercaseString: "UppercaseString",
	IPAddress: "IPAddress", IPNetwork: "IPNetwork", FQDN: "FQDN", URL: "URL", Integer: "Integer",
	ASN: "ASN", Float: "Float", Accuracy: "Accuracy", DateTime: "DateTime", Boolean: "Boolean",
	ClassificationTaxonomy: "ClassificationTaxonomy", ClassificationType: "ClassificationType",
	TLP: "TLP", Base64: "Base64", JSON: "JSON",
}

func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return "Unknown"
}

// Kind says how a stored value is written in JSON.
type Kind uint8

const (
	KindString Kind = iota // a JSON string; Value holds the unquoted text
	KindNumber             // a JSON number; Value holds its canonical text
	KindBool               // true or false
	KindJSON               // any JSON value (extra.*); Value holds its encoding
)
