;; invoke: main
(module
  (func (export "main") (throw_ref (ref.null exn))))
