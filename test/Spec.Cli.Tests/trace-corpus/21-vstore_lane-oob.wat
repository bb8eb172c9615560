;; invoke: main
(module
  (memory 1)
  (func (export "main")
    (v128.store16_lane 3 (i32.const 65535) (v128.const i16x8 1 2 3 4 5 6 7 8))))
