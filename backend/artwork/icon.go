package artwork

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/png"
	"io"
	"math"
)

// errIconSize is returned for an icon that an ICO cannot hold.
var errIconSize = errors.New("artwork: an icon is 1 to 256 pixels square")

// ICO writes the server's icon (favicon.ico): the show's colours, a dot and
// a ring, side pixels square. The ICO holds the image as PNG, which every
// browser of the last fifteen years reads.
func ICO(w io.Writer, side int) error {
	if side < 1 || side > 256 {
		return errIconSize
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, iconImage(side)); err != nil {
		return err
	}
	dim := byte(side) // 0 means 256 in an ICO directory entry
	if side == 256 {
		dim = 0
	}
	var head bytes.Buffer
	// ICONDIR: reserved, type 1 (icon), one image.
	binary.Write(&head, binary.LittleEndian, [3]uint16{0, 1, 1})
	// ICONDIRENTRY: width, height, colours, reserved, planes, bits per
	// pixel, size of the data, where it starts.
	head.Write([]byte{dim, dim, 0, 0})
	binary.Write(&head, binary.LittleEndian, [2]uint16{1, 32})
	binary.Write(&head, binary.LittleEndian, [2]uint32{uint32(pngData.Len()), 6 + 16})
	if _, err := w.Write(head.Bytes()); err != nil {
		return err
	}
	_, err := w.Write(pngData.Bytes())
	return err
}

func iconImage(side int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	s := float64(side)
	c := s / 2
	corner := s * 0.22
	for y := range side {
		for x := range side {
			px, py := float64(x)+0.5, float64(y)+0.5
			// A rounded square: distance outside the inner square, against
			// the corner radius.
			dx, dy := math.Max(math.Abs(px-c)-(c-corner), 0), math.Max(math.Abs(py-c)-(c-corner), 0)
			inside := clamp01(corner + 0.5 - math.Hypot(dx, dy))
			if inside == 0 {
				continue
			}
			col := Show.Background
			d := math.Hypot(px-c, py-c)
			dot := clamp01(s*0.12 + 0.5 - d)
			ring := clamp01(s*0.05 + 0.5 - math.Abs(d-s*0.3))
			col = blend(col, Show.Accent, max(dot, ring))
			col.A = uint8(math.Round(inside * 255))
			// RGBA is premultiplied.
			a := inside
			col.R, col.G, col.B = uint8(float64(col.R)*a), uint8(float64(col.G)*a), uint8(float64(col.B)*a)
			img.SetRGBA(x, y, col)
		}
	}
	return img
}
