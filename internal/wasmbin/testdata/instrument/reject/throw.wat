;; Exceptions: a lone throw (0x08) must be rejected.
(module
  (tag $e)
  (func (export "f") (throw $e)))
