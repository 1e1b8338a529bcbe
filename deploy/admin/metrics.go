package admin

import "github.com/prometheus/client_golang/prometheus"

// metrics count what the admin API did and refused.
type metrics struct {
	changes  *prometheus.CounterVec // tenant, action, result
	refusals *prometheus.CounterVec // reason
}

// Refusal reasons: one per status the API refuses with.
var refusalReasons = []string{"unauthorized", "rate_limited", "forbidden", "too_large", "rejected", "conflict", "bad_request", "not_found"}

// newMetrics registers the API's metrics on reg; nil reg counts nothing.
func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		return nil
	}
	m := &metrics{
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "civetbox_admin_changes_total",
			Help: "Changes asked of the admin API: uploads, activations, rollbacks, deletions, bindings, by result (done or refused)."},
			[]string{"tenant", "action", "result"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "civetbox_admin_refusals_total",
			Help: "Admin API requests refused, by reason (the error code)."}, []string{"reason"}),
	}
	reg.MustRegister(m.changes, m.refusals)
	for _, r := range refusalReasons {
		m.refusals.WithLabelValues(r)
	}
	return m
}

func (m *metrics) change(tenant, action string, err error) {
	if m == nil {
		return
	}
	result := "done"
	if err != nil {
		result = "refused"
	}
	m.changes.WithLabelValues(tenant, action, result).Inc()
}

func (m *metrics) refused(code string) {
	if m != nil {
		m.refusals.WithLabelValues(code).Inc()
	}
}
