;; invoke: main
(module
  (memory 1)
  (data $d "\01\02\03")
  (func (export "main") (result i32)
    (memory.fill (i32.const 0) (i32.const 9) (i32.const 2))
    (memory.copy (i32.const 1) (i32.const 0) (i32.const 2))
    (memory.copy (i32.const 0) (i32.const 1) (i32.const 2))
    (memory.init $d (i32.const 4) (i32.const 1) (i32.const 2))
    (data.drop $d)
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
    (i32.load (i32.const 2))))
