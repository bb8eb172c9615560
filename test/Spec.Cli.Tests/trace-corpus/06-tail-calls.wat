;; invoke: main 3
(module
  (type $t (func (param i32 i32) (result i32)))
  (func $sum (type $t)
    (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))
      (else (block (result i32) (return_call $sum (i32.sub (local.get 0) (i32.const 1)) (i32.add (local.get 1) (local.get 0)))))))
  (elem declare func $sum)
  (func (export "main") (param i32) (result i32)
    (return_call_ref $t (local.get 0) (i32.const 0) (ref.func $sum))))
