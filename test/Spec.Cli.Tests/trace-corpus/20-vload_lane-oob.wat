;; invoke: main
(module
  (memory 1)
  (func (export "main") (result v128)
    (v128.load64_lane 1 (i32.const 65535) (v128.const i64x2 0 0))))
