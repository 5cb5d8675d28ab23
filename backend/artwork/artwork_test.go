package artwork

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"testing"
)

// textPixels counts the pixels of the text colour in a rectangle.
func textPixels(img *image.RGBA, r image.Rectangle, c color.RGBA) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) == c {
				n++
			}
		}
	}
	return n
}

func TestCover(t *testing.T) {
	t.Parallel()
	tests := map[string]Cover{
		"short":             {Title: "Rivers", Kicker: "Deep dive", Palette: ForTemplate("deep-dive")},
		"long":              {Title: strings.Repeat("The long patience of water and the rivers it makes ", 6), Kicker: "Brief", Palette: ForTemplate("brief")},
		"one endless word":  {Title: strings.Repeat("Donaudampfschifffahrt", 8), Palette: ForTemplate("eli10")},
		"control chars":     {Title: "Line\none\x00\ttwo", Kicker: "\x1b[31mred", Palette: ForTemplate("my-own")},
		"not Latin":         {Title: "Реки и дельты — ποταμοί", Palette: Show},
		"no title":          {Title: "   ", Palette: Show},
		"invalid UTF-8":     {Title: "caf\xe9 \xff", Palette: Show},
		"a custom template": {Title: "Mine", Kicker: "my template", Palette: ForTemplate("mine")},
	}
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := c.PNG(&buf); err != nil {
				t.Fatal(err)
			}
			decoded, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("the cover is not a PNG: %v", err)
			}
			if b := decoded.Bounds(); b.Dx() < 1400 || b.Dy() != b.Dx() {
				t.Fatalf("cover is %v, want at least 1400×1400 and square", b)
			}
			img, ok := decoded.(*image.RGBA)
			if !ok {
				img = image.NewRGBA(decoded.Bounds())
				draw.Draw(img, img.Bounds(), decoded, image.Point{}, draw.Src)
			}
			if got := img.RGBAAt(5, 5); got != c.Palette.Background {
				t.Errorf("background %v, want the palette's %v", got, c.Palette.Background)
			}
			// The title is drawn, inside the margins and above the footer.
			title := image.Rect(margin, titleTop, Size-margin, titleBottom)
			if n := textPixels(img, title, c.Palette.Text); n < 2000 {
				t.Errorf("only %d pixels of title text", n)
			}
			outside := textPixels(img, image.Rect(Size-margin+4, 0, Size, titleBottom), c.Palette.Text) +
				textPixels(img, image.Rect(0, titleBottom+10, Size, Size-margin-footerSize), c.Palette.Text)
			if outside > 0 {
				t.Errorf("%d pixels of title text outside its block", outside)
			}
		})
	}
}

func TestTemplatePalettes(t *testing.T) {
	t.Parallel()
	seen := map[Palette]string{}
	for id := range builtin {
		p := ForTemplate(id)
		if other, ok := seen[p]; ok {
			t.Errorf("%s and %s share a palette", id, other)
		}
		seen[p] = id
	}
	if ForTemplate("mine") != ForTemplate("mine") || ForTemplate("mine") == ForTemplate("yours") {
		t.Error("a custom template's palette is not its own, or not stable")
	}
	if ForTemplate("") != Show {
		t.Error("a podcast without a template does not get the show's palette")
	}
}

func TestICO(t *testing.T) {
	t.Parallel()
	for _, side := range []int{16, 64, 256} {
		var buf bytes.Buffer
		if err := ICO(&buf, side); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		var dir [3]uint16
		binary.Read(bytes.NewReader(data), binary.LittleEndian, &dir)
		size := binary.LittleEndian.Uint32(data[14:])
		offset := binary.LittleEndian.Uint32(data[18:])
		if dir != [3]uint16{0, 1, 1} || int(offset+size) != len(data) {
			t.Fatalf("%d px: ICO header %v, image at %d+%d of %d bytes", side, dir, offset, size, len(data))
		}
		img, err := png.Decode(bytes.NewReader(data[offset:]))
		if err != nil {
			t.Fatalf("%d px: the icon's image: %v", side, err)
		}
		if b := img.Bounds(); b.Dx() != side || b.Dy() != side {
			t.Errorf("icon is %v, want %d px", b, side)
		}
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("%d px: the corner is not transparent", side)
		}
	}
	if err := ICO(&bytes.Buffer{}, 300); err == nil {
		t.Error("a 300 px ICO was written")
	}
}
