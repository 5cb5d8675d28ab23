package artwork

import (
	"hash/fnv"
	"image/color"
	"math"
)

// Palette is a cover's colours.
type Palette struct {
	Background color.RGBA
	Accent     color.RGBA // the rings and the line above the title
	Text       color.RGBA
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}

var white = rgb(0xffffff)

// builtin are the colours of the built-in templates: each its own, so a
// podcast app's list shows at a glance which kind of episode is which.
var builtin = map[string]Palette{
	"deep-dive": {rgb(0x12264a), rgb(0xf2a93b), white},
	"brief":     {rgb(0x0f3d3e), rgb(0x7fe0c5), white},
	"critique":  {rgb(0x3b1220), rgb(0xff6f61), white},
	"debate":    {rgb(0x2b1a4a), rgb(0xffcc4d), white},
	"eli10":     {rgb(0xfff4d6), rgb(0xe8612c), rgb(0x1f2937)},
	"interview": {rgb(0x1d3b2a), rgb(0xa3e635), white},
}

// Show is the palette of a whole feed's cover and of the icon.
var Show = Palette{rgb(0x1f2430), rgb(0x6ea8fe), white}

// ForTemplate returns the palette of a template: a built-in template's own,
// and for any other a dark background and a bright accent whose hue comes
// from the template's id, so the same template always looks the same. An
// empty id (a podcast made without a template) gets Show.
func ForTemplate(id string) Palette {
	if p, ok := builtin[id]; ok {
		return p
	}
	if id == "" {
		return Show
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	hue := float64(h.Sum32()%360) / 360
	return Palette{
		Background: hsl(hue, 0.45, 0.18),
		Accent:     hsl(math.Mod(hue+0.11, 1), 0.85, 0.62),
		Text:       white,
	}
}

// hsl converts a colour from hue, saturation and lightness (all 0–1).
func hsl(h, s, l float64) color.RGBA {
	q := l + s - l*s
	if l < 0.5 {
		q = l * (1 + s)
	}
	p := 2*l - q
	channel := func(t float64) uint8 {
		t = math.Mod(t+1, 1)
		var v float64
		switch {
		case t < 1.0/6:
			v = p + (q-p)*6*t
		case t < 0.5:
			v = q
		case t < 2.0/3:
			v = p + (q-p)*(2.0/3-t)*6
		default:
			v = p
		}
		return uint8(math.Round(v * 255))
	}
	return color.RGBA{channel(h + 1.0/3), channel(h), channel(h - 1.0/3), 255}
}
