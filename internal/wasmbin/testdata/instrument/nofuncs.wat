;; No defined function: imports only, re-exported, referenced from a table
;; and a global, and an imported start function.
(module
  (import "host" "tick" (func $tick))
  (import "host" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "g_i32" (global $g i32))
  (global $own (mut i64) (i64.const 77))
  (global $ref funcref (ref.func $add))
  (memory (export "mem") 1)
  (table (export "tab") 4 funcref)
  (elem (i32.const 1) $add $tick)
  (elem declare funcref (ref.func $tick))
  (data (i32.const 8) "no functions")
  (export "add" (func $add))
  (export "tick" (func $tick))
  (export "own" (global $own))
  (export "g" (global $g))
  (start $tick)
)
