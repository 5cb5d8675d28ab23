package audio
import "math"
func log10(x float32) float64 { return math.Log10(float64(x)) }
func pow10(x float64) float64 { return math.Pow(10, x) }
