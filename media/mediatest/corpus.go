package mediatest

// The corpus: the kinds of file labs bring, from thirty years of equipment,
// each made tiny (160x120 unless the format fixes the size, 1–2 s) so the
// whole set encodes in seconds. Every kind is something the ffmpeg CLI
// writes the way the devices and tools do (the comments say which), so the
// media package is tested on layouts it did not produce itself.

// Kind is one corpus entry: a file and what it stands for.
type Kind struct {
	Spec
	// Group is the README's grouping: camcorder/archive, phone, recorder,
	// intermediate.
	Group string
	// What the file stands for, in a few words.
	What string
}

var (
	tiny25 = []string{"-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25"}
	tiny30 = []string{"-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30"}
	pal    = []string{"-f", "lavfi", "-i", "testsrc2=size=720x576:rate=25"}
	mono   = []string{"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"}

	// trimSource is the recording an assistant cuts a session out of.
	trimSource = Spec{Name: "trim_source", Ext: ".mp4", Args: join(tiny30, mono,
		[]string{"-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-bf", "2",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k", "-shortest"})}
	// tsSource is a transport-stream recording to be cut mid-GOP.
	tsSource = Spec{Name: "ts_source", Ext: ".ts", Args: join(tiny25, mono,
		[]string{"-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-bf", "2",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k", "-shortest"})}
)

// x264 keeps B-frames (with pyramid) in every phone-like file.
var x264bf = []string{"-c:v", "libx264", "-preset", "ultrafast", "-bf", "3", "-g", "25",
	"-x264-params", "b-adapt=0:scenecut=0", "-pix_fmt", "yuv420p"}

// Corpus lists every kind; `go test ./media/...` checks each against ffprobe
// and the ffmpeg command.
var Corpus = []Kind{
	// Camcorder and archive.
	{Group: "camcorder/archive", What: "DV in AVI (PAL, interlaced, MiniDV capture)", Spec: Spec{Name: "dv_avi", Ext: ".avi",
		Args: join(pal, mono, []string{"-t", "1", "-vf", "setfield=bff", "-c:v", "dvvideo", "-pix_fmt", "yuv420p",
			"-c:a", "pcm_s16le", "-ar", "48000", "-shortest"})}},
	{Group: "camcorder/archive", What: "raw DV stream (.dv, interlaced)", Spec: Spec{Name: "dv_raw", Ext: ".dv",
		Args: join(pal, []string{"-t", "1", "-vf", "setfield=bff", "-c:v", "dvvideo", "-pix_fmt", "yuv420p"})}},
	{Group: "camcorder/archive", What: "MPEG-2 program stream, interlaced, B-frames", Spec: Spec{Name: "mpeg2_ps", Ext: ".mpg",
		Args: join(tiny25, mono, []string{"-t", "2", "-c:v", "mpeg2video", "-bf", "2", "-g", "12", "-flags", "+ilme+ildct",
			"-top", "1", "-q:v", "4", "-c:a", "mp2", "-b:a", "64k", "-shortest", "-f", "vob"})}},
	{Group: "camcorder/archive", What: "DVD VOB (-target pal-dvd: 720x576 MPEG-2, AC-3)", Spec: Spec{Name: "dvd_vob", Ext: ".vob",
		Args: join(pal, mono, []string{"-t", "1", "-target", "pal-dvd", "-b:v", "2M", "-shortest"})}},
	{Group: "camcorder/archive", What: "MPEG-4 Part 2 AVI with B-frames (DivX style)", Spec: Spec{Name: "mpeg4_avi_bf", Ext: ".avi",
		Args: join(tiny25, mono, []string{"-t", "2", "-c:v", "mpeg4", "-bf", "2", "-q:v", "5", "-g", "25",
			"-c:a", "pcm_s16le", "-shortest"})}},
	{Group: "camcorder/archive", What: "MPEG-4 Part 2 AVI without B-frames", Spec: Spec{Name: "mpeg4_avi_nob", Ext: ".avi",
		Args: join(tiny25, []string{"-t", "2", "-c:v", "mpeg4", "-bf", "0", "-q:v", "5", "-g", "25"})}},
	{Group: "camcorder/archive", What: "Xvid AVI, packed bitstream (B-frames packed with P, N-VOPs)", Spec: Spec{Name: "xvid_packed", Ext: ".avi",
		Args: join(tiny25, []string{"-t", "2", "-c:v", "libxvid", "-bf", "2", "-g", "25"})}},
	{Group: "camcorder/archive", What: "WMV 8 in ASF with WMA audio", Spec: Spec{Name: "wmv_asf", Ext: ".wmv",
		Args: join(tiny25, mono, []string{"-t", "2", "-c:v", "wmv2", "-q:v", "4", "-g", "25", "-c:a", "wmav2", "-b:a", "64k", "-shortest"})}},
	// Phone.
	{Group: "phone", What: "H.264 8-bit, B-frames, AAC (MP4)", Spec: Spec{Name: "h264_bf", Ext: ".mp4",
		Args: join(tiny30, mono, x264bf, []string{"-t", "2", "-c:a", "aac", "-b:a", "48k", "-shortest"})}},
	{Group: "phone", What: "H.264 10-bit, B-frames", Spec: Spec{Name: "h264_10bit", Ext: ".mp4",
		Args: join(tiny30, []string{"-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "3", "-g", "25",
			"-x264-params", "b-adapt=0:scenecut=0", "-pix_fmt", "yuv420p10le"})}},
	{Group: "phone", What: "HEVC 8-bit, B-frames (iPhone-style hvc1)", Spec: Spec{Name: "hevc_8bit", Ext: ".mp4",
		Args: join(tiny30, mono, []string{"-t", "2", "-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1",
			"-x265-params", "bframes=3:keyint=30:min-keyint=30:scenecut=0:log-level=error", "-pix_fmt", "yuv420p",
			"-c:a", "aac", "-b:a", "48k", "-shortest"})}},
	{Group: "phone", What: "HEVC 10-bit, B-frames", Spec: Spec{Name: "hevc_10bit", Ext: ".mp4",
		Args: join(tiny30, []string{"-t", "2", "-c:v", "libx265", "-preset", "ultrafast",
			"-x265-params", "bframes=3:keyint=30:min-keyint=30:scenecut=0:log-level=error", "-pix_fmt", "yuv420p10le"})}},
	{Group: "phone", What: "portrait phone video (90° display matrix)", Spec: Spec{Name: "h264_rotated", Ext: ".mp4",
		Args: join(tiny30, x264bf, []string{"-t", "1"}), Patch: rotate90}},
	{Group: "phone", What: "stream-copy trim with an edit list (ffmpeg -ss 1.3 -t 4 -c copy)", Spec: Spec{Name: "trim_editlist", Ext: ".mp4",
		Source: &trimSource, SourceOpts: []string{"-ss", "1.3"}, Args: []string{"-t", "4", "-c", "copy"}}},
	{Group: "phone", What: "variable frame rate (25, 10, 30 fps)", Spec: Spec{Name: "h264_vfr_phone", Ext: ".mp4",
		Args: join(tiny25, []string{"-frames:v", "60", "-vf", "setpts='if(lt(N,20),N/25,if(lt(N,35),0.8+(N-20)/10,2.3+(N-35)/30))/TB'",
			"-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "20",
			"-video_track_timescale", "600", "-pix_fmt", "yuv420p"})}},
	{Group: "phone", What: "audio 1 s shorter than the video", Spec: Spec{Name: "short_audio", Ext: ".mp4",
		Args: join(tiny25, mono, []string{"-map", "0:v", "-map", "1:a", "-t:v", "2", "-t:a", "1", "-c:v", "libx264",
			"-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k"})}},
	// Recorders.
	{Group: "recorder", What: "MKV with timestamps starting at 3.5 s", Spec: Spec{Name: "mkv_offset", Ext: ".mkv",
		Args: join(tiny25, mono, x264bf, []string{"-t", "2", "-c:a", "aac", "-b:a", "48k", "-shortest", "-output_ts_offset", "3.5"})}},
	{Group: "recorder", What: "MPEG-TS starting at 10 s", Spec: Spec{Name: "ts_offset", Ext: ".ts",
		Args: join(tiny25, mono, x264bf, []string{"-t", "2", "-c:a", "aac", "-b:a", "48k", "-shortest", "-output_ts_offset", "10"})}},
	{Group: "recorder", What: "MPEG-TS cut mid-GOP (starts with non-keyframes)", Spec: Spec{Name: "ts_midgop", Ext: ".ts",
		Source: &tsSource, Args: []string{"-ss", "0.5", "-c", "copy", "-copyinkf"}}},
	{Group: "recorder", What: "FLV (H.264, AAC) starting at 2 s", Spec: Spec{Name: "flv_offset", Ext: ".flv",
		Args: join(tiny25, mono, x264bf, []string{"-t", "2", "-c:a", "aac", "-b:a", "48k", "-shortest", "-output_ts_offset", "2"})}},
	{Group: "recorder", What: "OBS-style VFR MKV (1 ms time base, dropped frames)", Spec: Spec{Name: "obs_vfr", Ext: ".mkv",
		Args: join(tiny30, mono, []string{"-t", "2", "-vf", "select='not(eq(mod(n\\,7)\\,3))'", "-fps_mode", "vfr",
			"-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "60", "-pix_fmt", "yuv420p",
			"-c:a", "aac", "-b:a", "48k", "-shortest"})}},
	// Intermediate.
	{Group: "intermediate", What: "ProRes 422 HQ 10-bit (MOV)", Spec: Spec{Name: "prores", Ext: ".mov",
		Args: join(tiny25, []string{"-t", "1", "-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le"})}},
	{Group: "intermediate", What: "DNxHR LB 4:2:2 (MOV)", Spec: Spec{Name: "dnxhr", Ext: ".mov",
		Args: join([]string{"-f", "lavfi", "-i", "testsrc2=size=256x144:rate=25"},
			[]string{"-t", "1", "-c:v", "dnxhd", "-profile:v", "dnxhr_lb", "-pix_fmt", "yuv422p"})}},
	{Group: "intermediate", What: "Motion JPEG AVI (full range)", Spec: Spec{Name: "mjpeg_avi", Ext: ".avi",
		Args: join(tiny25, []string{"-t", "1", "-c:v", "mjpeg", "-q:v", "4", "-pix_fmt", "yuvj422p"})}},
}

// UHDHEVC is a 4K HEVC phone video (3840x2160, 30 fps, 3 s, B-frames): more
// than a 2-core machine decodes in real time, for the player's lag handling.
// Not in Corpus: it takes tens of seconds to encode (once per machine).
var UHDHEVC = Spec{Name: "uhd_hevc", Ext: ".mp4", Args: join(
	[]string{"-f", "lavfi", "-i", "testsrc2=size=3840x2160:rate=30"}, mono,
	[]string{"-t", "3", "-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1",
		"-x265-params", "bframes=3:keyint=30:min-keyint=30:scenecut=0:log-level=error", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-b:a", "48k", "-shortest"})}
