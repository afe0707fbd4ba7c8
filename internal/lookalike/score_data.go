package lookalike

// keywordWeights are the words that make a domain look like a trap, with
// phishing_catcher's kind of weights: credentials and payment words weigh
// most. Azerbaijani words are written properly; they are folded before
// use, so "giriş" also catches "giris".
var keywordWeights = map[string]int{
	"login": 25, "signin": 25, "log-in": 25, "sign-in": 25, "account": 25, "verify": 25,
	"verification": 25, "password": 25, "refund": 25, "otp": 25, "auth": 20,
	"secure": 20, "security": 20, "update": 20, "confirm": 20, "wallet": 20, "payment": 20,
	"billing": 20, "bonus": 20, "prize": 20, "gift": 20, "cashback": 20, "unlock": 20,
	"support": 15, "card": 15, "kart": 15, "cabinet": 15, "kabinet": 15, "sms": 15,
	"kredit": 15, "aksiya": 15, "online": 10, "onlayn": 10, "service": 10, "portal": 10,
	"giriş": 25, "təsdiq": 25, "hesab": 20, "hədiyyə": 20, "ödəniş": 20, "yenilə": 20,
	"mükafat": 20, "köçürmə": 20, "dəstək": 15, "xidmət": 10, "qeydiyyat": 15,
}

// suspiciousTLDs are suffixes phishing favours for being cheap or
// free (phishing_catcher's list, trimmed to those still in use).
var suspiciousTLDs = map[string]bool{
	"ga": true, "gq": true, "ml": true, "cf": true, "tk": true, "xyz": true, "pw": true,
	"cc": true, "club": true, "work": true, "top": true, "support": true, "bank": true,
	"info": true, "click": true, "country": true, "stream": true, "gdn": true, "mom": true,
	"xin": true, "kim": true, "men": true, "loan": true, "download": true, "racing": true,
	"online": true, "center": true, "ren": true, "win": true, "review": true, "vip": true,
	"party": true, "tech": true, "science": true, "business": true, "site": true, "live": true,
	"icu": true, "cyou": true, "shop": true, "buzz": true, "rest": true, "bar": true, "sbs": true,
}

// freeIssuers issue certificates to anyone who controls a name, in
// minutes: most phishing sites carry one (phishing_catcher counts
// Let's Encrypt).
var freeIssuers = []string{"let's encrypt", "zerossl", "cpanel"}

// Points of each reason. Brand evidence is what makes a match; the rest
// raises or lowers the urgency.
const (
	pointsPermutation     = 70 // a name dnstwist would also have found
	pointsSameName        = 70 // the brand's name under another suffix, or in look-alike letters
	pointsContainsBrand   = 65 // the brand's name inside a longer name: worth a look on its own
	pointsConfusable      = 20 // and it only shows after folding look-alike characters
	pointsOfficialAsSub   = 20 // "examplebank.az.login.xyz": the real domain as decoration
	pointsDistanceBase    = 70 // minus 10 for each edit
	pointsSuspiciousTLD   = 20
	pointsFreeIssuer      = 10
	pointsPerHyphen       = 5
	pointsPerDepth        = 5
	maxPointsStructure    = 20
	entropyThreshold      = 4.0 // bits per character: only long random-looking labels reach it
	pointsPerEntropyTenth = 2

	// DefaultThreshold is the score from which a match is worth an
	// analyst's look (phishing_catcher's "potential" level was 65).
	DefaultThreshold = 65
)
