;; invoke: main
(module
  (func (export "main") (result i32)
    (block $b (drop (try_table (result i32) (catch_all $b) (i32.const 3) (return))))
    (i32.const 0)))
