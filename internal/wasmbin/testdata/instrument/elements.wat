;; Element segments in all eight binary encodings (flags 0..7), tables of
;; both reference types, table instructions, call_indirect through several
;; tables, ref.func of declared functions and passive segments with
;; table.init and elem.drop.
(module
  (type $unop (func (param i32) (result i32)))
  (import "host" "log" (func $log (param i32)))
  (import "host" "add" (func $h_add (param i32 i32) (result i32)))

  (table $t0 10 20 funcref)
  (table $t1 10 funcref)
  (table $ext 4 8 externref)

  (global $gf funcref (ref.func $f3))
  (global $gnull funcref (ref.null func))
  (global $gnullext externref (ref.null extern))

  (export "t0" (table $t0))

  ;; flags 0: active, table 0, function indices
  (elem (i32.const 0) $f0 $f1 $log $f2)
  ;; flags 1: passive, function indices
  (elem $p1 func $f2 $f3 $h_add $f4)
  ;; flags 2: active, explicit table, function indices
  (elem (table $t1) (i32.const 1) func $f4 $f0 $log)
  ;; flags 3: declarative, function indices
  (elem declare func $f5)
  ;; flags 4: active, table 0, expressions
  (elem (i32.const 5) funcref (ref.func $f6) (ref.null func) (ref.func $log) (ref.func $f1))
  ;; flags 5: passive, expressions
  (elem $p5 funcref (ref.null func) (ref.func $f1) (ref.func $f6))
  ;; flags 6: active, explicit table, expressions
  (elem (table $t1) (i32.const 6) funcref (ref.func $f2) (ref.null func) (ref.func $f3))
  ;; flags 7: declarative, expressions
  (elem declare funcref (ref.func $f7) (ref.null func))
  ;; externref segment (flags 6 with externref)
  (elem (table $ext) (i32.const 0) externref (ref.null extern))

  (func $f0 (type $unop) (i32.add (i32.mul (local.get 0) (i32.const 10)) (i32.const 0)))
  (func $f1 (type $unop) (i32.add (i32.mul (local.get 0) (i32.const 10)) (i32.const 1)))
  (func $f2 (type $unop) (i32.add (i32.mul (local.get 0) (i32.const 10)) (i32.const 2)))
  (func $f3 (type $unop) (i32.add (i32.mul (local.get 0) (i32.const 10)) (i32.const 3)))
  (func $f4 (type $unop) (call $log (local.get 0)) (i32.add (i32.mul (local.get 0) (i32.const 10)) (i32.const 4)))
  (func $f5 (type $unop) (i32.add (i32.mul (local.get 0) (i32.const 10)) (i32.const 5)))
  (func $f6 (type $unop) (i32.add (i32.mul (local.get 0) (i32.const 10)) (i32.const 6)))
  (func $f7 (type $unop) (i32.add (i32.mul (local.get 0) (i32.const 10)) (i32.const 7)))

  (func (export "call0") (param $i i32) (param $x i32) (result i32)
    (call_indirect $t0 (type $unop) (local.get $x) (local.get $i)))
  (func (export "call1") (param $i i32) (param $x i32) (result i32)
    (call_indirect $t1 (type $unop) (local.get $x) (local.get $i)))
  (func (export "call0_binop") (param $i i32) (param $x i32) (result i32)
    (call_indirect $t0 (param i32 i32) (result i32) (local.get $x) (i32.const 1) (local.get $i)))

  (func (export "init_p1") (param $dst i32) (param $src i32) (param $n i32)
    (table.init $t0 $p1 (local.get $dst) (local.get $src) (local.get $n)))
  (func (export "init_p5") (param $dst i32) (param $src i32) (param $n i32)
    (table.init $t1 $p5 (local.get $dst) (local.get $src) (local.get $n)))
  (func (export "drop_p1") (elem.drop $p1))
  (func (export "drop_p5") (elem.drop $p5))

  ;; ref.func of functions only declared by flags 3 and 7 segments
  (func (export "declared") (param $which i32) (param $x i32) (result i32)
    (table.set $t1 (i32.const 9)
      (select (result funcref) (ref.func $f5) (ref.func $f7) (local.get $which)))
    (call_indirect $t1 (type $unop) (local.get $x) (i32.const 9)))

  (func (export "global_ref") (param $x i32) (result i32)
    (table.set $t0 (i32.const 9) (global.get $gf))
    (call_indirect $t0 (type $unop) (local.get $x) (i32.const 9)))
  (func (export "global_null") (result i32)
    (i32.add (ref.is_null (global.get $gnull)) (ref.is_null (global.get $gnullext))))

  (func (export "is_null0") (param $i i32) (result i32) (ref.is_null (table.get $t0 (local.get $i))))
  (func (export "is_null1") (param $i i32) (result i32) (ref.is_null (table.get $t1 (local.get $i))))
  (func (export "is_null_ext") (param $i i32) (result i32) (ref.is_null (table.get $ext (local.get $i))))
  (func (export "size0") (result i32) (table.size $t0))
  (func (export "size1") (result i32) (table.size $t1))
  (func (export "grow0") (param $n i32) (result i32) (table.grow $t0 (ref.func $f6) (local.get $n)))
  (func (export "grow_ext") (param $n i32) (result i32) (table.grow $ext (ref.null extern) (local.get $n)))
  (func (export "fill0") (param $i i32) (param $n i32) (table.fill $t0 (local.get $i) (ref.func $f3) (local.get $n)))
  (func (export "copy10") (param $d i32) (param $s i32) (param $n i32)
    (table.copy $t1 $t0 (local.get $d) (local.get $s) (local.get $n)))
  (func (export "copy00") (param $d i32) (param $s i32) (param $n i32)
    (table.copy $t0 $t0 (local.get $d) (local.get $s) (local.get $n)))
  (func (export "same_ref") (result i32)
    ;; the table entry written by the flags 0 segment is the function ref.func yields
    (table.set $t1 (i32.const 0) (ref.func $f0))
    (i32.add
      (call_indirect $t1 (type $unop) (i32.const 4) (i32.const 0))
      (call_indirect $t0 (type $unop) (i32.const 4) (i32.const 0))))
)
