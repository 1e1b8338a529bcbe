;; No import, global or export section: instrumentation must add them. The
;; start function checks a loop's result and traps when it is wrong, so a
;; successful instantiation shows it ran correctly.
(module
  (func $sum (param $n i32) (result i32)
    (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l))
    (local.get $acc))
  (func $main
    (if (i32.ne (call $sum (i32.const 100)) (i32.const 5050))
      (then (unreachable))))
  (start $main)
)
