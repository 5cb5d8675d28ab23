package script

import (
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode"
)

// The parts of the speakable stage that deal with technical text: links,
// escapes, paths, options, identifiers and symbols.

var reURL = regexp.MustCompile(`(?i)\b(?:https?|ftp|file)://[^\s<>"'\])]+|\bwww\.[^\s<>"'\])]+`)

// speakURLs replaces each URL by its site name: "https://www.gnu.org/x" →
// "gnu.org". A link to a local file is simply dropped.
func speakURLs(s string) string {
	if strings.Contains(s, "@") {
		// An e-mail address tells a listener nothing they could use.
		s = reEmail.ReplaceAllString(s, " ")
	}
	if !strings.Contains(s, "://") && !strings.Contains(strings.ToLower(s), "www.") {
		return s
	}
	return reURL.ReplaceAllStringFunc(s, func(m string) string {
		trail := ""
		for strings.HasSuffix(m, ".") || strings.HasSuffix(m, ",") || strings.HasSuffix(m, ";") {
			trail, m = m[len(m)-1:]+trail, m[:len(m)-1]
		}
		raw := m
		if !strings.Contains(raw, "://") {
			raw = "http://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" {
			return " " + trail
		}
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		if strings.Trim(host, "0123456789.:") == "" || host == "localhost" {
			return " " + trail // an address says nothing to a listener
		}
		return host + trail
	})
}

var reEmail = regexp.MustCompile(`<?\b(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b>?`)

var reEscape = regexp.MustCompile(`\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{4}|[0-7]{1,3}|.)`)

var escapeNames = map[string]string{"n": "newline", "t": "tab", "r": "carriage return", "0": "null",
	"\\": "backslash", "a": "bell", "b": "backspace", "e": "escape", "f": "form feed", "v": "vertical tab"}

// speakEscapes names the escape sequences a reader would name ("\n" →
// newline) in English; in other languages, and for other escapes, the
// backslash goes and the character stays or goes with it.
func speakEscapes(s, lang string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return reEscape.ReplaceAllStringFunc(s, func(m string) string {
		e := m[1:]
		if name, ok := escapeNames[e]; ok && lang == "en" {
			return " " + name + " "
		}
		if len(e) == 1 && (unicode.IsPunct(rune(e[0])) || unicode.IsLetter(rune(e[0]))) && !strings.ContainsAny(e, `\ntr0abefv`) {
			return e // "\." or "\-" in roff and regexps
		}
		return " "
	})
}

var (
	reAbsPath = regexp.MustCompile(`(^|[\s("'=])(~?/|\.\.?/|~/)([\w.@%+~-]+/)*[\w.@%+~-]*`)
	reWinPath = regexp.MustCompile(`\b[A-Za-z]:\\(?:[\w .-]+\\)*[\w.-]*`)
	reRelPath = regexp.MustCompile(`\b[\w.-]+/(?:[\w.-]+/)+[\w.-]*|\b[\w-]+/[\w-]+\.[A-Za-z][\w]{0,4}\b`)
)

// speakPaths replaces a file path by the name of what it points to:
// "/etc/ssl/openssl.cnf" → "openssl.cnf", "/usr/share/doc/" → "doc".
func speakPaths(s string) string {
	if !strings.ContainsAny(s, `/\`) {
		return s
	}
	base := func(p string) string {
		p = strings.TrimRight(strings.ReplaceAll(p, `\`, "/"), "/")
		p = strings.TrimRight(p, ".") // the sentence's full stop
		b := path.Base(p)
		if b == "." || b == "/" || b == ".." || b == "~" {
			return ""
		}
		return b
	}
	s = reAbsPath.ReplaceAllStringFunc(s, func(m string) string {
		lead := ""
		if m != "" && strings.ContainsAny(m[:1], " (\"'=") {
			lead, m = m[:1], m[1:]
		}
		trail := m[len(strings.TrimRight(m, ".")):]
		return lead + base(m) + trail
	})
	s = reWinPath.ReplaceAllStringFunc(s, base)
	return reRelPath.ReplaceAllStringFunc(s, func(m string) string {
		if strings.Count(m, "/") == 1 && !strings.ContainsAny(m, "._") {
			return m // "and/or", "TCP/IP", "read/write"
		}
		return base(m)
	})
}

// reOption matches a command-line option with its value: "--volno-file=FILE",
// "-L", "−−help", "-o <file>".
var reOption = regexp.MustCompile(`(^|[\s(\[,|{/])--?([A-Za-z][\w-]*)(=\S*|\[=[^\]]*\]|\s<[^>]*>)?`)

// speakOptions keeps an option's name, which is how people say it: "the
// −L option" → "the L option", "--check-device" → "check-device".
func speakOptions(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	return reOption.ReplaceAllStringFunc(s, func(m string) string {
		p := reOption.FindStringSubmatch(m)
		trail := ""
		if v := p[3]; v != "" {
			trail = v[len(strings.TrimRight(v, ".,;:!?)")):] // the sentence's, not the value's
		}
		return p[1] + p[2] + trail
	})
}

// codeChars are the characters that make a token look like code.
const codeChars = "{}[]()<>;=|&*^$@\\#!~`%"

var (
	reCall     = regexp.MustCompile(`([A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*)\([^()\s]*(?:\s[^()]*)?\)`)
	reQualName = regexp.MustCompile(`\b[A-Za-z_$][\w$]*(?:(?:::|->|\.)[A-Za-z_$][\w$]*)+\b`)
	reSnake    = regexp.MustCompile(`\b\w*[A-Za-z0-9]_\w*\b|\b_+\w+`)
	reCamel    = regexp.MustCompile(`\b[a-z]{2,}(?:[A-Z][a-z0-9]+)+\b`)
	reEnvVar   = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)
)

// knownTLDs tell a site name ("gnu.org") from code ("fs.readFile").
var knownTLDs = map[string]bool{"com": true, "org": true, "net": true, "io": true, "dev": true, "edu": true,
	"gov": true, "info": true, "de": true, "uk": true, "fr": true, "es": true, "it": true, "nl": true, "pt": true,
	"eu": true, "ch": true, "at": true, "be": true, "us": true, "ca": true, "au": true, "jp": true, "app": true}

// fileExts tell a file name ("README.md") from code.
var fileExts = map[string]bool{"md": true, "txt": true, "pdf": true, "html": true, "htm": true, "json": true,
	"yaml": true, "yml": true, "toml": true, "xml": true, "csv": true, "conf": true, "cnf": true, "cfg": true,
	"ini": true, "go": true, "js": true, "ts": true, "py": true, "c": true, "h": true, "cpp": true, "rs": true,
	"sh": true, "mp3": true, "wav": true, "png": true, "jpg": true, "gz": true, "tar": true, "zip": true,
	"deb": true, "so": true, "log": true, "css": true}

// speakCode reads identifiers as words and drops tokens that are mostly
// symbols. "fs.readFile()" → "fs read file", "std::vector" → "std vector",
// "OPENSSL_CONF" → "openssl conf", "#![deny(clippy::all)]" → "".
func speakCode(s string) string {
	if strings.Contains(s, "$") {
		s = reEnvVar.ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "(") {
		s = reCall.ReplaceAllStringFunc(s, func(m string) string {
			name := m[:strings.IndexByte(m, '(')]
			if !looksLikeCode(name) && !strings.HasSuffix(m, "()") {
				return m // "cell(s)", "word (gloss)" stay prose
			}
			return " " + name + " "
		})
	}
	fields := strings.Fields(s)
	for i, f := range fields {
		if len(f) > 1 && f[0] == '.' && unicode.IsLetter(rune(f[1])) {
			f = f[1:] // ".searchParams": a property
			fields[i] = f
		}
		core := strings.Trim(f, `.,;:!?"'“”‘’()`)
		if core == "" {
			continue
		}
		if symbolHeavy(core) && !operators[core] {
			fields[i] = strings.Replace(f, core, "", 1)
		}
	}
	s = strings.Join(fields, " ")
	s = reQualName.ReplaceAllStringFunc(s, func(m string) string {
		parts := strings.FieldsFunc(m, func(r rune) bool { return r == '.' || r == ':' || r == '-' || r == '>' })
		last := strings.ToLower(parts[len(parts)-1])
		if strings.Contains(m, ".") && !strings.Contains(m, "::") && !strings.Contains(m, "->") &&
			(knownTLDs[last] || fileExts[last] || len(parts[0]) == 1 && len(parts) == 2) {
			return m // a site, a file name or an abbreviation
		}
		return strings.Join(parts, " ")
	})
	if strings.Contains(s, "_") {
		s = reSnake.ReplaceAllStringFunc(s, speakSnake)
	}
	return reCamel.ReplaceAllStringFunc(s, splitCamel)
}

// looksLikeCode: a qualified name, an underscore, or a camelCase word.
func looksLikeCode(name string) bool {
	return strings.ContainsAny(name, "._$:>") || reCamel.MatchString(name) || strings.ContainsFunc(name[1:], unicode.IsUpper) && unicode.IsLower(rune(name[0]))
}

// symbolHeavy: a token of which a quarter or more is code punctuation, with
// at least two such characters ("#![deny(clippy::all)]", "{...}", "&&=").
func symbolHeavy(tok string) bool {
	sym, n := 0, 0
	for _, r := range tok {
		n++
		if strings.ContainsRune(codeChars, r) || r == ':' {
			sym++
		}
	}
	return sym >= 2 && sym*4 >= n
}

// operators are said as words by speakSymbols, not dropped as code.
var operators = map[string]bool{"==": true, "===": true, ":=": true, "&&": true, "||": true, "->": true,
	"=>": true, "<=": true, ">=": true, "!=": true}

// acronyms stay in capitals inside identifiers, so a voice spells them.
var acronyms = map[string]bool{"API": true, "URL": true, "URI": true, "CPU": true, "GPU": true, "IO": true,
	"UI": true, "ID": true, "USB": true, "DNS": true, "TCP": true, "UDP": true, "IP": true, "SSL": true,
	"TLS": true, "HTTP": true, "HTTPS": true, "XML": true, "JSON": true, "UTF": true, "OS": true, "TTY": true,
	"PID": true, "UID": true, "GID": true, "SQL": true, "AES": true, "RSA": true, "EOF": true}

// speakSnake reads snake_case: the parts as words, all-capital parts that
// are not acronyms in lower case so a voice says them as words, and digits
// joined with a hyphen ("x86_64" → "x86-64").
func speakSnake(m string) string {
	parts := strings.FieldsFunc(m, func(r rune) bool { return r == '_' })
	if len(parts) == 0 {
		return ""
	}
	for i, p := range parts {
		if len(p) >= 3 && strings.ToUpper(p) == p && strings.ContainsAny(p, "AEIOUY") && !acronyms[p] {
			parts[i] = strings.ToLower(p)
		}
	}
	out := parts[0]
	for i := 1; i < len(parts); i++ {
		prev, cur := parts[i-1], parts[i]
		if unicode.IsDigit(rune(prev[len(prev)-1])) && unicode.IsDigit(rune(cur[0])) {
			out += "-" + cur
		} else {
			out += " " + cur
		}
	}
	return out
}

// splitCamel reads "readFile" as "read file" and "getElementById" as "get
// element by id".
func splitCamel(m string) string {
	var b strings.Builder
	for i, r := range m {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	reHashNumber = regexp.MustCompile(`#(\d)`)
	reSharp      = regexp.MustCompile(`\b([CF])#`)
	reTilde      = regexp.MustCompile(`~\s?(\d)`)
	reAssign     = regexp.MustCompile(`(\w)\s?(?:==|=)\s?(\w)`)
)

// speakHash reads "C#" as "C sharp" and, in English, "#42" as "number 42",
// before the numbers are written out.
func speakHash(s, lang string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	s = reSharp.ReplaceAllString(s, "$1 sharp")
	if lang == "en" {
		s = reHashNumber.ReplaceAllString(s, "number $1")
	}
	return s
}

// speakSymbols says the operators a person would say and drops the rest.
func speakSymbols(s, lang string) string {
	lw, known := wordsFor(lang)
	say := func(w string) string {
		if !known {
			return " "
		}
		return " " + w + " "
	}
	if strings.Contains(s, "~") {
		s = reTilde.ReplaceAllString(s, "about $1")
	}
	fields := strings.Fields(s)
	for i, f := range fields {
		switch f {
		case "=", "==", "===", ":=":
			fields[i] = say(lw.equals)
		case "&&", "&", "and/or":
			fields[i] = say(lw.and)
		case "||":
			fields[i] = say(lw.or)
		case "->", "=>", "→", "⇒":
			fields[i] = say(lw.to)
		case "+":
			fields[i] = say(lw.plus)
		case "×", "*":
			fields[i] = say(lw.times)
		case "≤", "<=", "≥", ">=", "<", ">", "!=", "≠", "|", "/", "\\", "^":
			fields[i] = " "
		}
	}
	s = strings.Join(fields, " ")
	if strings.Contains(s, "=") {
		s = reAssign.ReplaceAllString(s, "$1"+say(lw.equals)+"$2")
	}
	if strings.Contains(s, "&") && known {
		s = strings.ReplaceAll(s, "&", " "+lw.and+" ")
	}
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("{}[]<>|*\\=^`#_~", r) {
			return ' '
		}
		return r
	}, s)
}
