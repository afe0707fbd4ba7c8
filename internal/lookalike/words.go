package lookalike

// dictionary holds the words fraudsters put before or after a brand: the
// English ones phishing kits use, and Azerbaijani ones aimed at customers
// here ("kart", "onlayn", "giris" for giriş, "kabinet", "bonus").
var dictionary = []string{
	"login", "secure", "online", "kart", "bonus", "az", "my", "onlayn",
	"giris", "kabinet", "bank", "pay", "app", "mobile", "verify", "account",
	"support", "update", "e", "www",
}

// tlds are the suffixes a brand under .az is copied to: generic ones that
// are cheap, the ones phishing favours, and the .az second levels.
var tlds = []string{
	"az", "com", "net", "org", "info", "online", "site", "xyz", "top",
	"com.az", "net.az", "org.az", "biz.az", "info.az", "gov.az",
	"ru", "co", "io", "shop", "live", "click", "icu", "vip", "pro",
	"tk", "ml", "ga", "cf", "gq", "me", "cc", "app", "link", "club", "store",
}
