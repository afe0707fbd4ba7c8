package monitor

import (
	"context"
	"fmt"
	"net"
	"strconv"
)

// portChecks connects to each risky port of host: a completed TCP
// handshake is an exposed service. Only connects, never speaks: enough to
// know the firewall lets the world in.
func (c *Checker) portChecks(ctx context.Context, host string) []Result {
	ports := c.Ports
	if ports == nil {
		ports = DefaultPorts()
	}
	if len(ports) == 0 {
		return nil
	}
	addrs, err := c.lookupAddrs(ctx, host)
	out := make([]Result, 0, len(ports))
	for _, p := range ports {
		r := result("open-port", Pass, "")
		r.Instance = p.Service
		switch {
		case err != nil:
			r.Status, r.Evidence = Error, err.Error()
		default:
			addr := net.JoinHostPort(addrs[0].String(), strconv.Itoa(p.Port))
			d := net.Dialer{Timeout: c.timeout()}
			conn, derr := d.DialContext(ctx, "tcp", addr)
			if derr == nil {
				watched(c.watch, conn).Close()
				r.Status, r.Evidence = Fail, fmt.Sprintf("%s (%s) accepts connections", addr, p.Service)
			} else {
				r.Evidence = fmt.Sprintf("%s (%s) closed or filtered", addr, p.Service)
			}
		}
		out = append(out, r)
	}
	return out
}
