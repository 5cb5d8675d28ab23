package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"podcastfy/backend/store"
)

// File names of the self-signed certificate, in the data folder.
const (
	certFile = "tls-cert.pem"
	keyFile  = "tls-key.pem"
)

// certLifetime is how long a generated certificate is valid.
const certLifetime = 825 * 24 * time.Hour

// LoadOrCreateCert returns the server's TLS certificate from dir and its
// SHA-256 fingerprint (hex, colon-separated, as browsers show it). On first
// use, or when the stored one has expired, it makes a self-signed ECDSA
// P-256 certificate for localhost, 127.0.0.1, ::1, bind (when specific) and
// the machine's LAN addresses, and stores it (the key with mode 0600).
func LoadOrCreateCert(dir string, bind net.IP, now time.Time) (tls.Certificate, string, error) {
	certPath, keyPath := filepath.Join(dir, certFile), filepath.Join(dir, keyFile)
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	switch {
	case err == nil && now.Before(cert.Leaf.NotAfter):
		return cert, fingerprint(cert.Certificate[0]), nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return tls.Certificate{}, "", fmt.Errorf("TLS certificate %s: %w (remove %s and %s to make a new one)", certPath, err, certFile, keyFile)
	}
	ips := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	if bind != nil && !bind.IsUnspecified() && !bind.IsLoopback() {
		ips = append(ips, bind)
	}
	ips = append(ips, lanAddresses()...)
	certPEM, keyPEM, err := makeCert(ips, now)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	if err := store.WriteFileAtomic(keyPath, keyPEM, 0o600); err != nil {
		return tls.Certificate{}, "", fmt.Errorf("saving the TLS key: %w", err)
	}
	if err := store.WriteFileAtomic(certPath, certPEM, 0o644); err != nil {
		return tls.Certificate{}, "", fmt.Errorf("saving the TLS certificate: %w", err)
	}
	cert, err = tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("the new TLS certificate: %w", err)
	}
	return cert, fingerprint(cert.Certificate[0]), nil
}

func makeCert(ips []net.IP, now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("making the TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("making the TLS certificate: %w", err)
	}
	hosts := []string{"localhost"}
	if h, err := os.Hostname(); err == nil && h != "" && h != "localhost" {
		hosts = append(hosts, h)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "podcastfy", Organization: []string{"podcastfy (self-signed)"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              hosts,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("making the TLS certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the TLS key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// fingerprint is the SHA-256 of a DER certificate as AB:CD:….
func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
