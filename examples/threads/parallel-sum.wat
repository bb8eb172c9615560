;; A parallel sum over a shared memory: each worker thread sums its slice of the numbers, adds its sum into one
;; counter with i32.atomic.rmw.add, counts itself done and notifies; the coordinator waits with memory.atomic.wait32
;; until every worker has done so. Every thread instantiates this module over the same imported memory.
;;
;; Layout of the memory: [0] the sum, [4] how many workers are done, from 64 on the numbers (i32 each).
(module
  (memory (import "env" "memory") 1 256 shared)

  ;; Sums the numbers [from, to) `rounds` times (more work per thread for measuring), then publishes the sum.
  (func (export "work") (param $from i32) (param $to i32) (param $rounds i32)
    (local $i i32) (local $sum i32) (local $round i32)
    (block $rounds_done
      (loop $next_round
        (br_if $rounds_done (i32.ge_u (local.get $round) (local.get $rounds)))
        (local.set $i (local.get $from))
        (block $slice_done
          (loop $next
            (br_if $slice_done (i32.ge_u (local.get $i) (local.get $to)))
            (local.set $sum (i32.add (local.get $sum)
              (i32.load offset=64 (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.set $round (i32.add (local.get $round) (i32.const 1)))
        (br $next_round)))
    (drop (i32.atomic.rmw.add (i32.const 0) (local.get $sum)))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))

  ;; Blocks until `workers` workers are done, then gives the sum.
  (func (export "await") (param $workers i32) (result i32)
    (local $done i32)
    (block $all
      (loop $check
        (local.set $done (i32.atomic.load (i32.const 4)))
        (br_if $all (i32.ge_u (local.get $done) (local.get $workers)))
        ;; Sleeps only while the count is still $done: a worker that finished meanwhile makes it return at once.
        (drop (memory.atomic.wait32 (i32.const 4) (local.get $done) (i64.const -1)))
        (br $check)))
    (i32.atomic.load (i32.const 0))))
