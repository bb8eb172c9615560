;; invoke: main 0
(module
  (func (export "main") (param i32) (result i32)
    (i32.const 1)
    (f32.demote_f64 (f64.const -nan:0x4))
    (drop)
    (i32.trunc_f32_s (f32.const 1.5))
    (i32.div_u (local.get 0))
    (i32.add)))
