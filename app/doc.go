// Package app is dyadcode's application layer: every user action that is
// not drawing, written once, and called by both front ends (the Fyne
// window in package ui and the command line in cmd/dyadcode). Opening and
// creating projects with advice, adding and relocating videos, exports and
// every check on an output file, the demo project, loading observations
// for agreement and metrics, and the media caches (frame index, waveform)
// live here; the front ends parse flags or handle events, call app, and
// print or show the result.
//
// app holds no package-level hooks: what it needs from the outside (the
// media engine) is passed in as a value (Prober, PlayerOpener, Engine),
// built once in cmd/dyadcode's main and handed down to ui.Run and the
// commands.
package app
