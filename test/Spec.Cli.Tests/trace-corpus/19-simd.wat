;; invoke: main
(module
  (memory 1)
  (func (export "main") (result i32)
    (v128.store (i32.const 0) (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (i32.const 10))))
    (v128.store8_lane 0 (i32.const 16) (v128.const i8x16 7 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))
    (i32x4.extract_lane 1 (i32x4.mul (v128.load (i32.const 0)) (v128.load32_splat (i32.const 16))))))
