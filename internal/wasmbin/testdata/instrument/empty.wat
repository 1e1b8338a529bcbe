;; The empty module: instrumentation adds every section it needs.
(module)
