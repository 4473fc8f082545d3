// Entry point of the WebAssembly module: the float32 kernels src/nn/wasm.ts loads.
export { gemm, gemv, setRows, addColumnSums, packFloats } from './gemm';
export { lstmPointwise, gruPointwise, lstmBackwardPointwise, gruBackwardPointwise, dataEnd } from './cells';
