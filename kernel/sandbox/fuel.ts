/**
 * Fuel metering: a module is instrumented once, when a skill is built or
 * installed, so that every function entry, loop header and return
 * decrements an exported i64 global (`talon_fuel`) and traps at zero. The
 * host sets the budget before each call and reads what is left after it, so
 * a runaway plugin stops at the same instruction every run.
 *
 * `binaryen` (~100 MB) is imported on first use only — never at start-up.
 * Its `log-execution` pass inserts a call to an imported
 * `log_execution(i32)` at exactly those points; the import is then replaced
 * by a function that spends one unit of fuel, and inlined.
 *
 * @module
 */

/** Name of the exported fuel global. */
export const FUEL_GLOBAL = "talon_fuel";

/** Fuel the start function (module initialisation) may spend at instantiation. */
export const START_FUEL = 10_000_000n;

const PROBE = "log_execution";

/** True when the module exports the fuel global as an i64, i.e. was instrumented. */
export function isFuelInstrumented(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.exports(module).some((e) =>
    e.name === FUEL_GLOBAL && e.kind === "global"
  );
}

/**
 * Returns `wasm` instrumented for fuel. Throws a `TypeError` when it is not
 * a valid module or already instrumented.
 */
export async function instrumentFuel(wasm: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  let compiled: WebAssembly.Module;
  try {
    compiled = new WebAssembly.Module(new Uint8Array(wasm));
  } catch (cause) {
    throw new TypeError(`not a WebAssembly module: ${(cause as Error).message}`, { cause });
  }
  if (isFuelInstrumented(compiled)) {
    throw new TypeError(`the module already has a "${FUEL_GLOBAL}" global`);
  }
  const { default: binaryen } = await import("binaryen");
  const mod = binaryen.readBinary(wasm);
  try {
    mod.setFeatures(binaryen.Features.All);
    mod.runPasses(["log-execution"]);
    mod.removeFunction(PROBE);
    mod.addGlobal(FUEL_GLOBAL, binaryen.i64, true, mod.i64.const(START_FUEL));
    mod.addGlobalExport(FUEL_GLOBAL, FUEL_GLOBAL);
    const fuel = () => mod.global.get(FUEL_GLOBAL, binaryen.i64);
    mod.addFunction(
      PROBE,
      binaryen.createType([binaryen.i32]),
      binaryen.none,
      [],
      mod.block(null, [
        mod.if(mod.i64.eqz(fuel()), mod.unreachable()),
        mod.global.set(FUEL_GLOBAL, mod.i64.sub(fuel(), mod.i64.const(1n))),
      ]),
    );
    if (!mod.validate()) throw new TypeError("the instrumented module does not validate");
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(0);
    mod.runPasses(["inlining-optimizing"]);
    return new Uint8Array(mod.emitBinary());
  } finally {
    mod.dispose();
  }
}
