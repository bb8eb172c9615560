;; invoke: main 5
(module
  (global $g (mut i32) (i32.const 1))
  (global $h i64 (i64.const 2))
  (func (export "main") (param i32) (result i32) (local i64)
    (local.set 1 (global.get $h))
    (global.set $g (i32.add (global.get $g) (local.tee 0 (i32.mul (local.get 0) (i32.const 2)))))
    (i32.add (global.get $g) (i32.wrap_i64 (local.get 1)))))
