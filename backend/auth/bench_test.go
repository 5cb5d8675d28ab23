package auth

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// BenchmarkLogin prints the time one login takes (one bcrypt check plus
// signing a token) at bcrypt.DefaultCost and at DefaultBcryptCost, so the
// cost choice can be judged on the machine at hand.
func BenchmarkLogin(b *testing.B) {
	for _, cost := range []int{bcrypt.DefaultCost, DefaultBcryptCost} {
		b.Run(fmt.Sprintf("cost=%d", cost), func(b *testing.B) {
			s := New(newUsers(b), testKey, Options{BcryptCost: cost})
			if _, err := s.CreateUser("alice", "alice-password", nil, false); err != nil {
				b.Fatal(err)
			}
			n, start := 0, time.Now()
			for b.Loop() {
				if _, err := s.Login("alice", "alice-password", "127.0.0.1"); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(cost), "bcrypt-cost")
			b.ReportMetric(time.Since(start).Seconds()*1000/float64(n), "ms/login")
		})
	}
}

// BenchmarkVerify prints the cost of checking a session token, paid on every
// authenticated request.
func BenchmarkVerify(b *testing.B) {
	s := New(newUsers(b), testKey, Options{BcryptCost: bcrypt.MinCost})
	if _, err := s.CreateUser("alice", "alice-password", nil, false); err != nil {
		b.Fatal(err)
	}
	session, err := s.Login("alice", "alice-password", "")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Verify(session.Token); err != nil {
			b.Fatal(err)
		}
	}
}
