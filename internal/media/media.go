// Package media reads video and still images with Debian's ffprobe and
// ffmpeg, run as processes (no shell): probing, frames over a rawvideo
// pipe at analysis resolution, and shot and chapter boundaries.
package media

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/scry-dev/scry/internal/errcode"
)

// Limits bound what scry accepts.
type Limits struct {
	MaxBytes    int64         // default 10 GiB
	MaxDuration time.Duration // default 4 h
}

// DefaultLimits are the defaults of the issue.
var DefaultLimits = Limits{MaxBytes: 10 << 30, MaxDuration: 4 * time.Hour}

// Info describes a video or image.
type Info struct {
	Width          int     `json:"width"`
	Height         int     `json:"height"`
	FrameRate      float64 `json:"frame_rate"`
	DurationMillis int64   `json:"duration_millis"`
	FrameCount     int     `json:"frame_count"`
	Image          bool    `json:"-"`
}

// Fit is the frame size at most maxWidth wide with the source's aspect:
// both sides even, so frames scaled from 4:2:0 video keep whole chroma
// samples.
func (i Info) Fit(maxWidth int) (w, h int) {
	w = max(2, min(maxWidth, i.Width)/2*2)
	h = max(2, int(math.Round(float64(i.Height)*float64(w)/float64(i.Width)))/2*2)
	return w, h
}

// Probe checks that path is a video or still image within limits.
func Probe(ctx context.Context, path string, lim Limits) (Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Info{}, errcode.New(errcode.Invalid, "Cannot read %s: %v", path, errors.Unwrap(err))
	}
	if st.Size() == 0 {
		return Info{}, errcode.New(errcode.Invalid, "%s is empty (0 bytes); give a video (MP4, MOV, MKV, WEBM, AVI) or an image (JPEG, PNG)", path)
	}
	if st.Size() > lim.MaxBytes {
		return Info{}, errcode.New(errcode.Invalid, "%s is %d MB, over the limit of %d MB", path, st.Size()>>20, lim.MaxBytes>>20)
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(pctx, "ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", "--", path)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return Info{}, errcode.Wrap(errcode.Internal, err, "ffprobe is not installed (apt-get install ffmpeg)")
		}
		// Interrupted is not unreadable: the caller may try again.
		if ctx.Err() != nil {
			return Info{}, fmt.Errorf("probe %s: %w", path, ctx.Err())
		}
		if pctx.Err() != nil {
			return Info{}, errcode.New(errcode.Invalid, "%s took ffprobe more than 30 s to read; it is not a file scry can analyse", path)
		}
		return Info{}, errcode.New(errcode.Invalid, "%s is not a video or image scry can read (%s)", path, firstLine(stderr.String()))
	}
	var p struct {
		Streams []struct {
			CodecType    string `json:"codec_type"`
			CodecName    string `json:"codec_name"`
			Width        int    `json:"width"`
			Height       int    `json:"height"`
			AvgFrameRate string `json:"avg_frame_rate"`
			RFrameRate   string `json:"r_frame_rate"`
			NbFrames     string `json:"nb_frames"`
			Duration     string `json:"duration"`
		} `json:"streams"`
		Format struct {
			FormatName string `json:"format_name"`
			Duration   string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		return Info{}, errcode.New(errcode.Invalid, "%s is not a video or image scry can read", path)
	}
	for _, s := range p.Streams {
		if s.CodecType != "video" || s.Width == 0 {
			continue
		}
		info := Info{Width: s.Width, Height: s.Height}
		if strings.Contains(p.Format.FormatName, "image2") || strings.Contains(p.Format.FormatName, "_pipe") || s.CodecName == "png" || s.CodecName == "mjpeg" && p.Format.Duration == "" {
			info.Image, info.FrameCount, info.FrameRate = true, 1, 1
			return info, nil
		}
		info.FrameRate = ratio(s.AvgFrameRate)
		if info.FrameRate <= 0 {
			info.FrameRate = ratio(s.RFrameRate)
		}
		d, _ := strconv.ParseFloat(firstNonEmpty(s.Duration, p.Format.Duration), 64)
		if d <= 0 || info.FrameRate <= 0 {
			return Info{}, errcode.New(errcode.Invalid, "%s has a video stream without a duration or frame rate (truncated?)", path)
		}
		if time.Duration(d*float64(time.Second)) > lim.MaxDuration {
			return Info{}, errcode.New(errcode.Invalid, "%s lasts %.0f s, over the limit of %s", path, d, lim.MaxDuration)
		}
		info.DurationMillis = int64(math.Round(d * 1000))
		if n, err := strconv.Atoi(s.NbFrames); err == nil && n > 0 {
			info.FrameCount = n
		} else {
			info.FrameCount = int(math.Round(d * info.FrameRate))
		}
		return info, nil
	}
	return Info{}, errcode.New(errcode.Invalid, "%s has no video stream (audio only?); give a video or an image", path)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return "ffprobe found no media in it"
	}
	return s
}

func ratio(s string) float64 {
	a, b, ok := strings.Cut(s, "/")
	x, _ := strconv.ParseFloat(a, 64)
	if !ok {
		return x
	}
	y, _ := strconv.ParseFloat(b, 64)
	if y == 0 {
		return 0
	}
	return x / y
}

// Frame is one decoded frame in RGB, at analysis resolution.
type Frame struct {
	Index         int // frame index in the original video
	TimeMillis    int64
	Width, Height int
	RGB           []byte
}

// Frames decodes path at width×height; fps > 0 samples that many frames a
// second, fps = 0 decodes every frame. fn sees each frame in order; its
// buffer is reused after fn returns.
func Frames(ctx context.Context, path string, info Info, width, height int, fps float64, fn func(Frame) error) error {
	args := []string{"-v", "error", "-nostdin", "-i", path}
	vf := fmt.Sprintf("scale=%d:%d:flags=area", width, height)
	step := 1
	if fps > 0 && !info.Image {
		// every step-th decoded frame: exact frame indices, unlike the fps filter
		step = max(1, int(math.Round(info.FrameRate/fps)))
		vf = fmt.Sprintf(`select=not(mod(n\,%d)),`, step) + vf
	}
	args = append(args, "-vf", vf, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1")
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return errcode.Wrap(errcode.Internal, err, "ffmpeg could not start (apt-get install ffmpeg)")
	}
	r := bufio.NewReaderSize(out, 1<<20)
	buf := make([]byte, width*height*3)
	var ferr error
	for i := 0; ; i++ {
		if _, err := io.ReadFull(r, buf); err != nil {
			break
		}
		f := Frame{Width: width, Height: height, RGB: buf, Index: i * step}
		f.TimeMillis = int64(math.Round(float64(f.Index) * 1000 / math.Max(info.FrameRate, 1)))
		if ferr = fn(f); ferr != nil {
			break
		}
	}
	if ferr != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return ferr
	}
	if err := cmd.Wait(); err != nil && ctx.Err() == nil {
		return errcode.New(errcode.Invalid, "%s could not be decoded completely (%s)", path, firstLine(stderr.String()))
	}
	if info.Image && stderr.Len() > 0 && ctx.Err() == nil {
		// ffmpeg decodes what it can of a cut-off JPEG, says so, and exits
		// 0: a picture half grey would be analysed as if it were whole
		return errcode.New(errcode.Invalid, "%s is damaged: ffmpeg could not decode all of it (%s)", path, firstLine(stderr.String()))
	}
	return ctx.Err()
}

// Timecode is the SMPTE timecode HH:MM:SS:FF of a frame.
func Timecode(frame int, fps float64) string {
	r := int(math.Round(fps))
	if r <= 0 {
		r = 1
	}
	s := frame / r
	return fmt.Sprintf("%02d:%02d:%02d:%02d", s/3600, s/60%60, s%60, frame%r)
}

// FrameAt decodes the single frame with index idx at width×height (an
// accurate seek: from the keyframe before it).
func FrameAt(ctx context.Context, path string, info Info, idx, width, height int) (Frame, error) {
	sec := float64(idx) / math.Max(info.FrameRate, 1)
	args := []string{"-v", "error", "-nostdin"}
	if !info.Image {
		args = append(args, "-ss", strconv.FormatFloat(sec, 'f', 4, 64))
	}
	args = append(args, "-i", path, "-frames:v", "1", "-vf", fmt.Sprintf("scale=%d:%d:flags=area", width, height), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1")
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil || out.Len() < width*height*3 {
		return Frame{}, fmt.Errorf("frame %d of %s: %v %s", idx, path, err, firstLine(stderr.String()))
	}
	return Frame{Index: idx, TimeMillis: int64(math.Round(sec * 1000)), Width: width, Height: height, RGB: out.Bytes()[:width*height*3]}, nil
}

// FramesWithStills is Frames over every frame at width×height, which also
// hands every stillEvery-th frame at stillW×stillH to still (in its own
// goroutine, from the same decode): one pass of ffmpeg serves both.
func FramesWithStills(ctx context.Context, path string, info Info, width, height int, fn func(Frame) error,
	stillEvery, stillW, stillH int, still func(Frame)) error {
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	graph := fmt.Sprintf("[0:v]split=2[a][b];[a]scale=%d:%d:flags=area[s];[b]select=not(mod(n\\,%d)),scale=%d:%d:flags=area[o]",
		width, height, stillEvery, stillW, stillH)
	args := []string{"-v", "error", "-nostdin", "-i", path, "-filter_complex", graph,
		"-map", "[s]", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
		"-map", "[o]", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:3"}
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.ExtraFiles = []*os.File{pw}
	out, err := cmd.StdoutPipe()
	if err != nil {
		pr.Close()
		pw.Close()
		return err
	}
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return errcode.Wrap(errcode.Internal, err, "ffmpeg could not start (apt-get install ffmpeg)")
	}
	pw.Close()
	// Stills are read as soon as ffmpeg writes them, so it never stalls on
	// them; a second goroutine hands them on.
	queue := make(chan Frame, 64)
	done := make(chan struct{})
	go func() {
		r := bufio.NewReaderSize(pr, 1<<20)
		for i := 0; ; i++ {
			buf := make([]byte, stillW*stillH*3)
			if _, err := io.ReadFull(r, buf); err != nil {
				break
			}
			idx := i * stillEvery
			queue <- Frame{Index: idx, TimeMillis: int64(math.Round(float64(idx) * 1000 / math.Max(info.FrameRate, 1))), Width: stillW, Height: stillH, RGB: buf}
		}
		pr.Close()
		close(queue)
	}()
	go func() {
		for f := range queue {
			still(f)
		}
		close(done)
	}()
	r := bufio.NewReaderSize(out, 1<<20)
	buf := make([]byte, width*height*3)
	var ferr error
	for i := 0; ; i++ {
		if _, err := io.ReadFull(r, buf); err != nil {
			break
		}
		f := Frame{Index: i, TimeMillis: int64(math.Round(float64(i) * 1000 / math.Max(info.FrameRate, 1))), Width: width, Height: height, RGB: buf}
		if ferr = fn(f); ferr != nil {
			break
		}
	}
	if ferr != nil {
		cmd.Process.Kill()
	}
	werr := cmd.Wait()
	<-done
	if ferr != nil {
		return ferr
	}
	if werr != nil && ctx.Err() == nil {
		return errcode.New(errcode.Invalid, "%s could not be decoded completely (%s)", path, firstLine(stderr.String()))
	}
	return ctx.Err()
}
