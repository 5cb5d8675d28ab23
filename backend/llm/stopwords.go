package llm

import (
	"maps"
	"strings"
)

// stopwordLists are the function words skipped when comparing sentences and
// choosing key words, per language. English is in rank.go.
var stopwordLists = map[string]string{
	"de": `aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin bis
		bist da damit dann das dass dein dem den denn der des dich die dies diese diesem diesen dieser dieses
		doch dort du durch ein eine einem einen einer eines einige er es etwas euch euer für gegen gewesen hab
		habe haben hat hatte hier hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede jedem jeden
		jeder jedes jetzt kann kein keine können könnte machen man manche mehr mein mich mit muss musste nach
		nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so solche soll sollte sondern
		sonst über um und uns unter viel vom von vor während war waren was weil welche wenn wer werde werden
		wie wieder will wir wird wo wurde wurden zu zum zur zwar zwischen`,
	"fr": `au aux avec ce ces cette celle celui dans de des du elle elles en est et être eu il ils je la le les
		leur leurs lui mais me même mes moi mon ne nos notre nous on ou où par pas peut plus pour qu que qui
		sa sans se ses si son sont sur ta te tes toi ton tous tout toute toutes très tu un une vos votre vous
		été était sont ont avait avoir fait comme aussi entre encore`,
	"es": `al algo algunas algunos ante antes como con contra cual cuando de del desde donde dos el ella ellas
		ellos en entre era es esa esas ese eso esos esta estas este esto estos está están fue fueron ha han
		hay la las le les lo los mas más me mi muy nada ni no nos o otra otro para pero poco por porque que
		quien se ser si sin sobre su sus también tan te tiene todo todos tu un una uno unos y ya`,
	"it": `a ad al alla alle agli ai anche che chi ci come con cui da dal dalla dei del della delle di dove e è
		ed essere gli ha hanno il in io la le lei lo loro lui ma mi molto ne nei nel nella non noi o per più
		perché però quale quando quella quelle quello questa queste questo se si sia sono su sua sue suo suoi
		tra tu tutti tutto un una uno era erano fra anche così`,
	"pt": `a ao aos as até com como da das de dela dele do dos e é ela ele eles em entre era essa esse esta
		este eu foi foram há isso isto já lhe mais mas me mesmo meu minha muito na nas não nem no nos nós
		o os ou para pela pelo por porque qual quando que quem se sem ser seu seus sua suas também te tem
		um uma umas uns você são estão está`,
	"nl": `aan al alle als ben bij dan dat de der deze die dit doch door dus een en er ge geen had heb hebben
		heeft hem het hier hij hoe hun ik in is ja je kan kon maar me meer men met mij mijn na naar niet
		niets nog nu of om omdat ons ook op over te tegen toch toen tot u uit van veel voor was wat we wel
		werd wie wij wil worden wordt zal ze zei zelf zich zij zijn zo zonder zou`,
}

// stopwordSets are each language's function words alone, for telling
// languages apart (see detectLanguage).
var stopwordSets = func() map[string]map[string]bool {
	out := map[string]map[string]bool{"en": stopwords}
	for lang, list := range stopwordLists {
		m := map[string]bool{}
		for w := range strings.FieldsSeq(list) {
			m[w] = true
		}
		out[lang] = m
	}
	return out
}()

// keyStopwords are the words never taken as key words: the language's
// function words and English's, since technical documents in any language
// quote English (untranslated paragraphs, messages, names of options).
var keyStopwords = func() map[string]map[string]bool {
	out := map[string]map[string]bool{"en": stopwords}
	for lang, set := range stopwordSets {
		if lang == "en" {
			continue
		}
		m := maps.Clone(set)
		maps.Copy(m, stopwords)
		out[lang] = m
	}
	return out
}()

// stopwordsFor returns the language's function words; an unknown language
// gets the English list, which costs nothing when its words never occur.
func stopwordsFor(lang string) map[string]bool {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if m, ok := keyStopwords[lang]; ok {
		return m
	}
	return stopwords
}
