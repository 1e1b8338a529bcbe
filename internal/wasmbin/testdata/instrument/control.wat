;; Structured control flow: br_table, nested blocks, loops and ifs with
;; empty, value and type-index (multi-value, with parameters) block types,
;; select with and without a type, multi-value functions, early returns
;; from loops and instructions that trap.
(module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (type $i_il (func (param i32) (result i32 i64)))
  (type $acc (func (param i64 i32) (result i64)))

  (func $swap (export "swap") (type $pair) (local.get 1) (local.get 0))

  (func (export "br_table") (param i32) (result i32)
    (block $d
      (block $c
        (block $b
          (block $a
            (br_table $a $b $c $d (local.get 0)))
          (return (i32.const 10)))
        (return (i32.const 20)))
      (return (i32.const 30)))
    (i32.const 40))

  (func (export "br_table_value") (param i32) (result i32)
    (i32.add (i32.const 1000)
      (block $outer (result i32)
        (i32.mul (i32.const 3)
          (block $inner (result i32)
            (br_table $inner $outer $inner $outer
              (i32.add (local.get 0) (i32.const 7)) (local.get 0)))))))

  ;; nested loops with value-typed blocks and ifs
  (func (export "nested") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $acc i32)
    (local.set $n (i32.and (local.get $n) (i32.const 63)))
    (block $out
      (loop $outer
        (br_if $out (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (loop $inner
          (local.set $acc
            (i32.add (local.get $acc)
              (if (result i32) (i32.and (i32.add (local.get $i) (local.get $j)) (i32.const 1))
                (then (i32.mul (local.get $i) (local.get $j)))
                (else (block (result i32)
                  (drop (br_if 0 (i32.const 7) (i32.eq (local.get $j) (i32.const 2))))
                  (i32.sub (local.get $j) (local.get $i)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_s (local.get $j) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $acc))

  ;; block with a type index taking and returning two values
  (func (export "block_type_index") (param i32 i32) (result i32 i32)
    (local.get 0) (local.get 1)
    (block (type $pair)
      (call $swap))
    (if (type $pair) (i32.const 1)
      (then (i32.add) (i32.const 5))
      (else (drop) (drop) (i32.const 0) (i32.const 0))))

  ;; loop with parameters: sums n + (n-1) + ... + 1 on the operand stack
  (func (export "loop_params") (param $n i32) (result i64)
    (i64.const 0) (i32.and (local.get $n) (i32.const 1023))
    (loop $l (type $acc)
      (local.set $n)
      (i64.add (i64.extend_i32_u (local.get $n)))
      (if (param i64) (result i64) (i32.gt_s (local.get $n) (i32.const 1))
        (then
          (i32.sub (local.get $n) (i32.const 1))
          (br $l)))))

  (func (export "if_type_index") (param $c i32) (result i32 i64)
    (local.get $c)
    (if (type $i_il) (local.get $c)
      (then (i64.const 11))
      (else (i64.const 22))))

  (func (export "select_untyped") (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select_i64") (param i32 i64 i64) (result i64)
    (select (result i64) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "select_f64") (param i32 f64 f64) (result f64)
    (select (result f64) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "select_f32") (param i32 f32) (result f32)
    (select (local.get 1) (f32.const -0.0) (local.get 0)))
  (func (export "select_ref") (param i32) (result i32)
    (ref.is_null (select (result funcref) (ref.null func) (ref.func $swap) (local.get 0))))
  (func (export "select_extern") (param i32) (result i32)
    (ref.is_null (select (result externref) (ref.null extern) (ref.null extern) (local.get 0))))

  (func $multi (export "multi") (param $x i32) (result i32 i64 f32 f64)
    (local.get $x)
    (i64.mul (i64.extend_i32_s (local.get $x)) (i64.const 0x100000001))
    (f32.div (f32.convert_i32_s (local.get $x)) (f32.const 3))
    (f64.sqrt (f64.convert_i32_u (local.get $x))))
  (func (export "call_multi") (param $x i32) (result f64)
    (local $a i32) (local $b i64) (local $c f32) (local $d f64)
    (call $multi (local.get $x))
    (local.set $d) (local.set $c) (local.set $b) (local.set $a)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get $a)) (f64.convert_i64_s (local.get $b)))
      (f64.add (f64.promote_f32 (local.get $c)) (local.get $d))))

  (func (export "early_return") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (if (i32.eq (local.get $i) (local.get $n)) (then (return (i32.mul (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 50))))
    (i32.const -1))

  (func (export "triple_loop") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $k i32) (local $acc i64)
    (local.set $n (i32.and (local.get $n) (i32.const 31)))
    (block $bi (loop $li
      (br_if $bi (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $bj (loop $lj
        (br_if $bj (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $k (i32.const 0))
        (block $bk (loop $lk
          (br_if $bk (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $acc (i64.add (local.get $acc)
            (i64.extend_i32_u (i32.xor (local.get $i) (i32.mul (local.get $j) (local.get $k))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $lk)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $lj)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $li)))
    (local.get $acc))

  (func (export "unreach") (param i32) (result i32)
    (if (local.get 0) (then (unreachable)))
    (i32.const 1))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem_u") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "trunc_sat") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
  (func (export "sign_ext") (param i64) (result i64)
    (i64.add (i64.extend8_s (local.get 0))
      (i64.add (i64.extend16_s (local.get 0))
        (i64.add (i64.extend32_s (local.get 0))
          (i64.extend_i32_s (i32.extend8_s (i32.wrap_i64 (local.get 0))))))))
  (func (export "nop_drop") (param i32) (result i32)
    (nop) (drop (local.get 0)) (nop) (local.tee 0 (i32.const 9)))
)
