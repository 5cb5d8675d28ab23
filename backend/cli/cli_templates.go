package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"podcastfy/backend/store"
	"podcastfy/backend/template"
)

func runTemplates(e *env, args []string) int {
	return runGroup(e, "templates", "List, show and check podcast templates.", []subcommand{
		{"list", "[--json]", "list the built-in and your own templates", runTemplatesList},
		{"show", "ID [--json]", "print one template as YAML", runTemplatesShow},
		{"validate", "FILE...", "check template files before installing them", runTemplatesValidate},
	}, args)
}

func runTemplatesList(e *env, args []string) int {
	f := newFlags("templates list", "[--json]",
		`Lists the built-in templates and your own (the *.yaml files in the
templates folder; see podcastfy paths). Files with errors are reported on
stderr and make the exit status 1.`)
	asJSON := f.Bool("json", false, "print JSON instead of a table")
	if _, code, ok := f.parse(e, args, 0, 0); !ok {
		return code
	}
	d, err := e.openStore()
	if err != nil {
		return e.fail(err)
	}
	list, problems := d.Store.Templates().List()
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(list); err != nil {
			return e.fail(err)
		}
	} else if err := printTemplates(e.stdout, list); err != nil {
		return e.fail(err)
	}
	for _, p := range problems {
		fmt.Fprintf(e.stderr, "podcastfy: %v\n", p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "podcastfy: %d template file(s) skipped; fix them, then check with podcastfy templates validate FILE\n", len(problems))
		return exitFailure
	}
	return exitOK
}

func printTemplates(w io.Writer, list []template.Template) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSOURCE\tSPEAKERS\tMINUTES\tLANGUAGE")
	for _, t := range list {
		source := "yours"
		if t.BuiltIn {
			source = "built-in"
		}
		speakers := make([]string, len(t.Speakers))
		for i, s := range t.Speakers {
			speakers[i] = s.Name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%g\t%s\n", t.ID, t.Name, source, strings.Join(speakers, ", "), t.Minutes, t.Language)
	}
	return tw.Flush()
}

func runTemplatesShow(e *env, args []string) int {
	f := newFlags("templates show", "ID [--json]", "Prints one template as YAML (the format of a template file), or JSON.")
	asJSON := f.Bool("json", false, "print JSON instead of YAML")
	pos, code, ok := f.parse(e, args, 1, 1)
	if !ok {
		return code
	}
	d, err := e.openStore()
	if err != nil {
		return e.fail(err)
	}
	t, err := d.Store.Templates().Get(pos[0])
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
		return e.fail(fmt.Errorf("no template %q (see podcastfy templates list)", pos[0]))
	}
	if err != nil {
		return e.fail(err)
	}
	var out []byte
	if *asJSON {
		out, err = json.MarshalIndent(t, "", "  ")
		out = append(out, '\n')
	} else {
		out, err = template.Marshal(t)
	}
	if err != nil {
		return e.fail(err)
	}
	if _, err := e.stdout.Write(out); err != nil {
		return e.fail(err)
	}
	return exitOK
}

func runTemplatesValidate(e *env, args []string) int {
	f := newFlags("templates validate", "FILE...",
		`Checks template files: YAML syntax, known keys, and values. Each problem
is printed as FILE:LINE: message. The exit status is 1 if any file has one.`)
	files, code, ok := f.parse(e, args, 1, -1)
	if !ok {
		return code
	}
	failed := 0
	for _, name := range files {
		if err := validateTemplateFile(name); err != nil {
			fmt.Fprintln(e.stderr, err)
			failed++
			continue
		}
		fmt.Fprintf(e.stdout, "%s: ok\n", name)
	}
	if failed > 0 {
		fmt.Fprintf(e.stderr, "podcastfy: %d of %d template file(s) have errors\n", failed, len(files))
		return exitFailure
	}
	return exitOK
}

func validateTemplateFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	// Read one byte past the limit so Parse reports an oversized file.
	data, err := io.ReadAll(io.LimitReader(f, template.MaxFileBytes+1))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	_, err = template.Parse(name, data)
	return err
}
