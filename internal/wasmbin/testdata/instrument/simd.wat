;; SIMD: v128.const, i8x16.shuffle, lane extraction and replacement, loads
;; and stores of lanes, splats and zero-extending loads, v128 globals,
;; locals, parameters, results and select.
(module
  (memory (export "mem") 1)
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\f0\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff")
  (global $vg (mut v128) (v128.const i64x2 1 2))

  (func $vadd (param $a v128) (param $b v128) (result v128)
    (i16x8.add_sat_s (local.get $a) (local.get $b)))
  (func $split (param $v v128) (result i64 i64)
    (i64x2.extract_lane 0 (local.get $v))
    (i64x2.extract_lane 1 (local.get $v)))

  (func (export "i32x4_sum") (param i32 i32 i32 i32) (result i32)
    (local $v v128)
    (local.set $v (v128.const i32x4 1 2 3 4))
    (local.set $v (i32x4.replace_lane 0 (local.get $v) (local.get 0)))
    (local.set $v (i32x4.replace_lane 3 (local.get $v) (local.get 3)))
    (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get 1))))
    (local.set $v (i32x4.mul (local.get $v) (i32x4.splat (local.get 2))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  (func (export "shuffle") (param i64 i64) (result i64 i64)
    (call $split
      (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
        (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1))
        (v128.const i8x16 0x10 0x11 0x12 0x13 0x14 0x15 0x16 0x17 0x18 0x19 0x1a 0x1b 0x1c 0x1d 0x1e 0x1f))))

  (func (export "swizzle") (param i64 i64) (result i64 i64)
    (call $split
      (i8x16.swizzle
        (v128.load (i32.const 16))
        (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))))

  (func (export "lanes8") (param $x i32) (result i32)
    (local $v v128)
    (local.set $v (i8x16.replace_lane 15 (v128.load (i32.const 0)) (local.get $x)))
    (i32.add (i8x16.extract_lane_s 15 (local.get $v))
      (i32.add (i8x16.extract_lane_u 15 (local.get $v))
        (i32.add (i16x8.extract_lane_s 7 (i16x8.replace_lane 7 (local.get $v) (local.get $x)))
          (i16x8.extract_lane_u 6 (local.get $v))))))

  (func (export "float_lanes") (param $x f32) (param $y f64) (result f64)
    (f64.add
      (f64.promote_f32 (f32x4.extract_lane 2
        (f32x4.sqrt (f32x4.replace_lane 2 (f32x4.splat (local.get $x)) (f32.abs (local.get $x))))))
      (f64x2.extract_lane 1
        (f64x2.add (f64x2.replace_lane 1 (f64x2.splat (local.get $y)) (f64.const 1.5))
          (f64x2.convert_low_i32x4_s (v128.const i32x4 -1 2 -3 4))))))

  (func (export "load_lane") (param $addr i32) (result i64 i64)
    (call $split
      (v128.load32_lane 2 (local.get $addr)
        (v128.load16_lane offset=1 1 (local.get $addr)
          (v128.load8_lane 0 (local.get $addr)
            (v128.load64_lane offset=8 1 (local.get $addr) (v128.const i64x2 -1 -1)))))))

  (func (export "store_lane") (param $addr i32) (param $x i64)
    (local $v v128)
    (local.set $v (i64x2.splat (local.get $x)))
    (v128.store8_lane 3 (local.get $addr) (local.get $v))
    (v128.store16_lane offset=2 2 (local.get $addr) (local.get $v))
    (v128.store32_lane offset=4 1 (local.get $addr) (local.get $v))
    (v128.store64_lane offset=8 0 (local.get $addr) (local.get $v)))

  (func (export "loads") (param $addr i32) (result i64 i64)
    (call $split
      (v128.xor
        (v128.xor (v128.load8x8_s (local.get $addr)) (v128.load16x4_u offset=1 (local.get $addr)))
        (v128.xor
          (v128.xor (v128.load32_splat offset=2 (local.get $addr)) (v128.load64_zero (local.get $addr)))
          (v128.xor (v128.load32_zero offset=3 (local.get $addr)) (v128.load8_splat (local.get $addr)))))))

  (func (export "store") (param $addr i32) (param $x i64)
    (v128.store offset=16 align=4 (local.get $addr)
      (call $vadd (i64x2.splat (local.get $x)) (global.get $vg))))

  (func (export "global_bump") (param $x i64) (result i64 i64)
    (global.set $vg (i64x2.add (global.get $vg) (i64x2.splat (local.get $x))))
    (call $split (global.get $vg)))

  (func (export "select_v128") (param $c i32) (result i64 i64)
    (call $split (select (result v128) (v128.const i64x2 7 8) (global.get $vg) (local.get $c))))

  (func (export "bitmask") (param i64 i64) (result i32)
    (local $v v128)
    (local.set $v (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))
    (i32.add (i8x16.bitmask (local.get $v))
      (i32.add (v128.any_true (local.get $v)) (i32x4.all_true (local.get $v)))))

  ;; a loop over v128 values
  (func (export "vloop") (param $n i32) (result i64 i64)
    (local $acc v128)
    (local.set $acc (v128.const i32x4 0 0 0 0))
    (local.set $n (i32.and (local.get $n) (i32.const 255)))
    (block $done
      (loop $l
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $acc (i32x4.add (local.get $acc)
          (i32x4.shl (v128.const i32x4 1 2 3 4) (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (call $split (local.get $acc)))

  (func (export "narrow_extend") (param i64 i64) (result i64 i64)
    (local $v v128)
    (local.set $v (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))
    (call $split
      (i8x16.narrow_i16x8_s
        (i16x8.extend_low_i8x16_u (local.get $v))
        (i32x4.trunc_sat_f32x4_s (f32x4.convert_i32x4_u (local.get $v))))))
)
