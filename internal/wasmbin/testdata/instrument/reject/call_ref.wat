;; Typed function references: call_ref (0x14) must be rejected.
(module
  (type $t (func (param i32) (result i32)))
  (func $g (type $t) (local.get 0))
  (elem declare func $g)
  (func (export "f") (param i32) (result i32)
    (call_ref (local.get 0) (ref.func $g))))
