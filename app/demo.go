package app

import (
	"dyadcode/annotate"
	"dyadcode/store/demo"
)

// DataDir is where dyadcode keeps per-user data (the demo project):
// $XDG_DATA_HOME/dyadcode, else ~/.local/share/dyadcode.
func DataDir() (string, error) { return demo.DataDir() }

// EnsureDemo makes the demo project in dataDir ("" for DataDir()) once,
// recording the clip's timing as pr reads it, and returns its path.
func EnsureDemo(dataDir string, pr Prober) (string, error) {
	if dataDir == "" {
		d, err := demo.DataDir()
		if err != nil {
			return "", err
		}
		dataDir = d
	}
	var probe func(string) (annotate.Video, error)
	if pr != nil {
		probe = pr.Probe
	}
	return demo.Ensure(dataDir, probe)
}
