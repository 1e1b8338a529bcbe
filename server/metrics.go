package server

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/civetbox/civetbox/runtime"
)

// Metrics are a server's Prometheus metrics, in a registry of their own so
// that two servers (or tests) never share counters. A nil *Metrics records
// nothing.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec   // tenant, module, route, code_class
	duration    *prometheus.HistogramVec // tenant, module, route
	traps       *prometheus.CounterVec   // tenant, module, kind
	deadline    *prometheus.CounterVec   // tenant, module
	limits      *prometheus.CounterVec   // tenant, kind
	instantiate *prometheus.HistogramVec // tenant, module
	compile     *prometheus.HistogramVec // tenant, module
	live        *liveInstances
}

// Label values for requests no tenant, module or route took: a fixed value
// rather than the raw path keeps the number of series bounded.
const noLabel = "(none)"

// Limit kinds the server enforces, besides the runtime's.
const (
	LimitConcurrency = "concurrency" // 503: queue full or queue timeout
	LimitHeadSize    = "head_size"   // 431: head over the tenant's max_header_kib
)

// limitKinds are every kind of civetbox_limit_rejections_total, created at
// zero for each tenant so that rates work before the first rejection.
var limitKinds = []string{LimitConcurrency, runtime.LimitBodySize, LimitHeadSize, runtime.LimitTooManyHeaders}

// trapKinds are the failures civetbox_guest_traps_total counts.
var trapKinds = []string{runtime.FailureTrap, runtime.FailureExit, runtime.FailureBadPointer, runtime.FailureContract}

// NewMetrics creates the metrics, with Go runtime and process metrics.
func NewMetrics() *Metrics {
	tm := []string{"tenant", "module"}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "civetbox_requests_total",
			Help: "Requests answered, by status class (aborted: the connection was cut)."},
			[]string{"tenant", "module", "route", "code_class"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "civetbox_request_duration_seconds",
			Help: "Time from the request's arrival to the end of its response.", Buckets: prometheus.DefBuckets},
			[]string{"tenant", "module", "route"}),
		traps: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "civetbox_guest_traps_total",
			Help: "Guest calls that failed: wasm trap, exit, bad pointer or other ABI contract violation."},
			[]string{"tenant", "module", "kind"}),
		deadline: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "civetbox_deadline_kills_total",
			Help: "Requests stopped by their deadline (504, or cut if the response had started)."}, tm),
		limits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "civetbox_limit_rejections_total",
			Help: "Requests refused or cut by a limit."}, []string{"tenant", "kind"}),
		instantiate: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "civetbox_instantiate_seconds",
			Help: "Time to start an instance: instantiation (or taking a reset one) and civetbox_init.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, tm),
		compile: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "civetbox_compile_seconds",
			Help: "Time to compile a module (a cache hit is fast).", Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}, tm),
		live: newLiveInstances(),
	}
	m.reg.MustRegister(m.requests, m.duration, m.traps, m.deadline, m.limits, m.instantiate, m.compile, m.live,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where the metrics are registered.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus' exposition format; nil if m is.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return nil
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// tenant creates a tenant's rejection series at zero.
func (m *Metrics) tenant(name string) {
	if m == nil {
		return
	}
	for _, kind := range limitKinds {
		m.limits.WithLabelValues(name, kind)
	}
}

// module returns the observer of one module's load-time measurements and
// creates its failure series at zero; nil if m is nil.
func (m *Metrics) module(tenant, module string) runtime.Observer {
	if m == nil {
		return nil
	}
	for _, kind := range trapKinds {
		m.traps.WithLabelValues(tenant, module, kind)
	}
	m.deadline.WithLabelValues(tenant, module)
	return moduleObserver{
		compile:     m.compile.WithLabelValues(tenant, module),
		instantiate: m.instantiate.WithLabelValues(tenant, module),
	}
}

// watch reports h's live instances as the tenant's.
func (m *Metrics) watch(tenant string, h *runtime.Handler) {
	if m != nil {
		m.live.add(tenant, h)
	}
}

// unwatch forgets h, closed after a reload.
func (m *Metrics) unwatch(h *runtime.Handler) {
	if m != nil {
		m.live.remove(h)
	}
}

// request counts one answered request.
func (m *Metrics) request(st *requestState, status int, aborted bool, d time.Duration) {
	if m == nil {
		return
	}
	tenant, module, route := orNone(st.tenant), orNone(st.Module), orNone(st.Route)
	m.requests.WithLabelValues(tenant, module, route, codeClass(status, aborted)).Inc()
	m.duration.WithLabelValues(tenant, module, route).Observe(d.Seconds())
	switch f := st.Failure; {
	case f == runtime.FailureDeadline:
		m.deadline.WithLabelValues(tenant, module).Inc()
	case isTrap(f):
		m.traps.WithLabelValues(tenant, module, f).Inc()
	}
	if st.Limit != "" {
		m.limits.WithLabelValues(tenant, st.Limit).Inc()
	}
}

func isTrap(failure string) bool {
	for _, k := range trapKinds {
		if failure == k {
			return true
		}
	}
	return false
}

// codeClass is "2xx" for 200-299 and so on; "aborted" when the connection
// was cut, whatever status had gone out: the client got no complete
// response, so counting it as a success would hide the failure.
func codeClass(status int, aborted bool) string {
	if aborted {
		return "aborted"
	}
	if status == 0 {
		status = http.StatusOK // net/http's answer to a handler that wrote nothing
	}
	return strconv.Itoa(status/100) + "xx"
}

func orNone(s string) string {
	if s == "" {
		return noLabel
	}
	return s
}

// moduleObserver feeds one module's compile and instantiation times to
// their histograms.
type moduleObserver struct{ compile, instantiate prometheus.Observer }

func (o moduleObserver) Compiled(d time.Duration)     { o.compile.Observe(d.Seconds()) }
func (o moduleObserver) Instantiated(d time.Duration) { o.instantiate.Observe(d.Seconds()) }

// liveInstances is civetbox_live_instances and civetbox_reset_instances,
// read from the handlers at each scrape rather than kept up to date on
// every instance start and close.
type liveInstances struct {
	desc, reset *prometheus.Desc
	mu          sync.Mutex
	handlers    []tenantHandler
}

type tenantHandler struct {
	tenant string
	h      *runtime.Handler
}

func newLiveInstances() *liveInstances {
	labels := []string{"tenant", "module"}
	return &liveInstances{
		desc: prometheus.NewDesc("civetbox_live_instances",
			"Instances started and not yet closed: busy ones and idle pooled ones.", labels, nil),
		reset: prometheus.NewDesc("civetbox_reset_instances",
			"Closed instances the engine keeps reset for fresh requests; each holds its memory.", labels, nil),
	}
}

func (c *liveInstances) add(tenant string, h *runtime.Handler) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handlers = append(c.handlers, tenantHandler{tenant, h})
}

func (c *liveInstances) remove(h *runtime.Handler) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handlers = slices.DeleteFunc(c.handlers, func(th tenantHandler) bool { return th.h == h })
}

func (c *liveInstances) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc; ch <- c.reset }

// Collect sums modules that share a tenant and name, as the other metrics
// do, so that no two series have the same labels.
func (c *liveInstances) Collect(ch chan<- prometheus.Metric) {
	type key struct{ tenant, module string }
	type counts struct{ live, reset int64 }
	c.mu.Lock()
	sums := map[key]counts{}
	var order []key
	for _, th := range c.handlers {
		k := key{th.tenant, th.h.Name()}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
		}
		n := sums[k]
		n.live += th.h.LiveInstances()
		n.reset += int64(th.h.IdleResetInstances())
		sums[k] = n
	}
	c.mu.Unlock()
	for _, k := range order {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(sums[k].live), k.tenant, k.module)
		ch <- prometheus.MustNewConstMetric(c.reset, prometheus.GaugeValue, float64(sums[k].reset), k.tenant, k.module)
	}
}
