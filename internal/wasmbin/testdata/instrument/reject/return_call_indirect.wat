;; Tail calls: return_call_indirect (0x13) must be rejected.
(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (func (export "f") (param i32) (result i32)
    (return_call_indirect (type $t) (local.get 0) (i32.const 0))))
