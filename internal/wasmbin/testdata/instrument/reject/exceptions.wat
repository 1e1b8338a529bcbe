;; Exceptions: try, catch and throw (0x06, 0x07, 0x08) must be rejected.
(module
  (tag $e (param i32))
  (func (export "f") (param i32) (result i32)
    (try (result i32)
      (do (throw $e (local.get 0)))
      (catch $e))))
