// Command dyadcode codes video of caregiver–child interaction. With no
// arguments it opens the coding window; subcommands do the same work
// headless (see `dyadcode help`).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	// First import: quiets Fyne's locale warnings under LANG=C.UTF-8
	// before Fyne's packages initialise (see the package comment).
	_ "dyadcode/cmd/dyadcode/internal/clocale"

	"dyadcode/app"
	"dyadcode/ui"
	// On Windows: attach to the console the command was typed in, since
	// the exe is a GUI-subsystem program (see the package comment).
	_ "dyadcode/cmd/dyadcode/internal/winconsole"
)

// command is one subcommand. Each lives in its own cmd_*.go file and
// registers itself from init, so adding a command touches no other file.
type command struct {
	name    string
	args    string // synopsis after the name, e.g. "PROJECT.dyad VIDEO"
	summary string
	// run does the work. Flags are parsed by run itself (newFlags helps);
	// a usageError makes the exit code 2 and prints the synopsis.
	run func(env *cmdEnv, args []string) error
}

// cmdEnv carries the process's streams and the program's dependencies, so
// tests can run commands in-process with their own.
type cmdEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// engine is the media engine the commands and the window use.
	engine app.Engine
	// gui opens the coding window and returns when it is closed.
	gui func(ui.Options) error
}

// withDefaults fills what a test's env leaves out: the silent media
// engine and the real window.
func (env *cmdEnv) withDefaults() *cmdEnv {
	e := *env
	if e.engine == nil {
		e.engine = app.Media{}
	}
	if e.gui == nil {
		e.gui = ui.Run
	}
	return &e
}

// openWindow opens the coding window with env's media engine.
func (env *cmdEnv) openWindow(opt ui.Options) error {
	opt.Engine = env.engine
	return env.gui(opt)
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("dyadcode: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError is a mistake in the command line rather than in the work.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// newFlags makes a flag set that reports errors instead of exiting, prints
// its help on --help, and writes to the command's stderr.
func newFlags(env *cmdEnv, c *command) *flag.FlagSet {
	fs := flag.NewFlagSet("dyadcode "+c.name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: dyadcode %s %s\n\n%s\n", c.name, c.args, c.summary)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(env.stderr, "\noptions:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args allowing flags after positional arguments too
// (`dyadcode export P.dyad -o out.csv`), which the standard flag package
// stops at. It returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// errHelp ends a command successfully after --help printed the usage.
var errHelp = errors.New("help shown")

// run is main without os.Exit, for tests: it returns the exit code.
func run(args []string, env *cmdEnv) int {
	env = env.withDefaults()
	if len(args) == 0 {
		if err := env.openWindow(ui.Options{}); err != nil {
			fmt.Fprintf(env.stderr, "dyadcode: %v\n", err)
			return 1
		}
		return 0
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		printHelp(env.stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.stderr, "dyadcode: unknown command %q (see 'dyadcode help')\n", name)
		return 2
	}
	err := c.run(env, args[1:])
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(env.stderr, "dyadcode %s: %v\nusage: dyadcode %s %s\n", name, err, name, c.args)
		return 2
	default:
		fmt.Fprintf(env.stderr, "dyadcode %s: %v\n", name, err)
		return 1
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "dyadcode codes video of caregiver–child interaction.")
	fmt.Fprintln(w, "\nusage:\n  dyadcode                 open the coding window")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  dyadcode %s %s\n      %s\n", n, c.args, firstLine(c.summary))
	}
	fmt.Fprintln(w, "\n'dyadcode COMMAND --help' shows a command's options.")
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

func main() {
	// The one place the program's dependencies are made: FFmpeg with
	// sound for the window, and the Fyne window itself.
	os.Exit(run(os.Args[1:], &cmdEnv{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		engine: app.Media{Audio: true},
		gui:    ui.Run,
	}))
}
