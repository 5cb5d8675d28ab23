package ingest

import (
	"context"
	"net"
	"net/netip"
)

// CheckURL applies the link rules before anything is fetched, so a job can
// be refused before it starts: the scheme, and for an Ingester that blocks
// private hosts, every address the host name has now (ErrPrivateHost). A
// name that cannot be looked up is ErrFetch. The fetch checks again when it
// dials, so a name that changes its answer in between gains nothing.
func (in *Ingester) CheckURL(ctx context.Context, raw string) error {
	u, err := in.parseLink(raw)
	if err != nil || !in.opts.BlockPrivateHosts {
		return err
	}
	host := u.Hostname()
	if _, err := netip.ParseAddr(host); err == nil {
		return nil // an address: parseLink checked it
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return failf(ErrFetch, "%s cannot be found: %v", host, err)
	}
	for _, ip := range addrs {
		if !publicIP(ip) {
			return failf(ErrPrivateHost, "%s is at %s, a private address", host, ip)
		}
	}
	return nil
}

// CheckTranscriber reports whether recordings can be turned into text now:
// ErrNoASR without a speech recognition server, else the server's health.
func (in *Ingester) CheckTranscriber(ctx context.Context) error {
	if in.opts.Transcriber == nil {
		return failf(ErrNoASR, "recordings need a speech recognition server "+
			"(Whisper ASR Webservice, whisper.cpp or an OpenAI-compatible one) — set one up in the settings")
	}
	return in.opts.Transcriber.Health(ctx)
}
