;; invoke: main 0
(module
  (func (export "main") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 3)) (else (i32.const 4)))
    (i32.add) (select (i32.const 5) (i32.const 6) (local.get 0)) (i32.add) (nop)))
