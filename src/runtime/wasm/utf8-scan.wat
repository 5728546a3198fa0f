;; SIMD scans over UTF-8 that TextEncoder wrote into this module's memory (the runtime's scratch
;; for long strings; see prepareUtf8 in ../string.ts). Compiled to utf8-scan.ts by
;; `npm run build:wasm` (scripts/build-wasm.mjs); test/runtime/utf8-scan.test.ts keeps the two in
;; step. Both scan bytes [0, n) and never read past n.
(module
  (memory (export "memory") 1)

  ;; The index of the first byte >= 0x80 (the first non-ASCII code point), or n.
  (func (export "ascii") (param $n i32) (result i32)
    (local $i i32) (local $m i32)
    (block $done
      (loop $wide
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $m (i8x16.bitmask (v128.load (local.get $i))))
        (if (local.get $m)
          (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide)))
    (block $end
      (loop $narrow
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.ge_u (i32.load8_u (local.get $i)) (i32.const 0x80))
          (then (return (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $narrow)))
    (local.get $n))

  ;; 1 if the bytes EF BF BD (U+FFFD, what TextEncoder writes for a lone surrogate) occur, else 0.
  (func (export "fffd") (param $n i32) (result i32)
    (local $i i32) (local $m i32) (local $j i32)
    (block $done
      (loop $wide
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $m
          (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (i8x16.splat (i32.const 0xef)))))
        (block $next
          (loop $each
            (br_if $next (i32.eqz (local.get $m)))
            (local.set $j (i32.add (local.get $i) (i32.ctz (local.get $m))))
            (if (i32.and
                  (i32.lt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n))
                  (i32.eq (i32.load16_u offset=1 (local.get $j)) (i32.const 0xbdbf)))
              (then (return (i32.const 1))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (br $each)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide)))
    (block $end
      (loop $narrow
        (br_if $end (i32.ge_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (if (i32.and
              (i32.eq (i32.load8_u (local.get $i)) (i32.const 0xef))
              (i32.eq (i32.load16_u offset=1 (local.get $i)) (i32.const 0xbdbf)))
          (then (return (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $narrow)))
    (i32.const 0)))
