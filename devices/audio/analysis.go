package audio

import "math"

// Helpers for tests across the project that check what a guest played:
// decode frames to per-channel floats, then measure a tone's frequency
// and level.

// Decode returns the frames in data (format f) as one slice per channel,
// scaled to [-1, 1).
func Decode(f Format, data []byte) [][]float64 {
	if f.Check() != nil {
		return nil
	}
	n := len(data) / f.FrameBytes()
	out := make([][]float64, f.Channels)
	for ch := range out {
		out[ch] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for ch := 0; ch < f.Channels; ch++ {
			out[ch][i] = float64(decode(f.Sample, data, i*f.Channels+ch)) / 2147483648
		}
	}
	return out
}

// RMS returns the root mean square of x (a full-scale sine gives 0.707).
func RMS(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s / float64(len(x)))
}

// Peak returns the largest absolute sample of x.
func Peak(x []float64) float64 {
	var p float64
	for _, v := range x {
		p = max(p, math.Abs(v))
	}
	return p
}

// ZeroCrossingFrequency estimates the frequency of a single tone in x
// (rate frames per second) from its rising zero crossings, interpolated
// between samples: the number of whole periods between the first and the
// last crossing, over the time between them. It returns 0 when x holds
// fewer than two rising crossings.
func ZeroCrossingFrequency(x []float64, rate int) float64 {
	first, last := -1.0, -1.0
	periods := 0
	for i := 1; i < len(x); i++ {
		if x[i-1] < 0 && x[i] >= 0 {
			t := float64(i-1) + x[i-1]/(x[i-1]-x[i])
			if first < 0 {
				first = t
			} else {
				periods++
			}
			last = t
		}
	}
	if periods == 0 {
		return 0
	}
	return float64(periods) * float64(rate) / (last - first)
}

// ToneLevel returns the amplitude (of full scale) of the component of x
// at freq Hz, by the Goertzel algorithm over x with a Hann window: a sine
// of amplitude a at freq gives about a.
func ToneLevel(x []float64, rate int, freq float64) float64 {
	n := len(x)
	if n == 0 {
		return 0
	}
	w := 2 * math.Pi * freq / float64(rate)
	coeff := 2 * math.Cos(w)
	var s1, s2, wsum float64
	for i, v := range x {
		h := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
		wsum += h
		s := v*h + coeff*s1 - s2
		s2, s1 = s1, s
	}
	re := s1 - s2*math.Cos(w)
	im := s2 * math.Sin(w)
	return 2 * math.Sqrt(re*re+im*im) / wsum
}

// DominantFrequency returns the frequency between lo and hi Hz with the
// largest ToneLevel in x: a coarse scan, then two finer ones around the
// best. It looks at most at the first 16384 samples.
func DominantFrequency(x []float64, rate int, lo, hi float64) float64 {
	if len(x) > 16384 {
		x = x[:16384]
	}
	best := lo
	step := (hi - lo) / 200
	for pass := 0; pass < 3 && step > 0; pass++ {
		from, to := max(lo, best-10*step), min(hi, best+10*step)
		if pass == 0 {
			from, to = lo, hi
		}
		level := -1.0
		for f := from; f <= to; f += step {
			if l := ToneLevel(x, rate, f); l > level {
				level, best = l, f
			}
		}
		step /= 10
	}
	return best
}
