;; invoke: main
(module
  (type $v (func))
  (table 1 funcref)
  (func $f (param i32))
  (elem (i32.const 0) $f)
  (func (export "main") (call_indirect (type $v) (i32.const 0)) (nop)))
