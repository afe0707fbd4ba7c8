package lookalike

// standIns are the ASCII spellings people use for the Azerbaijani letters
// when a keyboard, a registrar or habit does not offer them: "ədliyyə" is
// registered and typed as "edliyye" and "adliyya", "şəki" as "sheki".
// Both directions are look-alikes: the stand-in imitates the letter, and
// the letter imitates the stand-in in an ASCII brand.
var standIns = map[rune][]string{
	'ə': {"e", "a"},
	'ı': {"i"},
	'i': {"ı"},
	'ğ': {"g", "gh"},
	'ş': {"s", "sh"},
	'ç': {"c", "ch"},
	'ö': {"o"},
	'ü': {"u"},
}

// azFold is the one stand-in folding uses, so a brand and a domain fold to
// the same string: the first stand-in of each letter.
var azFold = map[rune]rune{'ə': 'e', 'ı': 'i', 'ğ': 'g', 'ş': 's', 'ç': 'c', 'ö': 'o', 'ü': 'u'}

// asciiStandIns gives the Azerbaijani letters an ASCII letter stands in
// for, so that "xalqbank" yields "xalqbänk"-style homoglyphs with ə, ş...
var asciiStandIns = map[rune][]rune{
	'e': {'ə'},
	'a': {'ə'},
	'g': {'ğ'},
	's': {'ş'},
	'c': {'ç'},
	'o': {'ö'},
	'u': {'ü'},
}
