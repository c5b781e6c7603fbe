package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// implStyle is how the chart draws an implementation: a colour from the
// Okabe–Ito palette, which stays distinct for colour-blind readers, and a
// marker shape of its own so that print in grey works too.
type implStyle struct {
	color color.Color
	glyph draw.GlyphDrawer
}

var implStyles = map[string]implStyle{
	"avx512":           {color.RGBA{86, 180, 233, 255}, draw.BoxGlyph{}},
	"avx2":             {color.RGBA{0, 114, 178, 255}, draw.CircleGlyph{}},
	"go":               {color.RGBA{230, 159, 0, 255}, draw.TriangleGlyph{}},
	"gonum":            {color.RGBA{0, 158, 115, 255}, draw.SquareGlyph{}},
	"openblas":         {color.RGBA{213, 94, 0, 255}, draw.PyramidGlyph{}},
	"openblas-haswell": {color.RGBA{204, 121, 167, 255}, draw.RingGlyph{}},
}

var (
	roofColor  = color.Gray{Y: 60}
	cacheColor = color.Gray{Y: 150}
)

// chartPanels are the panels of the chart, row by row.
var chartPanels = [][]struct{ bench, t string }{
	{{"Gemv", "f32"}, {"GemvT", "f32"}},
	{{"Gemv", "f64"}, {"GemvT", "f64"}},
}

// chartW and chartH are the size of the whole chart: 1152×960 pixels in the
// PNG, at 96 dpi.
const (
	chartW = 12 * vg.Inch
	chartH = 10 * vg.Inch
)

// writeChart draws GFLOP/s of Gemv and GemvT against the size of square
// matrices, per implementation, with the roofs, into base+".png" and
// base+".svg". It reports false if the data has no square Gemv or GemvT.
func writeChart(d *data, base string) (bool, error) {
	r := d.roofs()
	var plots [][]*plot.Plot
	for _, row := range chartPanels {
		var prow []*plot.Plot
		hasData := false
		for _, panel := range row {
			p, ok, err := gemvPanel(d, r, panel.bench, panel.t)
			if err != nil {
				return false, err
			}
			if !ok {
				p = nil // a panel without data stays blank.
			}
			hasData = hasData || ok
			prow = append(prow, p)
		}
		if hasData {
			plots = append(plots, prow)
		}
	}
	if len(plots) == 0 {
		return false, nil
	}
	key, err := chartKey(d, r)
	if err != nil {
		return false, err
	}
	h := keyH + (chartH-keyH)*vg.Length(len(plots))/vg.Length(len(chartPanels))
	img := vgimg.NewWith(vgimg.UseWH(chartW, h), vgimg.UseDPI(96))
	drawPlots(img, plots, key)
	if err := writeFile(base+".png", vgimg.PngCanvas{Canvas: img}); err != nil {
		return false, err
	}
	svg := vgsvg.New(chartW, h)
	drawPlots(svg, plots, key)
	return true, writeFile(base+".svg", svg)
}

// keyH is the height of the key above the panels.
const keyH = 0.5 * vg.Inch

func drawPlots(c vg.CanvasSizer, plots [][]*plot.Plot, key []keyEntry) {
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	_, h := c.Size()
	drawKey(draw.Crop(dc, 6*vg.Millimeter, 0, h-keyH, 0), key)
	dc = draw.Crop(dc, 0, 0, 0, -keyH)
	t := draw.Tiles{
		Rows: len(plots), Cols: len(plots[0]),
		PadX: 8 * vg.Millimeter, PadY: 8 * vg.Millimeter,
		PadTop: 4 * vg.Millimeter, PadBottom: 4 * vg.Millimeter,
		PadLeft: 4 * vg.Millimeter, PadRight: 6 * vg.Millimeter,
	}
	canvases := plot.Align(plots, t, dc)
	for j := range plots {
		for i := range plots[j] {
			if plots[j][i] != nil {
				plots[j][i].Draw(canvases[j][i])
			}
		}
	}
}

func writeFile(name string, w io.WriterTo) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if _, err := w.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// gemvPanel draws one benchmark and type: a line per implementation over the
// square shapes, the FMA peak, each level's read bandwidth times the GEMV
// intensity, and the sizes at which A outgrows each cache.
func gemvPanel(d *data, r roofs, bench, t string) (*plot.Plot, bool, error) {
	p := plot.New()
	what := "y = αAx + βy"
	if bench == "GemvT" {
		what = "y = αAᵀx + βy"
	}
	p.Title.Text = fmt.Sprintf("%s %s: %s, A n×n", bench, typeName(t), what)
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.Text = "n"
	p.Y.Label.Text = "GFLOP/s"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(12)
		a.Tick.Label.Font.Size = vg.Points(11)
	}
	p.Add(plotter.NewGrid())

	var sizes []int
	for _, s := range d.sizes[[2]string{bench, t}] {
		if m, n, ok := parseShape(s); ok && m == n {
			sizes = append(sizes, n)
		}
	}
	slices.Sort(sizes)
	if len(sizes) == 0 {
		return p, false, nil
	}
	xmin, xmax := float64(sizes[0])/1.25, float64(sizes[len(sizes)-1])*1.25
	ymin, ymax := math.Inf(1), math.Inf(-1)
	widen := func(v float64) {
		if v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
			ymin, ymax = min(ymin, v), max(ymax, v)
		}
	}

	type series struct {
		impl string
		xys  plotter.XYs
	}
	var lines []series
	for _, impl := range d.implsOf(bench, t, "GFLOP/s") {
		var xys plotter.XYs
		for _, n := range sizes {
			v := d.median(sampleKey{bench, t, fmt.Sprintf("%dx%d", n, n), impl, "GFLOP/s"})
			if !math.IsNaN(v) && v > 0 {
				xys = append(xys, plotter.XY{X: float64(n), Y: v})
				widen(v)
			}
		}
		if len(xys) > 0 {
			lines = append(lines, series{impl, xys})
		}
	}

	type roofLine struct {
		label string
		v     float64
		solid bool
	}
	var roofLines []roofLine
	if v := r.fma[t]; !math.IsNaN(v) {
		roofLines = append(roofLines, roofLine{fmt.Sprintf("FMA peak %s", formatFloat(v)), v, true})
	}
	for _, l := range levels {
		if v := r.read[l]; !math.IsNaN(v) {
			v *= intensity(t)
			roofLines = append(roofLines, roofLine{fmt.Sprintf("%s read × %g flop/B = %s", l, intensity(t), formatFloat(v)), v, false})
		}
	}
	for _, rl := range roofLines {
		widen(rl.v)
	}
	if math.IsInf(ymin, 0) {
		return p, false, nil
	}
	ymin, ymax = ymin/1.6, ymax*1.4
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	p.X.Tick.Marker = xTicks(sizes)
	p.Y.Tick.Marker = yTicks(ymin, ymax)

	// The labels: a bandwidth roof's above the left end of its line, the FMA
	// peak's below the right end (rightAligned), so that the two do not
	// collide when they are close.
	var labels plotter.XYLabels
	var rightAligned []bool
	for _, rl := range roofLines {
		l, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: rl.v}, {X: xmax, Y: rl.v}})
		if err != nil {
			return nil, false, err
		}
		roofStyle(l, rl.solid)
		p.Add(l)
		xy := plotter.XY{X: xmin * 1.04, Y: rl.v * 1.06}
		if rl.solid {
			xy = plotter.XY{X: xmax / 1.04, Y: rl.v / 1.06}
		}
		labels.XYs = append(labels.XYs, xy)
		labels.Labels = append(labels.Labels, rl.label)
		rightAligned = append(rightAligned, rl.solid)
	}
	for _, c := range []struct {
		name  string
		bytes int
	}{{"L1d", r.l1d}, {"L2", r.l2}, {"L3", r.l3}} {
		if c.bytes == 0 {
			continue
		}
		n := math.Sqrt(float64(c.bytes) / float64(elemBytes(t)))
		if n <= xmin || n >= xmax {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: n, Y: ymin}, {X: n, Y: ymax}})
		if err != nil {
			return nil, false, err
		}
		cacheStyle(l)
		p.Add(l)
		labels.XYs = append(labels.XYs, plotter.XY{X: n * 1.03, Y: ymin * 1.08})
		labels.Labels = append(labels.Labels, fmt.Sprintf("A fills %s (%s)", c.name, bytesName(c.bytes)))
		rightAligned = append(rightAligned, false)
	}
	if len(labels.Labels) > 0 {
		lab, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, false, err
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i].Color = roofColor
			lab.TextStyle[i].Font.Size = vg.Points(10)
			if rightAligned[i] {
				lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XRight, draw.YTop
			}
		}
		p.Add(lab)
	}

	for _, s := range lines {
		l, pts, err := implLine(s.impl, s.xys)
		if err != nil {
			return nil, false, err
		}
		p.Add(l, pts)
	}
	return p, true, nil
}

// implLine returns the line and markers that draw impl.
func implLine(impl string, xys plotter.XYs) (*plotter.Line, *plotter.Scatter, error) {
	l, pts, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, nil, err
	}
	st, ok := implStyles[impl]
	if !ok {
		st = implStyle{color.Gray{Y: 100}, draw.CrossGlyph{}}
	}
	l.Color, l.Width = st.color, vg.Points(2)
	pts.Color, pts.Shape, pts.Radius = st.color, st.glyph, vg.Points(4)
	return l, pts, nil
}

// roofStyle styles a horizontal roof line: solid for the FMA peak, dashed
// for a read bandwidth.
func roofStyle(l *plotter.Line, solid bool) {
	l.Color = roofColor
	l.Width = vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
	if solid {
		l.Width, l.Dashes = vg.Points(2), nil
	}
}

// cacheStyle styles a vertical line at a cache's capacity.
func cacheStyle(l *plotter.Line) {
	l.Color = cacheColor
	l.Dashes = []vg.Length{vg.Points(1.5), vg.Points(3)}
}

// A keyEntry is one entry of the chart's key.
type keyEntry struct {
	text   string
	thumbs []plot.Thumbnailer
}

// chartKey returns the key: each implementation, then the line styles of
// the roofs and the cache sizes.
func chartKey(d *data, r roofs) ([]keyEntry, error) {
	var impls []string
	for _, row := range chartPanels {
		for _, p := range row {
			impls = append(impls, d.implsOf(p.bench, p.t, "GFLOP/s")...)
		}
	}
	impls = implColumns(slices.Compact(slices.Sorted(slices.Values(impls))))
	one := plotter.XYs{{X: 1, Y: 1}}
	var key []keyEntry
	for _, impl := range impls {
		l, pts, err := implLine(impl, one)
		if err != nil {
			return nil, err
		}
		key = append(key, keyEntry{impl, []plot.Thumbnailer{l, pts}})
	}
	if r.haveAny() {
		fma, err := plotter.NewLine(one)
		if err != nil {
			return nil, err
		}
		roofStyle(fma, true)
		bw, err := plotter.NewLine(one)
		if err != nil {
			return nil, err
		}
		roofStyle(bw, false)
		key = append(key, keyEntry{"FMA peak", []plot.Thumbnailer{fma}},
			keyEntry{"read bandwidth × flop/B", []plot.Thumbnailer{bw}})
	}
	if r.l1d != 0 {
		c, err := plotter.NewLine(one)
		if err != nil {
			return nil, err
		}
		cacheStyle(c)
		key = append(key, keyEntry{"A fills a cache", []plot.Thumbnailer{c}})
	}
	return key, nil
}

// drawKey draws the key in one row across c.
func drawKey(c draw.Canvas, key []keyEntry) {
	if len(key) == 0 {
		return
	}
	widths := make([]vg.Length, len(key))
	var total vg.Length
	for i, e := range key {
		widths[i] = vg.Length(len([]rune(e.text)))*vg.Points(7) + vg.Points(50)
		total += widths[i]
	}
	x := c.Min.X
	for i, e := range key {
		l := plot.NewLegend()
		l.Left, l.Top = true, true
		l.TextStyle.Font.Size = vg.Points(12)
		l.ThumbnailWidth = vg.Points(28)
		l.Add(e.text, e.thumbs...)
		cell := c
		cell.Min.X, cell.Max.X = x, x+widths[i]
		l.Draw(cell)
		x += widths[i]
	}
}

// xTicks labels every size that ran.
func xTicks(sizes []int) plot.ConstantTicks {
	var ticks plot.ConstantTicks
	for _, n := range sizes {
		ticks = append(ticks, plot.Tick{Value: float64(n), Label: fmt.Sprint(n)})
	}
	return ticks
}

// yTicks labels 1, 2, 5 times the powers of ten in [lo, hi].
func yTicks(lo, hi float64) plot.ConstantTicks {
	var ticks plot.ConstantTicks
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
			}
		}
	}
	return ticks
}
