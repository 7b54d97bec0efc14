// Package eaf reads and writes ELAN annotation files (EAF 3.0, the format of
// the ELAN tool from the Max Planck Institute for Psycholinguistics), so a lab
// can move coding between dyadcode and ELAN in both directions.
//
// # Layout of an exported file
//
// One tier per behaviour of the scheme, named "subject:code" ("child:smile")
// with PARTICIPANT set to the subject's code, or just "code" for a behaviour
// without a subject; ANNOTATOR is the coder. Every behaviour tier uses the
// controlled vocabulary "behaviors" (one entry per code, the behaviour's name
// as its description), so ELAN offers the codes in a list. The tier
// "episodes" (vocabulary "episodes") holds one annotation per episode mark,
// running to the next mark or the end of the video. Modifiers ("fuss|cry")
// and comments go to symbolic-association child tiers "child:distress/modifiers"
// and "child:distress/comment", written only when some event has them.
//
// Points have no duration in dyadcode but ELAN has no point annotations, so a
// point becomes a one-frame annotation (the frame length from Transfer.Rate,
// else 40 ms, rounded to whole milliseconds, at least 1 ms). Its tier uses
// the linguistic type "dyadcode-point", which is how the importer knows to
// keep only the start. States use "dyadcode-state". A state still running is
// exported closed at the end of the video (Transfer.End, else the
// observation's last time) and its annotation ID is listed in a header
// PROPERTY "dyadcode:open", so it comes back open.
//
// Several observations of the same video go into one file: each tier name
// then ends in "@label" (the coder, or coder#ID when a coder appears twice)
// and the header lists the observations. Observations of different videos
// cannot share a file (ErrSeveralVideos): ELAN links a file to its media.
//
// Header PROPERTY elements named "dyadcode:*" carry what ELAN has no place
// for (project, exact end time, frame rate, observation IDs, ratings, open
// states). Should an editor drop them, the file still imports as an ELAN
// file: the tier names alone give codes, subjects, episodes, modifiers and
// comments; only those extras (and the open marks) are lost.
//
// # Time resolution
//
// ELAN counts whole milliseconds and dyadcode microseconds. Export rounds
// every time to the nearest millisecond (half a millisecond rounds up), so a
// time that already is a whole number of milliseconds round-trips exactly,
// and any other moves by at most 0.5 ms — well below one video frame.
// Export → import → export is byte-identical; the file's DATE is the latest
// modification time of the observations, not the time of export, for that
// reason.
//
// # Importing files written by ELAN
//
// Every legal EAF (2.7 to 3.0) and template (.etf) is read (Parse): each
// annotation gets a time as ELAN shows it, interpolating unaligned time
// slots, dividing Symbolic_Subdivision parents evenly and following
// chains of reference annotations (a loop of references is an error
// naming the annotations). Of several linked media, the first video not
// extracted from another file is the observation's, and its TIME_ORIGIN
// is added to every time. Values from a controlled vocabulary match the
// scheme in any of the vocabulary's languages.
//
// Tier names are free in ELAN, so the importer maps them to the scheme,
// comparing codes and names case-insensitively (a Mapping file overrides
// this tier by tier; Document.Suggest lists what each tier would be):
//   - "episodes" (or "episode"): annotation values are episode names;
//   - a behaviour ("smile", "Smile", "child:smile"): every annotation on the
//     tier is that behaviour (values must be empty, the behaviour itself,
//     or modifiers of it);
//   - a subject ("child", "Child", or any tier whose PARTICIPANT is a subject):
//     annotation values are that subject's behaviours;
//   - any other tier whose values all name behaviours, including child
//     tiers (time or symbolic subdivisions of a coarser tier).
//
// Child tiers whose name contains "comment" or "note" hold comments,
// those whose name contains "modifier" (or whose values are all modifiers
// of the scheme) modifiers, of the event they
// belong to: the annotation a reference points to (through any chain of
// references), or the parent annotation an alignable child lies in. Empty
// tiers (such as ELAN's "default") are skipped. Tiers that match nothing,
// values that name no code are all reported together, each with
// FILE:LINE, and nothing is imported: silently dropping a tier would lose
// coding. Tiers with different ANNOTATORs become separate observations.
package eaf

import (
	"errors"
	"strings"

	"dyadcode/annotate"
)

// Sentinel errors callers can test with errors.Is.
var (
	// ErrMalformed: the file is not well-formed EAF (bad XML, missing time
	// slots, times out of range).
	ErrMalformed = errors.New("malformed EAF")
	// ErrUnknown: a tier or value names nothing in the coding scheme.
	ErrUnknown = errors.New("not in the coding scheme")
	// ErrSeveralVideos: Write was given observations of different videos.
	ErrSeveralVideos = errors.New("an EAF file holds the observations of one video")
)

// DefaultFrame is the length given to a point's annotation when the video's
// frame rate is unknown: one frame at 25 fps.
const DefaultFrame = 40 * annotate.Millisecond

// Names of the linguistic types, vocabularies and properties dyadcode writes
// and recognises.
const (
	typeState   = "dyadcode-state"
	typePoint   = "dyadcode-point"
	typeEpisode = "dyadcode-episode"
	typeNote    = "dyadcode-note"
	cvBehaviors = "behaviors"
	cvEpisodes  = "episodes"
	langID      = "und"

	propVersion     = "dyadcode:version"
	propProject     = "dyadcode:project"
	propVideo       = "dyadcode:video"
	propEnd         = "dyadcode:end"
	propRate        = "dyadcode:rate"
	propObservation = "dyadcode:observation"
	propRating      = "dyadcode:rating"
	propOpen        = "dyadcode:open"

	episodesTier = "episodes"
	modSuffix    = "/modifiers"
	noteSuffix   = "/comment"
)

// ms rounds a time to the nearest whole millisecond, half up; see the
// package comment.
func ms(t annotate.Time) int64 {
	if t < 0 {
		return -1 // never valid in EAF; Write refuses it
	}
	return int64(t)/1000 + (int64(t)%1000+500)/1000 // no overflow near MaxInt64
}

// fold is the case-insensitive, space-trimmed form used to match names.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
