;; The "env" module the fixtures import memory, a table and globals from. It
;; is instantiated as is (never instrumented) next to both the original and
;; the instrumented fixture.
(module
  (memory (export "mem") 1 4)
  (table (export "tab") 8 funcref)
  (global (export "g_i32") i32 (i32.const 42))
  (global (export "g_mut") (mut i64) (i64.const 1000))
)
