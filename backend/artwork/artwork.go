// Package artwork draws the pictures podcast apps show next to a feed and
// its episodes: a square cover with the title on the colours of the
// template it was made with, and the server's icon. Everything is drawn
// here, with the Go fonts, so a feed has artwork without any outside
// service or file.
package artwork

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Size is the side of a cover in pixels: Apple Podcasts and most apps
// want at least 1400×1400.
const Size = 1400

// Layout of a cover, in pixels.
const (
	margin       = 120
	kickerSize   = 54
	footerSize   = 44
	titleMax     = 150 // the title's largest font size; long titles shrink
	titleMin     = 56
	titleTop     = 300 // where the title's block starts
	titleBottom  = 1120
	lineSpacing  = 1.12
	maxKickerLen = 60
	maxTitleLen  = 300
)

// Cover is what one cover shows.
type Cover struct {
	Title   string
	Kicker  string // a short line above the title, e.g. the template's name
	Palette Palette
}

var fonts = sync.OnceValues(func() (map[string]*opentype.Font, error) {
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	return map[string]*opentype.Font{"bold": bold, "regular": regular}, nil
})

func face(name string, size float64) (font.Face, error) {
	fs, err := fonts()
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(fs[name], &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

// Image draws the cover.
func (c Cover) Image() (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, Size, Size))
	draw.Draw(img, img.Bounds(), image.NewUniform(c.Palette.Background), image.Point{}, draw.Src)
	rings(img, c.Palette.Accent)

	title := clean(c.Title, maxTitleLen)
	if title == "" {
		title = "Untitled"
	}
	lines, tf, size, err := fitTitle(title)
	if err != nil {
		return nil, err
	}
	defer tf.Close()
	y := titleTop + int(size)
	for _, l := range lines {
		text(img, tf, c.Palette.Text, margin, y, l)
		y += int(size * lineSpacing)
	}

	if kicker := strings.ToUpper(clean(c.Kicker, maxKickerLen)); kicker != "" {
		kf, err := face("bold", kickerSize)
		if err != nil {
			return nil, err
		}
		defer kf.Close()
		kicker = ellipsis(kf, kicker, Size-2*margin)
		text(img, kf, c.Palette.Accent, margin, 200, kicker)
	}
	ff, err := face("regular", footerSize)
	if err != nil {
		return nil, err
	}
	defer ff.Close()
	text(img, ff, c.Palette.Text, margin, Size-margin, "podcastfy")
	return img, nil
}

// PNG writes the cover as a PNG.
func (c Cover) PNG(w io.Writer) error {
	img, err := c.Image()
	if err != nil {
		return err
	}
	// Flat colours compress well even at the fastest level.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

// fitTitle wraps title at the largest size at which it fits the title's
// block, breaking words that are wider than a line on their own.
func fitTitle(title string) ([]string, font.Face, float64, error) {
	for size := float64(titleMax); ; size = math.Floor(size * 0.9) {
		f, err := face("bold", max(size, titleMin))
		if err != nil {
			return nil, nil, 0, err
		}
		lines := wrap(f, title, Size-2*margin)
		height := float64(len(lines)-1)*size*lineSpacing + size
		if height <= titleBottom-titleTop || size <= titleMin {
			if size <= titleMin {
				size = titleMin
				if most := int((titleBottom-titleTop-size)/(size*lineSpacing)) + 1; len(lines) > most {
					lines = lines[:most]
					lines[most-1] = ellipsis(f, lines[most-1]+"…", Size-2*margin)
				}
			}
			return lines, f, size, nil
		}
		f.Close()
	}
}

// wrap splits s into lines no wider than width.
func wrap(f font.Face, s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		for font.MeasureString(f, word).Ceil() > width {
			// A word wider than a line: break it where it overflows.
			if line != "" {
				lines, line = append(lines, line), ""
			}
			cut := fitPrefix(f, word, width)
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		next := word
		if line != "" {
			next = line + " " + word
		}
		if font.MeasureString(f, next).Ceil() > width {
			lines, next = append(lines, line), word
		}
		line = next
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fitPrefix is the length in bytes of the longest prefix of s (at least one
// character) no wider than width.
func fitPrefix(f font.Face, s string, width int) int {
	cut := 0
	for i, r := range s {
		end := i + utf8.RuneLen(r)
		if cut > 0 && font.MeasureString(f, s[:end]).Ceil() > width {
			break
		}
		cut = end
	}
	return cut
}

// ellipsis shortens s with "…" until it is no wider than width.
func ellipsis(f font.Face, s string, width int) string {
	if font.MeasureString(f, s).Ceil() <= width {
		return s
	}
	r := []rune(strings.TrimSuffix(s, "…"))
	for len(r) > 0 && font.MeasureString(f, string(r)+"…").Ceil() > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// clean keeps printable text on one line, at most n characters.
func clean(s string, n int) string {
	s = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}

func text(img draw.Image, f font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// rings draws three concentric rings in the lower right corner, partly off
// the cover: a sound wave, in the template's accent colour.
func rings(img *image.RGBA, accent color.RGBA) {
	cx, cy := float64(Size)*0.92, float64(Size)*0.94
	radii := []float64{180, 330, 480}
	const width = 44
	reach := radii[len(radii)-1] + width
	for y := max(0, int(cy-reach)); y < Size; y++ {
		for x := max(0, int(cx-reach)); x < Size; x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			cover := 0.0
			for i, r := range radii {
				// Inner rings are stronger: the sound fades as it spreads.
				a := 1 - 0.3*float64(i)
				cover = max(cover, a*clamp01(width/2+0.5-math.Abs(d-r)))
			}
			if cover > 0 {
				img.SetRGBA(x, y, blend(img.RGBAAt(x, y), accent, cover*0.85))
			}
		}
	}
}

func clamp01(v float64) float64 { return max(0, min(1, v)) }

func blend(under, over color.RGBA, a float64) color.RGBA {
	mix := func(u, o uint8) uint8 { return uint8(math.Round(float64(u)*(1-a) + float64(o)*a)) }
	return color.RGBA{mix(under.R, over.R), mix(under.G, over.G), mix(under.B, over.B), 255}
}
