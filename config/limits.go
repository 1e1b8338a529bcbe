package config

import "time"

// Effective are a tenant's limits with nothing unset.
type Effective struct {
	MemoryMiB     int
	Timeout       time.Duration
	MaxConcurrent int
	Queue         int
	QueueTimeout  time.Duration
	MaxBodyMiB    int // 0: no limit
	MaxHeaderKiB  int
	GuestLogKiB   int
}

// Defaults are the limits of a tenant that sets none, in a file that sets
// none under [limits].
var Defaults = Effective{
	MemoryMiB:     128,
	Timeout:       30 * time.Second,
	MaxConcurrent: 32,
	Queue:         64,
	QueueTimeout:  2 * time.Second,
	MaxBodyMiB:    64,
	MaxHeaderKiB:  64,
	GuestLogKiB:   64,
}

// over returns base with every field l sets replaced.
func (l Limits) over(base Effective) Effective {
	set(&base.MemoryMiB, l.MemoryMiB)
	setDuration(&base.Timeout, l.Timeout)
	set(&base.MaxConcurrent, l.MaxConcurrent)
	set(&base.Queue, l.Queue)
	setDuration(&base.QueueTimeout, l.QueueTimeout)
	set(&base.MaxBodyMiB, l.MaxBodyMiB)
	set(&base.MaxHeaderKiB, l.MaxHeaderKiB)
	set(&base.GuestLogKiB, l.GuestLogKiB)
	return base
}

func set(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setDuration(dst *time.Duration, v *Duration) {
	if v != nil {
		*dst = v.Duration
	}
}

// Effective returns tenant t's limits: its own over the file's over the
// defaults.
func (c *Config) Effective(t Tenant) Effective {
	return t.Limits.over(c.Limits.over(Defaults))
}

// checkLimits reports the first limit of e outside its range; where names
// the table ("limits", `tenant "acme" limits`).
func checkLimits(where string, e Effective) error {
	checks := []struct {
		key      string
		v        int64
		min, max int64
	}{
		{"memory_mib", int64(e.MemoryMiB), 1, 4096},
		{"timeout", int64(e.Timeout), int64(time.Millisecond), int64(24 * time.Hour)},
		{"max_concurrent", int64(e.MaxConcurrent), 1, 1 << 20},
		{"queue", int64(e.Queue), 0, 1 << 20},
		{"queue_timeout", int64(e.QueueTimeout), 0, int64(time.Hour)},
		{"max_body_mib", int64(e.MaxBodyMiB), 0, 1 << 20},
		{"max_header_kib", int64(e.MaxHeaderKiB), 1, 1 << 10},
		{"guest_log_kib", int64(e.GuestLogKiB), 1, 1 << 20},
	}
	for _, c := range checks {
		if c.v < c.min || c.v > c.max {
			return errorf("%s.%s %s is outside %s-%s", where, c.key, show(c.key, c.v), show(c.key, c.min), show(c.key, c.max))
		}
	}
	return nil
}

// show prints a limit value: durations as durations.
func show(key string, v int64) string {
	if key == "timeout" || key == "queue_timeout" {
		return time.Duration(v).String()
	}
	return itoa(v)
}
