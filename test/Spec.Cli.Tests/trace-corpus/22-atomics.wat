;; invoke: main
(module
  (memory 1 1 shared)
  (func (export "main") (result i32)
    (i32.atomic.store (i32.const 0) (i32.const 5))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 2)))
    (drop (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 7) (i32.const 8)))
    (atomic.fence)
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
    (i32.atomic.load (i32.const 0))))
