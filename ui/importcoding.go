package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate/eaf"
	"dyadcode/app"
)

// importExts are the coding files File ▸ Import coding… offers.
var importExts = []string{".csv", ".eaf", ".tsv", ".boris", ".opf", ".txt"}

// importCodingDialog imports one observation from another tool's file
// (or dyadcode CSV) under app.Import's rules; an ELAN file first asks
// what its unrecognised tiers hold.
func (s *shell) importCodingDialog() {
	if s.proj == nil {
		s.showError("No project open", errors.New("an observation belongs to a project"), "Open or create a project first.")
		return
	}
	s.openFileDialog(importExts, func(path string) { s.importCodingFile(path) })
}

// importCodingFile asks about an ELAN file's tiers when needed (the
// mapper is returned, nil for other files), then for the coder, video and
// observation.
func (s *shell) importCodingFile(path string) *tierMapper {
	if !strings.EqualFold(filepath.Ext(path), ".eaf") {
		s.importForm(path, nil)
		return nil
	}
	sugs, err := app.ELANTiers(path, s.proj.Scheme())
	if err != nil {
		s.showError("Cannot read "+filepath.Base(path), err, "")
		return nil
	}
	return s.tierMappingDialog(filepath.Base(path), sugs, s.proj.Scheme(), func(m *eaf.Mapping) {
		if len(m.Tiers) == 0 {
			m = nil // every tier recognised
		}
		s.importForm(path, m)
	})
}

// importRequest is the form of the import dialog.
type importRequest struct {
	coder, pick *widget.Entry
	video       *widget.Select
	format      *widget.Select
	ids         []string // video IDs, in the select's order
}

func (r *importRequest) request(path string, m *eaf.Mapping) app.ImportRequest {
	req := app.ImportRequest{File: path, Coder: strings.TrimSpace(r.coder.Text), Pick: strings.TrimSpace(r.pick.Text), TierMapping: m}
	if i := r.video.SelectedIndex(); i >= 0 && i < len(r.ids) {
		req.Video = r.ids[i]
	}
	if f := r.format.Selected; f != "" && f != "by extension" {
		req.Format = f
	}
	return req
}

// importForm asks for the coder, the video coded and, in a file of
// several observations, which one; then imports.
func (s *shell) importForm(path string, m *eaf.Mapping) *importRequest {
	r := &importRequest{coder: widget.NewEntry(), pick: widget.NewEntry(), video: widget.NewSelect(nil, nil)}
	r.coder.SetText(s.coder)
	r.pick.SetPlaceHolder("in a file with several observations: its ID there")
	var names []string
	for _, f := range app.Formats() {
		if f.Read != nil {
			names = append(names, f.Name)
		}
	}
	r.format = widget.NewSelect(append([]string{"by extension"}, names...), nil)
	r.format.SetSelected("by extension")
	if vs, err := s.proj.Videos(); err == nil {
		var opts []string
		for _, v := range vs {
			opts = append(opts, filepath.Base(v.Path)+" ("+v.ID+")")
			r.ids = append(r.ids, v.ID)
		}
		r.video.Options = append(opts, "(the video the file names)")
		r.ids = append(r.ids, "")
		r.video.SetSelectedIndex(0)
	}
	form := []*widget.FormItem{
		widget.NewFormItem("Coder", r.coder),
		widget.NewFormItem("Video", r.video),
		widget.NewFormItem("Observation", r.pick),
		widget.NewFormItem("Format", r.format),
	}
	d := dialog.NewForm("Import "+filepath.Base(path), "Import", "Cancel", form, func(ok bool) {
		if ok {
			s.runImport(r.request(path, m))
		}
	}, s.win)
	d.Resize(fyne.NewSize(560, 300))
	d.Show()
	return r
}

// runImport imports and says what happened: the observation, what the
// file holds that was not carried over, or why nothing was written.
func (s *shell) runImport(req app.ImportRequest) {
	res, err := app.Import(s.proj, s.engine, req)
	if err != nil {
		advice := "Nothing was imported."
		switch {
		case errors.Is(err, app.ErrPickObservation):
			advice = "Type the observation's ID in the Observation box and import again."
		case errors.Is(err, eaf.ErrUnknown):
			advice = "Nothing was imported. Adopt the other tool's scheme (Coding ▸ Scheme… ▸ Import from another tool…) or map the tiers."
		}
		s.showError("Cannot import "+filepath.Base(req.File), err, advice)
		return
	}
	msg := fmt.Sprintf("Imported %s's observation of %s: %d events, %d episode marks.", res.Obs.Coder, filepath.Base(res.Video.Path), len(res.Obs.Events), len(res.Obs.Episodes))
	for _, w := range res.Warnings {
		msg += "\n\n" + w.Error()
	}
	dialog.ShowInformation("Imported", wrapText(msg, 70), s.win)
	if s.view == nil {
		s.showStart()
	}
}
