;; Threads: atomic.fence (0xfe 0x03) must be rejected too.
(module
  (func (export "f") (atomic.fence)))
