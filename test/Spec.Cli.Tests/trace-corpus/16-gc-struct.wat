;; invoke: main 7
(module
  (type $p (struct (field $x (mut i32)) (field $y i8)))
  (func (export "main") (param i32) (result i32) (local (ref null $p))
    (local.set 1 (struct.new_default $p))
    (struct.set $p $x (local.get 1) (local.get 0))
    (i32.add (struct.get $p $x (local.get 1))
      (struct.get_u $p $y (struct.new $p (i32.const 1) (i32.const 300))))))
