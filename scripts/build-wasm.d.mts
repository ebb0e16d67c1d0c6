// Types for scripts/build-wasm.mjs (used by test/store/kernels.test.ts).
export interface Wabt {
  parseWat(name: string, text: string, features?: Record<string, boolean>): unknown;
}
export function watFiles(dir?: string): string[];
export function loadWabt(): Promise<Wabt | null>;
export function assemble(wabt: Wabt, name: string, text: string): Buffer;
