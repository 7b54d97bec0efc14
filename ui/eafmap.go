package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/eaf"
)

// tierMapper asks, for an ELAN file, only about the tiers import cannot
// recognise (eaf.Document.Suggest marks them ambiguous): what each holds.
// Its answer is the same eaf.Mapping a mapping file gives the command line.
type tierMapper struct {
	scheme *annotate.Scheme
	rows   []*tierRow
	msg    *widget.Label
}

type tierRow struct {
	sug      eaf.Suggestion
	role     *widget.Select
	behavior *widget.Select
	subject  *widget.Select
}

// The roles offered, by label; modifiers and comments only for child
// tiers, which have an event to attach to.
var roleLabels = []struct {
	label string
	role  eaf.Role
	child bool
}{
	{"values are behaviours", eaf.RoleValues, false},
	{"every annotation is one behaviour", eaf.RoleBehavior, false},
	{"episodes", eaf.RoleEpisodes, false},
	{"modifiers of the parent's event", eaf.RoleModifiers, true},
	{"comments on the parent's event", eaf.RoleComment, true},
	{"ignore this tier", eaf.RoleIgnore, false},
}

const noSubject = "(the tier's participant)"

func newTierMapper(sugs []eaf.Suggestion, s *annotate.Scheme) *tierMapper {
	m := &tierMapper{scheme: s, msg: widget.NewLabel("")}
	m.msg.Wrapping = fyne.TextWrapWord
	m.msg.Importance = widget.DangerImportance
	var codes []string
	for _, b := range s.Behaviors {
		codes = append(codes, b.Code)
	}
	for _, sg := range sugs {
		if !sg.Ambiguous {
			continue
		}
		var labels []string
		for _, r := range roleLabels {
			if !r.child || sg.Parent != "" {
				labels = append(labels, r.label)
			}
		}
		r := &tierRow{sug: sg, behavior: widget.NewSelect(codes, nil), subject: widget.NewSelect(append([]string{noSubject}, s.SubjectCodes()...), nil)}
		r.subject.SetSelected(noSubject)
		r.behavior.Disable()
		r.role = widget.NewSelect(labels, func(label string) {
			if roleOf(label) == eaf.RoleBehavior {
				r.behavior.Enable()
			} else {
				r.behavior.Disable()
			}
			if k := roleOf(label); k == eaf.RoleValues || k == eaf.RoleBehavior {
				r.subject.Enable()
			} else {
				r.subject.Disable()
			}
		})
		m.rows = append(m.rows, r)
	}
	return m
}

func roleOf(label string) eaf.Role {
	for _, r := range roleLabels {
		if r.label == label {
			return r.role
		}
	}
	return eaf.RoleUnknown
}

// mapping is the answer, or an error naming the tiers still unanswered.
func (m *tierMapper) mapping() (*eaf.Mapping, error) {
	out := &eaf.Mapping{}
	var missing []string
	for _, r := range m.rows {
		role := roleOf(r.role.Selected)
		tr := eaf.TierRole{Tier: r.sug.Tier, Role: role}
		switch {
		case role == eaf.RoleUnknown:
			missing = append(missing, fmt.Sprintf("%q: choose what it holds", r.sug.Tier))
			continue
		case role == eaf.RoleBehavior && r.behavior.Selected == "":
			missing = append(missing, fmt.Sprintf("%q: choose its behaviour", r.sug.Tier))
			continue
		}
		if role == eaf.RoleBehavior {
			tr.Behavior = r.behavior.Selected
		}
		if (role == eaf.RoleBehavior || role == eaf.RoleValues) && r.subject.Selected != noSubject {
			tr.Subject = r.subject.Selected
		}
		out.Tiers = append(out.Tiers, tr)
	}
	if len(missing) > 0 {
		err := errors.New("tier " + strings.Join(missing, "; tier "))
		m.msg.SetText(err.Error())
		return nil, err
	}
	m.msg.SetText("")
	return out, nil
}

func (m *tierMapper) content() fyne.CanvasObject {
	if len(m.rows) == 0 {
		return widget.NewLabel("Every tier of the file is recognised.")
	}
	form := widget.NewForm()
	for _, r := range m.rows {
		desc := fmt.Sprintf("%d annotations", r.sug.Count)
		if len(r.sug.Values) > 0 {
			desc += ": " + strings.Join(r.sug.Values, ", ")
		}
		if r.sug.Parent != "" {
			desc += " (under " + r.sug.Parent + ")"
		}
		hint := widget.NewLabel(desc)
		hint.Wrapping = fyne.TextWrapWord
		form.Append(r.sug.Tier, container.NewVBox(hint, r.role, container.NewGridWithColumns(2, r.behavior, r.subject)))
	}
	intro := widget.NewLabel("These tiers match nothing in the coding scheme. Say what each holds; the other tiers are recognised by their names.")
	intro.Wrapping = fyne.TextWrapWord
	return container.NewBorder(intro, m.msg, nil, nil, container.NewVScroll(form))
}

// tierMappingDialog asks about the ambiguous tiers of an ELAN file and
// calls done with the mapping (at once, with an empty one, when nothing
// is ambiguous); cancelling calls nothing.
func (s *shell) tierMappingDialog(file string, sugs []eaf.Suggestion, scheme *annotate.Scheme, done func(*eaf.Mapping)) *tierMapper {
	m := newTierMapper(sugs, scheme)
	if len(m.rows) == 0 {
		done(&eaf.Mapping{})
		return m
	}
	var d dialog.Dialog
	d = dialog.NewCustomConfirm("Tiers of "+file, "Import", "Cancel", m.content(), func(ok bool) {
		if !ok {
			return
		}
		mp, err := m.mapping()
		if err != nil {
			d.Show() // keep the answers given, show what is missing
			return
		}
		done(mp)
	}, s.win)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
	return m
}
