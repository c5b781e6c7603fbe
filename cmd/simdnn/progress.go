package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// epochRecord is one epoch of training as the epoch lines and -json report
// it. The validation fields are set when there is a validation split.
type epochRecord struct {
	Epoch         int      `json:"epoch"`
	Loss          float64  `json:"loss"`               // mean training loss of the epoch
	Accuracy      *float64 `json:"accuracy,omitempty"` // training accuracy (classification)
	ValLoss       *float64 `json:"val_loss,omitempty"`
	ValAccuracy   *float64 `json:"val_accuracy,omitempty"` // classification
	ValRMSE       *float64 `json:"val_rmse,omitempty"`     // regression: the RMSE averaged over the targets
	SamplesPerSec float64  `json:"samples_per_sec"`
	Seconds       float64  `json:"seconds"` // wall time of the epoch
}

// fields returns the record's measurements as name-value pairs, most
// important first: a narrow progress line drops them from the end.
func (e epochRecord) fields() [][2]string {
	f := [][2]string{{"loss", fmt.Sprintf("%.4f", e.Loss)}}
	opt := func(name string, v *float64) {
		if v != nil {
			f = append(f, [2]string{name, fmt.Sprintf("%.4f", *v)})
		}
	}
	opt("val_loss", e.ValLoss)
	opt("val_accuracy", e.ValAccuracy)
	opt("val_rmse", e.ValRMSE)
	opt("accuracy", e.Accuracy)
	return append(f, [2]string{"samples/s", fmt.Sprintf("%.0f", e.SamplesPerSec)})
}

// progress shows training on standard error: on a terminal, one line with a
// bar, redrawn in place after every epoch and cleared at the end; anywhere
// else (a log file, a pipe) one line per epoch of name=value pairs that
// scripts can read; nothing when quiet.
type progress struct {
	w      io.Writer
	epochs int
	width  int // terminal columns; 0 for line-per-epoch output
	quiet  bool
	drawn  bool // a bar is on the screen
}

func newProgress(w io.Writer, epochs int, quiet bool) *progress {
	return &progress{w: w, epochs: epochs, width: terminalWidth(w), quiet: quiet}
}

// epoch reports one finished epoch.
func (p *progress) epoch(e epochRecord) {
	switch {
	case p.quiet:
	case p.width == 0:
		var b strings.Builder
		fmt.Fprintf(&b, "epoch=%d/%d", e.Epoch, p.epochs)
		for _, f := range e.fields() {
			fmt.Fprintf(&b, " %s=%s", strings.ReplaceAll(f[0], "/", "_per_"), f[1])
		}
		fmt.Fprintln(p.w, b.String())
	default:
		fmt.Fprint(p.w, "\r"+p.line(e)+"\x1b[K")
		p.drawn = true
	}
}

// done clears the bar, so that what follows starts on a clean line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// minBar is the narrowest bar worth drawing, in columns.
const minBar = 10

// line returns the bar for e, at most width−1 columns (a character in the
// last column makes some terminals wrap): "epoch 7/30 [===>      ] loss …",
// with as many fields as fit and a bar of at least minBar columns.
func (p *progress) line(e epochRecord) string {
	head := fmt.Sprintf("epoch %d/%d ", e.Epoch, p.epochs)
	fields := e.fields()
	var tail string
	for k := len(fields); k >= 0; k-- {
		var b strings.Builder
		for _, f := range fields[:k] {
			b.WriteString(" " + f[0] + " " + f[1])
		}
		tail = b.String()
		if len(head)+len(tail)+2+minBar <= p.width-1 || k == 0 {
			break
		}
	}
	bar := max(p.width-1-len(head)-len(tail)-2, 0)
	done := bar * e.Epoch / p.epochs
	s := head + "[" + strings.Repeat("=", done) + strings.Repeat(" ", bar-done) + "]" + tail
	return s[:min(len(s), max(p.width-1, 0))]
}

// terminalWidth returns the width of the terminal w is, or 0 when it is not
// one (80 when a terminal does not say).
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil || cols <= 0 {
		return 80
	}
	return cols
}
