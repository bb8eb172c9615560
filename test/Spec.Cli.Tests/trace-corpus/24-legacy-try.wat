;; invoke: main
(module
  (tag $e (param i32))
  (func (export "main") (result i32)
    (try $outer (result i32)
      (do
        (try (result i32)
          (do (throw $e (i32.const 4)))
          (catch $e (drop) (rethrow 0))))
      (catch $e (i32.const 1) (i32.add))
      (catch_all (i32.const 0)))))
