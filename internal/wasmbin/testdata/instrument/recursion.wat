;; Recursion of every kind (direct, mutual, through call_indirect) and
;; loops, for the call-depth bound and the yield budget.
(module
  (type $unop (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $ind_rec $rec)
  (global $iters (export "iters") (mut i64) (i64.const 0))

  ;; rec(n) runs n nested frames (n >= 1) and returns n
  (func $rec (export "rec") (type $unop)
    (if (result i32) (i32.le_s (local.get 0) (i32.const 1))
      (then (i32.const 1))
      (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))

  ;; even(n) and odd(n) run n+1 nested frames
  (func $even (export "even") (type $unop)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (export "odd") (type $unop)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $even (i32.sub (local.get 0) (i32.const 1))))))

  ;; ind_rec(n) runs n nested frames through the table
  (func $ind_rec (export "ind_rec") (type $unop)
    (if (result i32) (i32.le_s (local.get 0) (i32.const 1))
      (then (i32.const 1))
      (else (i32.add (i32.const 1)
        (call_indirect (type $unop) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))))

  ;; spin(k) iterates a loop k times (k >= 1) and counts in $iters
  (func (export "spin") (param $k i32) (result i32)
    (local $i i32)
    (loop $l
      (global.set $iters (i64.add (global.get $iters) (i64.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $k))))
    (local.get $i))

  (func $leaf (type $unop) (i32.add (local.get 0) (i32.const 1)))

  ;; fib(n) makes 2*fib(n+1)-1 calls without any loop
  (func $fib (export "fib") (type $unop)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add
        (call $fib (i32.sub (local.get 0) (i32.const 1)))
        (call $fib (i32.sub (local.get 0) (i32.const 2)))))))

  ;; leaf_loop(n) iterates n times (n >= 1), calling $leaf in every iteration
  (func (export "leaf_loop") (param $n i32) (result i32)
    (local $acc i32)
    (loop $l
      (local.set $acc (call $leaf (local.get $acc)))
      (br_if $l (i32.lt_u (local.get $acc) (local.get $n))))
    (local.get $acc))
)
