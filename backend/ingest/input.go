package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// input is a file's bytes as a stream, with its size when known (-1 when
// not), so audio can be streamed to the server instead of held in memory.
type input struct {
	r    io.Reader
	size int64
}

func newBytesInput(b []byte) input { return input{r: bytes.NewReader(b), size: int64(len(b))} }

func newFileInput(f *os.File) (input, error) {
	st, err := f.Stat()
	if err != nil {
		return input{}, fmt.Errorf("%w: cannot read the file: %v", ErrInvalidInput, err)
	}
	if !st.Mode().IsRegular() {
		return input{}, fmt.Errorf("%w: %s is not a regular file", ErrInvalidInput, st.Name())
	}
	return input{r: f, size: st.Size()}, nil
}

// newReaderInput learns the size from readers that know it.
func newReaderInput(r io.Reader) (input, error) {
	switch v := r.(type) {
	case *os.File:
		return newFileInput(v)
	case interface{ Size() int64 }: // bytes.Reader, strings.Reader
		if s, ok := r.(io.Seeker); ok {
			pos, err := s.Seek(0, io.SeekCurrent)
			if err != nil {
				return input{}, err
			}
			return input{r: r, size: v.Size() - pos}, nil
		}
	}
	return input{r: r, size: -1}, nil
}

// readAll reads at most limit bytes and reports ErrTooLarge beyond.
func readAll(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading failed: %w", ErrInvalidInput, err)
	}
	if int64(len(b)) > limit {
		return nil, failf(ErrTooLarge, "the %s is larger than %s, the limit", what, sizeString(limit))
	}
	return b, nil
}
