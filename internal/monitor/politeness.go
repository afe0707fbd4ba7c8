package monitor

import (
	"context"
	"net"
	"net/netip"
	"sync"
)

// groupByAddress puts the jobs whose hosts share an address in one
// group, so that one worker checks them one after another: several
// agencies' sites on one shared web server (one address, many names)
// must not be hit at once. Hosts are resolved through the checker's
// resolver, concurrency at a time; a host that does not resolve is a
// group of its own (its checks will say why). Groups keep the jobs'
// order.
func groupByAddress(ctx context.Context, c *Checker, jobs []Job, concurrency int) [][]Job {
	var hosts []string
	seen := map[string]bool{}
	for _, j := range jobs {
		if h := j.Target.Host; !seen[h] {
			seen[h] = true
			hosts = append(hosts, h)
		}
	}
	addrs := make([][]netip.Addr, len(hosts))
	if !c.byName {
		work := make(chan int)
		var wg sync.WaitGroup
		for range min(max(concurrency, 1), len(hosts)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					addrs[i], _ = c.lookupAddrs(ctx, hosts[i])
				}
			}()
		}
		for i := range hosts {
			work <- i
		}
		close(work)
		wg.Wait()
	}

	// Union-find over hosts: two hosts with an address in common are one
	// group, and so, transitively, are their other addresses' hosts.
	parent := make([]int, len(hosts))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[netip.Addr]int{}
	for i, as := range addrs {
		for _, a := range as {
			a = a.Unmap()
			if o, ok := owner[a]; ok {
				parent[find(i)] = find(o)
			} else {
				owner[a] = i
			}
		}
	}
	index := map[string]int{}
	for i, h := range hosts {
		index[h] = i
	}
	var groups [][]Job
	at := map[int]int{}
	for _, j := range jobs {
		root := find(index[j.Target.Host])
		g, ok := at[root]
		if !ok {
			g = len(groups)
			at[root] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], j)
	}
	return groups
}

// connWatch is told of every connection the checker opens and closes, by
// remote address: how the politeness test sees that no address ever has
// two connections of ours at once.
type connWatch interface {
	opened(addr netip.Addr)
	closed(addr netip.Addr)
}

// watched reports conn to w (when set) until it is closed.
func watched(w connWatch, conn net.Conn) net.Conn {
	if w == nil || conn == nil {
		return conn
	}
	ap, err := netip.ParseAddrPort(conn.RemoteAddr().String())
	if err != nil {
		return conn
	}
	w.opened(ap.Addr().Unmap())
	return &watchedConn{Conn: conn, w: w, addr: ap.Addr().Unmap()}
}

type watchedConn struct {
	net.Conn
	w    connWatch
	addr netip.Addr
	once sync.Once
}

func (c *watchedConn) Close() error {
	c.once.Do(func() { c.w.closed(c.addr) })
	return c.Conn.Close()
}

// addrLocks holds one connection at a time per address where grouping
// cannot: a mail server is often shared by the domains of many groups,
// so the MX sessions of a round take the address's lock for the length
// of one SMTP conversation. Sessions are short and open nothing else
// meanwhile, so no worker waits on a lock it holds itself. Its zero
// value is ready.
type addrLocks struct {
	mu sync.Mutex
	m  map[netip.Addr]chan struct{}
}

// lock waits for addr's turn, or for ctx to end; unlock gives it back.
func (l *addrLocks) lock(ctx context.Context, addr netip.Addr) (unlock func(), err error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[netip.Addr]chan struct{}{}
	}
	ch, ok := l.m[addr]
	if !ok {
		ch = make(chan struct{}, 1)
		l.m[addr] = ch
	}
	l.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
