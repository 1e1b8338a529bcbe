;; Bulk memory (memory.init/copy/fill, data.drop with a data count
;; section), passive and active data, and loads and stores of every width
;; with offsets and alignments.
(module
  (memory (export "mem") 1 3)
  (data $hello "hello, world")
  (data $bytes "\01\02\03\04\05\06\07\08\f0\f1\f2\f3\f4\f5\f6\f7")
  (data (i32.const 100) "active segment")
  (global $ops (export "ops") (mut i32) (i32.const 0))

  (func $count (global.set $ops (i32.add (global.get $ops) (i32.const 1))))

  (func (export "init_hello") (param $dst i32) (param $off i32) (param $n i32)
    (call $count)
    (memory.init $hello (local.get $dst) (local.get $off) (local.get $n)))
  (func (export "init_bytes") (param $dst i32) (param $off i32) (param $n i32)
    (call $count)
    (memory.init $bytes (local.get $dst) (local.get $off) (local.get $n)))
  (func (export "drop_hello") (data.drop $hello))
  (func (export "drop_bytes") (data.drop $bytes))
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy (local.get $d) (local.get $s) (local.get $n)))
  (func (export "fill") (param $d i32) (param $v i32) (param $n i32)
    (memory.fill (local.get $d) (local.get $v) (local.get $n)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))

  ;; sum of n bytes from p, in a loop
  (func (export "sum") (param $p i32) (param $n i32) (result i64)
    (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $acc (i64.add (local.get $acc) (i64.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  (func (export "loads") (param $p i32) (result i64)
    (i64.add
      (i64.add
        (i64.add (i64.extend_i32_s (i32.load8_s offset=1 (local.get $p)))
                 (i64.extend_i32_u (i32.load8_u offset=2 (local.get $p))))
        (i64.add (i64.extend_i32_s (i32.load16_s offset=3 align=1 (local.get $p)))
                 (i64.extend_i32_u (i32.load16_u offset=5 (local.get $p)))))
      (i64.add
        (i64.add (i64.load8_s (local.get $p)) (i64.load16_u offset=7 align=1 (local.get $p)))
        (i64.add (i64.load32_s offset=9 align=2 (local.get $p)) (i64.load32_u offset=13 (local.get $p))))))
  (func (export "load64") (param $p i32) (result i64) (i64.load offset=0x10 align=4 (local.get $p)))
  (func (export "loadf") (param $p i32) (result f64)
    (f64.add (f64.promote_f32 (f32.load offset=2 align=1 (local.get $p))) (f64.load offset=8 (local.get $p))))
  (func (export "stores") (param $p i32) (param $v i64)
    (i64.store8 (local.get $p) (local.get $v))
    (i64.store16 offset=1 align=1 (local.get $p) (local.get $v))
    (i64.store32 offset=3 (local.get $p) (local.get $v))
    (i64.store offset=7 align=1 (local.get $p) (local.get $v))
    (i32.store8 offset=15 (local.get $p) (i32.wrap_i64 (local.get $v)))
    (i32.store16 offset=16 (local.get $p) (i32.wrap_i64 (local.get $v)))
    (f32.store offset=18 (local.get $p) (f32.convert_i64_s (local.get $v)))
    (f64.store offset=22 align=2 (local.get $p) (f64.convert_i64_u (local.get $v))))
)
