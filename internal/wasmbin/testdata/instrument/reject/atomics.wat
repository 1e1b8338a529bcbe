;; Threads: an atomic instruction (prefix 0xfe) must be rejected.
(module
  (memory 1 1 shared)
  (func (export "f") (param i32) (result i32)
    (i32.atomic.rmw.add (i32.const 0) (local.get 0))))
