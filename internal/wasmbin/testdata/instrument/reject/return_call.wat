;; Tail calls: return_call (0x12) must be rejected.
(module
  (func $g (param i32) (result i32) (local.get 0))
  (func (export "f") (param i32) (result i32)
    (return_call $g (local.get 0))))
