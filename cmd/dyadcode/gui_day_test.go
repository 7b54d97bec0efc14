package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dyadcode/media/mediatest"
)

// video30 is 10 s of 30 fps H.264 in MP4: the muxer's time base 1/15360
// puts frame 239 at 7.9666… s, which FFmpeg rounds to 7.966667 s.
var video30 = mediatest.Spec{Name: "day30", Ext: ".mp4", Frames: 300, Args: []string{
	"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "10",
	"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"}}

// codedProject makes a project with one 30 fps video and returns its path.
func codedProject(g *guiEnv) string {
	g.t.Helper()
	video := mediatest.Copy(g.t, video30, g.dir, "session.mp4")
	proj := filepath.Join(g.dir, "study.dyad")
	g.cli("new", proj)
	g.cli("add-video", proj, video)
	return proj
}

// Item 5: left at #239 of a 30 fps video, reopened at #238. The coder goes
// to frame 239, quits, reopens and tags a smile without moving: the smile
// must be on frame 239.
func TestGUIResumeExactFrame(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.keys("ctrl+g")
	a.typeText("#239")
	a.keys("Return")
	a.quit()
	a = g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.keys("m")
	a.quit()
	got := g.events(proj)
	if want := []string{"dana smile 7.966667-7.966667"}; !slices.Equal(got, want) {
		t.Errorf("after resuming, the smile is at %v, want frame 239: %v\napp log:\n%s", got, want, a.Log())
	}
}

// importCSV imports a minimal behavior,start_s,end_s CSV as coder's
// observation of the project's session.mp4.
func importCSV(g *guiEnv, proj, coder, rows string) {
	g.t.Helper()
	f := filepath.Join(g.dir, coder+".csv")
	if err := os.WriteFile(f, []byte("behavior,start_s,end_s\n"+rows), 0o644); err != nil {
		g.t.Fatal(err)
	}
	g.cli("import", proj, "--coder", coder, "--video", "session.mp4", f)
}

// Item 2: "Dana " (capital, trailing space) started a new empty
// observation instead of resuming dana's.
func TestGUICoderNameResumes(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "smile,1.000000,1.000000\nexplore,2.000000,4.000000\n")
	a := g.start("dana", "open", "--coder", "Dana ", "--video", "session.mp4", proj)
	a.keys("v") // a vocalization at frame 0
	a.quit()
	got := g.events(proj)
	want := []string{"dana vocalize 0.000000-0.000000", "dana smile 1.000000-1.000000", "dana explore 2.000000-4.000000"}
	if !slices.Equal(got, want) {
		t.Errorf("after coding as %q the project holds\n%s\nwant dana's one observation:\n%s\napp log:\n%s",
			"Dana ", strings.Join(got, "\n"), strings.Join(want, "\n"), a.Log())
	}
}

// Item 6: correcting from the keyboard. Ctrl+Down selects the next event
// (and shows its start), Ctrl+] sets the selected event's end to the frame
// on screen, Ctrl+Up selects the previous one, Ctrl+[ sets its start.
func TestGUICorrectFromKeyboard(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "smile,1.000000,1.000000\nexplore,2.000000,4.000000\n")
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.keys("Home")
	a.keys("ctrl+Down", "ctrl+Down") // smile, then explore, at 2.0 s
	a.keys("ctrl+g")
	a.typeText("5")
	a.keys("Return")
	a.keys("ctrl+bracketright") // explore now ends at 5.0 s
	a.keys("ctrl+Up")           // smile, at 1.0 s
	a.keys("Right", "Right", "Right")
	a.keys("ctrl+bracketleft") // the smile moves to frame 33 (1.1 s)
	a.quit()
	got := g.events(proj)
	want := []string{"dana smile 1.100000-1.100000", "dana explore 2.000000-5.000000"}
	if !slices.Equal(got, want) {
		t.Errorf("after correcting from the keyboard the project holds\n%s\nwant\n%s\napp log:\n%s",
			strings.Join(got, "\n"), strings.Join(want, "\n"), a.Log())
	}
}

// colourBox finds the pixels of colour c on a screenshot and returns their
// bounding box (ok false when there are none), scanning only r.
func colourBox(t *testing.T, path string, c color.RGBA, r image.Rectangle) (image.Rectangle, bool) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	box := image.Rectangle{Min: image.Pt(b.Max.X, b.Max.Y)}
	found := false
	b = b.Intersect(r)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
				found = true
				box.Min.X, box.Min.Y = min(box.Min.X, x), min(box.Min.Y, y)
				box.Max.X, box.Max.Y = max(box.Max.X, x+1), max(box.Max.Y, y+1)
			}
		}
	}
	return box, found
}

// Item 3: dragging distress's end past calm's start was accepted, leaving
// two states of the exclusive group "affect" overlapping. The drag stops at
// calm's start, and the window says why.
func TestGUIDragIntoExclusiveMate(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "distress,2.000000,5.000000\ncalm,5.000000,8.000000\n")
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.keys("ctrl+0")
	shot := filepath.Join(g.shots(), "drag.png")
	a.shot(shot)
	distress := color.RGBA{0xd6, 0x27, 0x28, 0xff}
	// The timeline's lanes: below the video, right of the label column
	// (which shows the same colour as a swatch).
	box, ok := colourBox(t, shot, distress, image.Rect(200, 500, 925, 768))
	if !ok {
		t.Fatalf("no distress bar on the timeline (screenshot %s)", shot)
	}
	y := strconv.Itoa((box.Min.Y + box.Max.Y) / 2)
	a.xdo("mousemove", strconv.Itoa((box.Min.X+box.Max.X)/2), y, "click", "1") // select distress
	time.Sleep(300 * time.Millisecond)
	end := box.Max.X - 1
	a.xdo("mousemove", strconv.Itoa(end), y, "mousedown", "1")
	for dx := 10; dx <= 120; dx += 10 {
		a.xdo("mousemove", strconv.Itoa(end+dx), y)
		time.Sleep(30 * time.Millisecond)
	}
	a.xdo("mouseup", "1")
	time.Sleep(500 * time.Millisecond)
	a.shot(filepath.Join(g.shots(), "dragged.png"))
	a.quit()
	got := g.events(proj)
	want := []string{"dana distress 2.000000-5.000000", "dana calm 5.000000-8.000000"}
	if !slices.Equal(got, want) {
		t.Errorf("after dragging distress's end over calm the project holds\n%s\nwant\n%s\nscreenshots in %s\napp log:\n%s",
			strings.Join(got, "\n"), strings.Join(want, "\n"), g.dir, a.Log())
	}
	if log := a.Log(); !strings.Contains(log, "distress") || !strings.Contains(log, "calm") {
		t.Errorf("the window did not say why the drag stopped (naming distress and calm):\n%s", log)
	}
}

// Item 1: File ▸ New project in the open project's folder proposed the
// open project's name; Save and "Overwrite? Yes" replaced the coded
// project with an empty one. The new-project dialog proposes a free name
// in the open project's folder and refuses an existing project, naming it.
func TestGUINewProjectNeverOverwrites(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "smile,1.000000,1.000000\nexplore,2.000000,4.000000\n")
	before := g.events(proj)
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.keys("ctrl+n")
	a.keys("ctrl+a")
	a.typeText("study")
	a.keys("Return")
	a.waitLog("study.dyad already exists")
	a.keys("Return") // what a user would press next: Yes, if anything asked
	a.keys("Escape")
	// The proposed name is free and lands beside the open project.
	a.keys("ctrl+n")
	a.keys("Return")
	waitWindow(t, a.env, "study 2", a.Log)
	a.quit()
	if _, err := os.Stat(filepath.Join(g.dir, "study 2.dyad")); err != nil {
		t.Errorf("the proposed new project was not created beside the open one: %v\napp log:\n%s", err, a.Log())
	}
	if got := g.events(proj); !slices.Equal(got, before) {
		t.Errorf("New project over the open project changed it:\n%s\nwas\n%s\napp log:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"), a.Log())
	}
}

// Item 6 (the table and the comment): after a click on a row of the
// events table, ↓ selects the next row (it changed the speed) and Enter
// takes the video there (it did nothing); the comment dialog saves with
// Ctrl+Return (Return adds a line).
func TestGUITableKeysAndComment(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "smile,1.000000,1.000000\nexplore,2.000000,4.000000\n")
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.xdo("mousemove", "1000", "463", "click", "1") // the first row: smile
	time.Sleep(800 * time.Millisecond)              // a single click waits out the double-click delay
	a.keys("Down", "Return")                        // explore, and the video at 2.0 s
	a.keys("v")                                     // a vocalization there
	a.keys("ctrl+m")
	a.typeText("loud")
	a.keys("Return")
	a.typeText("then quiet")
	a.keys("ctrl+Return")
	a.quit()
	got := g.events(proj)
	want := []string{"dana smile 1.000000-1.000000", "dana explore 2.000000-4.000000", "dana vocalize 2.000000-2.000000"}
	if !slices.Equal(got, want) {
		t.Errorf("after ↓ and Enter in the table and a tag the project holds\n%s\nwant\n%s\napp log:\n%s",
			strings.Join(got, "\n"), strings.Join(want, "\n"), a.Log())
	}
	if out := g.cli("export", proj); !strings.Contains(out, "loud\nthen quiet") && !strings.Contains(out, `"loud`) {
		t.Errorf("the comment typed and saved with Ctrl+Return is not in the project:\n%s", out)
	}
}

// Item 4: making smile a state while an observation holds a smile said
// "Scheme saved", warned of nothing and could not be undone. The editor
// lists what would break and saves nothing; a harmless change saves, and
// Ctrl+Shift+K undoes it.
func TestGUISchemeEditorBreaksAndUndo(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "smile,1.000000,1.000000\n")
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	click := func(x, y int) {
		a.xdo("mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "1")
		time.Sleep(400 * time.Millisecond)
	}
	// The editor is 820×520, centred on the 1366×768 window: smile is the
	// seventh row of the list, the kind radios and Save are in the form.
	a.keys("ctrl+k")
	click(400, 351) // smile
	click(791, 230) // state
	click(723, 595) // Save
	a.waitLog("smile: point → state, but its 1 points would become states of no duration (dana)")
	click(726, 230) // point again
	click(890, 200) // the name
	a.keys("ctrl+a")
	a.typeText("Smiles at caregiver")
	click(723, 595) // Save
	a.waitLog("Scheme saved")
	a.keys("ctrl+shift+k")
	a.waitLog("Scheme change undone")
	a.quit()
	schemeJSON := g.cli("scheme", proj, "--export", "-")
	if strings.Contains(schemeJSON, "Smiles at caregiver") || !strings.Contains(schemeJSON, `"code": "smile", "name": "Smile"`) && !strings.Contains(schemeJSON, `"name": "Smile"`) {
		t.Errorf("after the undo the scheme is not the original:\n%s", schemeJSON)
	}
	if got := g.events(proj); !slices.Equal(got, []string{"dana smile 1.000000-1.000000"}) {
		t.Errorf("coded data changed: %v", got)
	}
}

// windows lists the ids of the windows whose title contains name.
func (a *guiApp) windows(name string) []string {
	cmd := exec.Command("xdotool", "search", "--name", name)
	cmd.Env = a.env
	out, _ := cmd.Output()
	return strings.Fields(string(out))
}

// Item 7: the supervisor's view pulled the coder's window. Its Export CSV
// dialog opened in the main window, hidden behind it, and confirmed
// nothing; a click on a disagreement moved the coder's playhead (and so
// where the coder resumes); every Compare opened one more window.
func TestGUIAgreementWindowIsItsOwn(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "smile,1.000000,1.000000\nexplore,2.000000,4.000000\n")
	importCSV(g, proj, "ben", "smile,3.000000,3.000000\nexplore,2.500000,4.000000\n")
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	click := func(x, y int) {
		a.xdo("mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "1")
		time.Sleep(500 * time.Millisecond)
	}
	a.keys("ctrl+shift+a")
	click(417, 510) // Compare, in the picker over the coding window
	time.Sleep(time.Second)
	if w := a.windows("Agreement"); len(w) != 1 {
		t.Fatalf("%d agreement windows after one Compare\n%s", len(w), a.Log())
	}
	// Without a window manager the agreement window sits at the top left,
	// 980×620 plus its menu-less frame: its Disagreements tab, the third
	// row (explore at 2 s) and Export CSV… are at fixed places.
	click(175, 363)  // Disagreements
	click(300, 525)  // the explore disagreement at 2.0 s
	click(728, 19)   // Export CSV…
	a.keys("Return") // the proposed agreement.csv, in the dialog over the agreement window
	a.waitLog("saved ")
	if _, err := os.Stat(filepath.Join(g.dir, "home", "agreement.csv")); err != nil {
		t.Errorf("Export CSV saved nothing where it said: %v\n%s", err, a.Log())
	}
	a.keys("Return") // acknowledge "Saved to …"
	main := a.windows("dyadcode — study")
	if len(main) != 1 {
		t.Fatalf("coding window: %v", main)
	}
	a.xdo("windowfocus", main[0])
	time.Sleep(300 * time.Millisecond)
	a.keys("v") // tags where the coder's playhead is: still 0, not the disagreement's 2 s
	a.keys("ctrl+shift+a")
	time.Sleep(time.Second)
	a.shot(filepath.Join(g.shots(), "agreement-again.png"))
	click(278, 450) // Compare, in the picker now over the agreement window
	time.Sleep(time.Second)
	if w := a.windows("Agreement"); len(w) != 1 {
		t.Errorf("%d agreement windows after a second Compare, want the one reused", len(w))
	}
	a.xdo("windowfocus", main[0])
	time.Sleep(300 * time.Millisecond)
	a.quit()
	got := g.events(proj)
	if !slices.Contains(got, "dana vocalize 0.000000-0.000000") {
		t.Errorf("the coder's playhead moved with the supervisor's click: %v\n%s", got, a.Log())
	}
}

// Item 8: check-back tagged three times by two coders, a slice or two
// apart, showed slice κ near zero and a list of "disagreements". The view
// judges a point by its onsets: its table says 3 of 3 matched. The table
// is read back the way a supervisor would take it away: Copy table, pasted
// into a comment in the coding window.
func TestGUIAgreementJudgesPointsByOnsets(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "check_back,1.000000,1.000000\ncheck_back,4.000000,4.000000\ncheck_back,7.000000,7.000000\n")
	importCSV(g, proj, "ben", "check_back,1.100000,1.100000\ncheck_back,4.150000,4.150000\ncheck_back,6.900000,6.900000\n")
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	click := func(x, y int) {
		a.xdo("mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "1")
		time.Sleep(500 * time.Millisecond)
	}
	a.keys("ctrl+shift+a")
	click(417, 510) // Compare
	time.Sleep(time.Second)
	a.shot(filepath.Join(g.shots(), "agreement-points.png"))
	click(1043, 19) // Copy table
	main := a.windows("dyadcode — study")
	a.xdo("windowfocus", main[0])
	time.Sleep(300 * time.Millisecond)
	a.keys("ctrl+Down", "ctrl+m", "ctrl+v", "ctrl+Return")
	a.quit()
	out := g.cli("export", proj)
	if !strings.Contains(out, "3 of 3 onsets matched") {
		t.Errorf("the agreement table does not judge check_back by its onsets:\n%s\napp log:\n%s", out, a.Log())
	}
}

// Item 9 (go to): Ctrl+G lost the keyboard after an invalid entry,
// accepted "99:99" and called a typo a message "for the maintainers". The
// dialog says what is wrong, keeps the cursor in the entry, and refuses a
// time past the end of the video.
func TestGUIGoToKeepsTheEntry(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.keys("ctrl+g")
	a.typeText("99:99")
	a.keys("Return")
	a.waitLog("seconds after a colon run from 0 to 59")
	a.keys("ctrl+a")
	a.typeText("20")
	a.keys("Return")
	a.waitLog("past the end of the video")
	a.keys("ctrl+a") // still in the entry: correct it
	a.typeText("#30")
	a.keys("Return")
	a.keys("m") // a smile on frame 30
	a.quit()
	if got := g.events(proj); !slices.Equal(got, []string{"dana smile 1.000000-1.000000"}) {
		t.Errorf("after correcting the go-to entry the smile is at %v, want frame 30 (1.0 s)\n%s", got, a.Log())
	}
	if strings.Contains(a.Log(), "maintainers") {
		t.Errorf("a typo was reported as a failure:\n%s", a.Log())
	}
}

// Item 9 (running states): a state still running at the end of the video
// passed without a word in the coding view. Reaching the last frame names
// it and says how it counts.
func TestGUIRunningStateAtEndIsNamed(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.keys("e") // explore starts at frame 0
	a.keys("End")
	a.waitLog("Still running at the end of the video: explore (from 00:00:00.000)")
	a.quit()
}

// Item 9 (missing video): the message sent the coder to the command line
// (dyadcode relocate), though Add video… relinks by content. The window
// asks where the video is, starts the chooser beside the project, and
// relinks the file picked there.
func TestGUIMissingVideoRelinks(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	moved := filepath.Join(g.dir, "moved")
	if err := os.Mkdir(moved, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(g.dir, "session.mp4"), filepath.Join(moved, "session.mp4")); err != nil {
		t.Fatal(err)
	}
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.waitLog("missing video: " + filepath.Join(g.dir, "session.mp4"))
	dbl := func(x, y int) {
		a.xdo("mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "--repeat", "2", "--delay", "80", "1")
		time.Sleep(time.Second)
	}
	a.xdo("mousemove", "771", "444", "click", "1") // Find it…
	time.Sleep(1500 * time.Millisecond)
	a.shot(filepath.Join(g.shots(), "relink.png"))
	// The chooser opens in the project's folder: (Parent), home, moved,
	// study.dyad's backups… "moved" is the third icon, and in it the
	// video is the second, at the same place.
	dbl(587, 190)
	dbl(504, 190)
	a.waitLog("relinked " + filepath.Join(g.dir, "session.mp4") + " to " + filepath.Join(moved, "session.mp4"))
	a.quit()
	if out := g.cli("observations", proj); strings.Contains(out, "missing") {
		t.Logf("observations: %s", out)
	}
}

// Item 9 (layout): at 1366×768 only the Child lanes showed; the
// caregiver's and the stranger's were below the fold. An event of the
// last subject (the stranger) is drawn on the timeline without scrolling.
func TestGUIEverySubjectsLaneShows(t *testing.T) {
	g := newGUIEnv(t)
	proj := codedProject(g)
	importCSV(g, proj, "dana", "stranger_enters,3.000000,3.000000\ncg_leave,4.000000,4.000000\n")
	a := g.start("dana", "open", "--coder", "dana", "--video", "session.mp4", proj)
	a.keys("ctrl+0")
	shot := filepath.Join(g.shots(), "lanes.png")
	a.shot(shot)
	a.quit()
	lanes := image.Rect(200, 420, 925, 740) // the timeline's plot, right of its labels
	for name, c := range map[string]color.RGBA{
		"stranger_enters": {0xae, 0xc7, 0xe8, 0xff},
		"cg_leave":        {0x7f, 0x7f, 0x7f, 0xff},
	} {
		if _, ok := colourBox(t, shot, c, lanes); !ok {
			t.Errorf("no %s on the timeline at 1366×768 (screenshot %s)", name, shot)
		}
	}
}
