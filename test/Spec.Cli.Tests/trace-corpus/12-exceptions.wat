;; invoke: main
(module
  (tag $e (param i32))
  (tag $other (param i32))
  (func $throw (throw $e (i32.const 5)))
  (func (export "main") (result i32)
    (block $h (result i32)
      (try_table (catch $other $h) (catch $e $h) (i32.const 1) (call $throw) (drop) (unreachable)) (unreachable))))
