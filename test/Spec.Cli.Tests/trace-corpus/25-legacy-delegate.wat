;; invoke: main
(module
  (tag $e)
  (func (export "main") (result i32)
    (try $l (result i32)
      (do
        (try (do (throw $e)) (delegate $l))
        (i32.const 0))
      (catch_all (i32.const 2)))))
