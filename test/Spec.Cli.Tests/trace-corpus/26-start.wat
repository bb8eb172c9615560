;; invoke: get
(module
  (global $g (mut i32) (i32.const 1))
  (func $init (global.set $g (i32.mul (global.get $g) (i32.const 6))))
  (start $init)
  (func (export "get") (result i32) (global.get $g)))
