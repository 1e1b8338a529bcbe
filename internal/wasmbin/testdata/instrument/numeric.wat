;; Functions with many parameters and locals of every number type, so the
;; wrappers forward them all, and calls between such functions.
(module
  (func $inner (param $a i32) (param $b i64) (param $c f32) (param $d f64)
               (param $e i32) (param $f i64) (param $g f32) (param $h f64)
               (param $i i32) (param $j i64) (param $k f32) (param $l f64)
               (result f64 f32 i64 i32)
    (local $t0 i32) (local $t1 i64) (local $t2 f32) (local $t3 f64)
    (local.set $t0 (i32.add (i32.add (local.get $a) (local.get $e)) (i32.mul (local.get $i) (i32.const 3))))
    (local.set $t1 (i64.sub (i64.xor (local.get $b) (local.get $f)) (i64.rotl (local.get $j) (i64.const 7))))
    (local.set $t2 (f32.add (f32.mul (local.get $c) (local.get $g)) (f32.copysign (local.get $k) (local.get $c))))
    (local.set $t3 (f64.add (f64.min (local.get $d) (local.get $h)) (f64.nearest (local.get $l))))
    (local.get $t3) (local.get $t2) (local.get $t1) (local.get $t0))

  (func (export "many") (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64)
                        (result f64 f32 i64 i32)
    (call $inner
      (local.get 0) (local.get 1) (local.get 2) (local.get 3)
      (local.get 4) (local.get 5) (local.get 6) (local.get 7)
      (local.get 8) (local.get 9) (local.get 10) (local.get 11)))

  (func (export "many_reversed") (param f64 f32 i64 i32 f64 f32 i64 i32) (result i64)
    (local $r0 f64) (local $r1 f32) (local $r2 i64) (local $r3 i32)
    (call $inner
      (local.get 3) (local.get 2) (local.get 1) (local.get 0)
      (local.get 7) (local.get 6) (local.get 5) (local.get 4)
      (i32.const -1) (i64.const 0x7fffffffffffffff) (f32.const nan) (f64.const -inf))
    (local.set $r3) (local.set $r2) (local.set $r1) (local.set $r0)
    (i64.add
      (i64.add (i64.reinterpret_f64 (local.get $r0)) (i64.extend_i32_u (i32.reinterpret_f32 (local.get $r1))))
      (i64.add (local.get $r2) (i64.extend_i32_s (local.get $r3)))))

  (func (export "i32ops") (param $x i32) (param $y i32) (result i32)
    (i32.xor
      (i32.add (i32.clz (local.get $x)) (i32.ctz (local.get $y)))
      (i32.add (i32.popcnt (local.get $x)) (i32.rotr (local.get $x) (local.get $y)))))
  (func (export "i64ops") (param $x i64) (param $y i64) (result i64)
    (i64.or
      (i64.shr_s (local.get $x) (local.get $y))
      (i64.shl (i64.popcnt (local.get $y)) (i64.clz (local.get $x)))))
  (func (export "f32ops") (param $x f32) (param $y f32) (result f32)
    (f32.add (f32.max (f32.abs (local.get $x)) (f32.neg (local.get $y)))
             (f32.add (f32.ceil (local.get $x)) (f32.trunc (f32.floor (local.get $y))))))
  (func (export "f64ops") (param $x f64) (param $y f64) (result f64)
    (f64.div (f64.sub (local.get $x) (local.get $y)) (f64.add (f64.sqrt (f64.abs (local.get $y))) (f64.const 1))))
  (func (export "compare") (param $x f64) (param $y f64) (result i32)
    (i32.add (i32.add (f64.lt (local.get $x) (local.get $y)) (f64.ge (local.get $x) (local.get $y)))
             (i32.add (f64.ne (local.get $x) (local.get $y)) (f32.eq (f32.demote_f64 (local.get $x)) (f32.demote_f64 (local.get $y))))))
  (func (export "convert") (param $x i64) (result f64)
    (f64.add (f64.convert_i64_u (local.get $x))
      (f64.add (f64.convert_i32_s (i32.wrap_i64 (local.get $x)))
        (f64.reinterpret_i64 (i64.and (local.get $x) (i64.const 0x3fffffffffffffff))))))
)
