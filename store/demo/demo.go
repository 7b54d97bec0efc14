// Package demo builds the demo project a new user opens first: the bundled
// 60 s Strange Situation clip and two coders' observations of it (alice and
// ben, who disagree here and there, so the agreement view has something to
// show), in the user's data directory.
//
// The project is built once. Ensure never touches an existing demo.dyad, so
// a user's edits to the demo survive; deleting the file (or the folder)
// brings a fresh one back on the next start. A build happens in a private
// temporary folder and appears under its final name with one link, so
// another process (a second window, `dyadcode demo`) sees either no demo or
// a complete one, never a half-written file.
package demo

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
	"dyadcode/assets"
	"dyadcode/store"
)

// Names inside the data directory.
const (
	Dir     = "demo"
	Project = "demo.dyad"
	Video   = "session.mp4"
)

// Coders are the bundled observations, imported in this order (observation
// IDs 1 and 2).
var Coders = []string{"alice", "ben"}

// ProbeFunc reads a video's duration, frame rate and frame count (the
// application layer passes FFmpeg's probe). Without one the facts of the
// bundled clip are recorded: 60 s, 25 fps, 1500 frames.
type ProbeFunc func(path string) (annotate.Video, error)

// The bundled clip, as `ffprobe -count_packets` reports it.
var (
	clipDuration = 60 * annotate.Second
	clipRate     = annotate.Rate{Num: 25, Den: 1}
	clipFrames   = int64(1500)
)

// DataDir is where dyadcode keeps per-user data. On Windows that is
// %LOCALAPPDATA%\dyadcode (C:\Users\NAME\AppData\Local\dyadcode), where
// Windows programs keep per-machine user data that does not roam; elsewhere
// $XDG_DATA_HOME/dyadcode, or ~/.local/share/dyadcode when XDG_DATA_HOME is
// unset or not absolute (as the XDG base directory specification says to
// treat it).
func DataDir() (string, error) {
	return dataDir(runtime.GOOS, os.Getenv, os.UserHomeDir)
}

// dataDir is DataDir for a given OS and environment, so every OS's rule is
// tested on any OS. It joins with the separator of goos, not of the running
// OS, so the Windows answer is a Windows path even when computed on Linux.
func dataDir(goos string, getenv func(string) string, home func() (string, error)) (string, error) {
	if goos == "windows" {
		// Set by Windows for every user session; a relative value is not
		// a place to write (the same rule as for XDG_DATA_HOME).
		if d := getenv("LOCALAPPDATA"); isWindowsAbs(d) {
			return strings.TrimRight(d, `\/`) + `\dyadcode`, nil
		}
		h, err := home() // %USERPROFILE%
		if err != nil || !isWindowsAbs(h) {
			return "", fmt.Errorf("find the data directory: LOCALAPPDATA is not set and no user profile folder (%v)", err)
		}
		return strings.TrimRight(h, `\/`) + `\AppData\Local\dyadcode`, nil
	}
	if x := getenv("XDG_DATA_HOME"); x != "" && path.IsAbs(x) {
		return path.Join(x, "dyadcode"), nil
	}
	h, err := home()
	if err != nil {
		return "", fmt.Errorf("find the data directory: %w", err)
	}
	return path.Join(h, ".local", "share", "dyadcode"), nil
}

// isWindowsAbs: a drive path (C:\ or C:/) or a UNC share (\\server\share).
func isWindowsAbs(p string) bool {
	if len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') {
		c := p[0] | 0x20
		return c >= 'a' && c <= 'z'
	}
	return strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//")
}

// Ensure makes dataDir/demo/demo.dyad, with session.mp4 beside it and
// alice's and ben's observations imported, unless it exists; it returns
// the project's path either way. A missing session.mp4 next to an existing
// project is restored. probe (may be nil) reads the clip's timing.
func Ensure(dataDir string, probe ProbeFunc) (string, error) {
	dir := filepath.Join(dataDir, Dir)
	path := filepath.Join(dir, Project)
	video := filepath.Join(dir, Video)
	if _, err := os.Stat(path); err == nil {
		if _, err := os.Stat(video); errors.Is(err, fs.ErrNotExist) {
			if err := restoreVideo(dir, video); err != nil {
				return "", err
			}
		}
		return path, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("demo project: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("demo project: %w", err)
	}
	removeStaleBuilds(dir)
	tmp, err := os.MkdirTemp(dir, ".build-*")
	if err != nil {
		return "", fmt.Errorf("demo project: %w", err)
	}
	defer os.RemoveAll(tmp)
	tmpVideo := filepath.Join(tmp, Video)
	if err := copyAsset(Dir+"/"+Video, tmpVideo); err != nil {
		return "", err
	}
	tmpProject := filepath.Join(tmp, Project)
	if err := build(tmpProject, tmpVideo, video, probe); err != nil {
		return "", err
	}
	// The video first, so the project never appears without it.
	if _, err := os.Stat(video); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmpVideo, video); err != nil {
			return "", fmt.Errorf("demo project: %w", err)
		}
	}
	if err := publish(tmpProject, path); err != nil {
		return "", err
	}
	return path, nil
}

// staleBuild is how old a build folder must be to count as left behind
// by a crash; a real build takes well under a second.
const staleBuild = 10 * time.Minute

// removeStaleBuilds deletes build folders that a crashed process left, so
// they do not pile up a clip each.
func removeStaleBuilds(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), ".build-") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleBuild {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// publish gives the finished project its final name without ever
// replacing a file there: a hard link fails if the name exists, so when
// two processes race, the first one's demo stays and the second uses it.
func publish(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil, errors.Is(err, fs.ErrExist):
		return nil
	}
	// No hard links on this file system: rename, after a last look.
	if _, serr := os.Stat(path); serr == nil {
		return nil
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("demo project: %w", err)
	}
	return nil
}

// build creates the project at path with the video recorded at its final
// place (finalVideo) but fingerprinted from the copy at video.
func build(path, video, finalVideo string, probe ProbeFunc) error {
	p, err := store.Create(path, annotate.DefaultScheme())
	if err != nil {
		return fmt.Errorf("demo project: %w", err)
	}
	err = fill(p, video, finalVideo, probe)
	if cerr := p.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("demo project: %w", cerr)
	}
	return err
}

func fill(p *store.Project, video, finalVideo string, probe ProbeFunc) error {
	fp, size, err := store.Fingerprint(video)
	if err != nil {
		return fmt.Errorf("demo project: %w", err)
	}
	v := annotate.Video{Path: finalVideo, Size: size, Fingerprint: fp, Duration: clipDuration, Rate: clipRate, Frames: clipFrames}
	if probe != nil {
		if info, err := probe(video); err == nil && info.Duration > 0 {
			v.Duration, v.Rate, v.Frames = info.Duration, info.Rate, info.Frames
		}
	}
	if v, err = p.AddVideo(v); err != nil {
		return fmt.Errorf("demo project: %w", err)
	}
	scheme := p.Scheme()
	for _, coder := range Coders {
		name := Dir + "/" + coder + ".csv"
		f, err := assets.Demo.Open(name)
		if err != nil {
			return fmt.Errorf("demo project: %w", err)
		}
		recs, err := csvio.Read(f, name, scheme)
		f.Close()
		if err != nil {
			return fmt.Errorf("demo project: bundled %w", err)
		}
		for _, r := range recs {
			if _, err := p.ImportObservation(v.ID, r.Obs); err != nil {
				return fmt.Errorf("demo project: %w", err)
			}
		}
	}
	return nil
}

func restoreVideo(dir, video string) error {
	tmp, err := os.CreateTemp(dir, ".session-*.mp4")
	if err != nil {
		return fmt.Errorf("demo video: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := copyAsset(Dir+"/"+Video, tmp.Name()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), video); err != nil {
		return fmt.Errorf("demo video: %w", err)
	}
	return nil
}

// copyAsset writes a bundled file to dest, synced, so a crash right after
// does not leave a project pointing at a truncated video.
func copyAsset(name, dest string) error {
	src, err := assets.Demo.Open(name)
	if err != nil {
		return fmt.Errorf("demo: bundled %s: %w", name, err)
	}
	defer src.Close()
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return fmt.Errorf("demo: write %s: %w", dest, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("demo: write %s: %w", dest, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("demo: write %s: %w", dest, err)
	}
	return nil
}
