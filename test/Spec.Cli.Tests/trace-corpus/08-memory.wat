;; invoke: main 258
(module
  (memory 1)
  (func (export "main") (param i32) (result i32)
    (i32.store (i32.const 4) (local.get 0))
    (i64.store16 (i32.const 8) (i64.const -1))
    (drop (memory.grow (i32.const 1)))
    (drop (memory.size))
    (i32.add (i32.load8_u (i32.const 5)) (i32.load16_s (i32.const 8)))))
