;; Imports of every kind (functions, globals, memory, table) so that the
;; function and global index spaces start above zero, re-exports of imported
;; entities, a start function, ref.func in a global initializer, an active
;; element segment mixing imported and defined functions, and call_indirect
;; through an imported table.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $unop (func (param i32) (result i32)))
  (import "host" "add" (func $h_add (type $binop)))
  (import "env" "g_i32" (global $g_i32 i32))
  (import "host" "log" (func $h_log (param i32)))
  (import "env" "g_mut" (global $g_mut (mut i64)))
  (import "env" "mem" (memory $mem 1 4))
  (import "host" "mix" (func $h_mix (param i64 f32 f64 i32) (result f64)))
  (import "env" "tab" (table $tab 8 funcref))
  (import "host" "reenter" (func $h_reenter (param i32) (result i32)))

  (global $started (mut i32) (i32.const 0))
  (global $copy i32 (global.get $g_i32))
  (global $counter (mut i64) (i64.const 0))
  (global $fref funcref (ref.func $triple))
  (global $fnull funcref (ref.null func))

  (export "started" (global $started))
  (export "copy" (global $copy))
  (export "counter" (global $counter))
  (export "memory" (memory $mem))
  (export "table" (table $tab))
  (export "g_mut" (global $g_mut))
  (export "host_add" (func $h_add))
  (export "host_log" (func $h_log))

  (start $init)

  (elem (table $tab) (i32.const 0) func $double $triple $h_add $h_log $double)

  (func $init
    (global.set $started (i32.add (global.get $g_i32) (i32.const 1)))
    (call $h_log (i32.const 100))
    (i32.store (i32.const 0) (i32.const 0xdeadbeef)))

  (func $double (export "double") (type $unop)
    (i32.mul (local.get 0) (i32.const 2)))

  (func $triple (type $unop)
    (call $h_log (local.get 0))
    (i32.mul (local.get 0) (i32.const 3)))

  (func (export "sum_via_host") (param i32 i32) (result i32)
    (call $h_log (local.get 0))
    (call $h_add (call $double (local.get 0)) (local.get 1)))

  ;; call_indirect (i32) -> i32 through the imported table: entries 2 and 3
  ;; have other types and trap, 5..7 are null, 8 and beyond are out of range.
  (func (export "call_table") (param $i i32) (param $x i32) (result i32)
    (call_indirect $tab (type $unop) (local.get $x) (local.get $i)))

  (func (export "call_table_binop") (param $i i32) (param $x i32) (result i32)
    (call_indirect $tab (type $binop) (local.get $x) (local.get $x) (local.get $i)))

  (func (export "fref_call") (param $x i32) (result i32)
    (table.set $tab (i32.const 6) (global.get $fref))
    (call_indirect $tab (type $unop) (local.get $x) (i32.const 6)))

  (func (export "fnull_is_null") (result i32)
    (ref.is_null (global.get $fnull)))

  (func (export "bump") (param i64) (result i64)
    (global.set $g_mut (i64.add (global.get $g_mut) (local.get 0)))
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (global.get $g_mut))

  (func (export "mix") (param i32) (result f64)
    (call $h_mix
      (i64.extend_i32_s (local.get 0))
      (f32.convert_i32_s (local.get 0))
      (f64.const 0.5)
      (local.get 0)))

  ;; The host's reenter(n) calls back into reentry_target(n) when
  ;; 0 <= n <= 20, else returns -1.
  (func (export "reentry_target") (param $n i32) (result i32)
    (if (result i32) (i32.le_s (local.get $n) (i32.const 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $h_reenter (i32.sub (local.get $n) (i32.const 1)))))))

  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store offset=4 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "imported_global") (result i32) (global.get $g_i32))
)
