;; dots: the dot product of one query vector with every row of a matrix, four floats at a time
;; (WebAssembly SIMD, f32x4). src/store/row-matrix.ts loads the assembled dots.wasm beside this file.
;;
;; Rebuild after editing: npm run build:wasm (scripts/build-wasm.mjs, with the wabt devDependency);
;; test/store/kernels.test.ts checks that dots.wasm is what this file assembles to.
;;
;; Memory is the caller's (imported as env.memory). Every row holds vec4PerRow groups of four
;; floats (rows padded with zeros to a multiple of four), 16-byte aligned, one row after another.
;;   q           address of the query (vec4PerRow × f32x4)
;;   m           address of row 0
;;   n           number of rows
;;   vec4PerRow  f32x4 groups per row
;;   out         address of n f32 results: out[row] = dot(query, row)
(module
  (import "env" "memory" (memory 1))
  (func (export "dots") (param $q i32) (param $m i32) (param $n i32) (param $vec4PerRow i32) (param $out i32)
    (local $row i32) (local $j i32) (local $qp i32) (local $mp i32)
    (local $acc v128)
    (local.set $mp (local.get $m))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $qp (local.get $q))
        (local.set $j (i32.const 0))
        (block $columnsDone
          (loop $columns
            (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $vec4PerRow)))
            ;; acc += q[j] * row[j], four lanes at once
            (local.set $acc
              (f32x4.add (local.get $acc)
                (f32x4.mul (v128.load align=16 (local.get $qp)) (v128.load align=16 (local.get $mp)))))
            (local.set $qp (i32.add (local.get $qp) (i32.const 16)))
            (local.set $mp (i32.add (local.get $mp) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $columns)))
        ;; out[row] = ((acc0 + acc1) + acc2) + acc3
        (f32.store
          (i32.add (local.get $out) (i32.shl (local.get $row) (i32.const 2)))
          (f32.add
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
              (f32x4.extract_lane 2 (local.get $acc)))
            (f32x4.extract_lane 3 (local.get $acc))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))))
