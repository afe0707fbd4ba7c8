package probe

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"

	"github.com/chromedp/chromedp"
)

// screenshot opens the page in a headless Chromium of its own (a new
// profile each time, nothing kept) and returns a PNG of the viewport. The
// browser reaches the host at the address already checked, never through
// another lookup.
func (p *Prober) screenshot(ctx context.Context, pageURL, host, addr string) ([]byte, error) {
	if _, err := os.Stat(p.Chromium); err != nil {
		return nil, fmt.Errorf("no browser: %w", err)
	}
	if addr == "" {
		return nil, fmt.Errorf("screenshot: no checked address for %s", host)
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	// MAP the page's name to the address checked: the browser resolves
	// nothing itself. Every other name fails, so the check contacts the
	// matched domain only, not the trackers, CDNs or real bank a kit
	// pulls its pieces from.
	ip, port, _ := net.SplitHostPort(addr)
	rules := "MAP " + u.Hostname() + " " + ip
	if _, ok := p.Ports[u.Scheme]; ok {
		rules = "MAP " + u.Hostname() + " " + net.JoinHostPort(ip, port)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(p.Chromium),
		chromedp.WindowSize(1280, 900),
		chromedp.UserAgent(userAgent),
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("host-resolver-rules", rules+", MAP * ~NOTFOUND"),
	)
	if os.Geteuid() == 0 {
		// Chromium will not start its sandbox as root. The profile is
		// thrown away after each page, but a fraudster's scripts then run
		// unconfined: run serve as an ordinary user.
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if _, err := chromedp.Run(bctx, chromedp.Navigate(pageURL)); err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return png, nil
}
