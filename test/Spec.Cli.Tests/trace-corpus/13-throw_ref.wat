;; invoke: main
(module
  (tag $e)
  (func (export "main") (result i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $e)) (unreachable))
    (block $k (param exnref) (result exnref) (try_table (param exnref) (catch_ref $e $k) (throw_ref)) (unreachable))
    (drop)
    (block $j (try_table (catch_all $j) (throw $e)))
    (i32.const 1)))
