package annotate

// Transfer is an observation as it travels through an interchange file
// (CSV, ELAN, BORIS, SDIS): the coding plus the names that identify it
// outside a project. Importers return one per observation found in a file;
// exporters take them. Inside a project the store's IDs rule; these names
// are what a file says.
type Transfer struct {
	Project string // project name, as written in the file ("" if none)
	Video   string // video file name, as written in the file ("" if none)
	// Obs carries ID, Coder, Events, Episodes and Ratings. Obs.Video is
	// unused in files.
	Obs *Observation
	// End is the video's duration, used to close the last episode and
	// states still running; 0 when unknown (the last event's time is used).
	End Time
	// Rate is the video's frame rate, zero when unknown. Formats without
	// a notion of frames ignore it; ELAN export uses it to give points a
	// one-frame annotation (40 ms when unknown).
	Rate Rate
	// Views are the session's further cameras as files carry them: each
	// video's file name and offset (see View). Formats with several media
	// (ELAN) write them; the others ignore them.
	Views []ViewFile
}

// ViewFile is a further view of an exported session.
type ViewFile struct {
	Video  string // file name, as written in the file
	Offset Time
}

// EndOrLast returns End, or the latest time in the observation when End is
// unknown.
func (t Transfer) EndOrLast() Time {
	if t.End > 0 {
		return t.End
	}
	if t.Obs == nil {
		return 0
	}
	return t.Obs.LastTime()
}
