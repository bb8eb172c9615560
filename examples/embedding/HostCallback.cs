using WasmSpec;

// A host function that calls back into Wasm: the Caller gives it the calling instance's memory and exports.
public static class HostCallback
{
    public static void Run(string folder)
    {
        var engine = new Engine();
        var module = Module.FromText(engine, """
            (module
              (import "host" "report" (func $report (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 64) "squares up to")
              (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func (export "run") (result i32) (call $report (i32.const 64) (i32.const 13))))
            """);
        var linker = new Linker(engine);
        linker.Define("host", "report", (Caller caller, int text, int length) =>
        {
            var square = caller.GetFunction<int, int>("square");
            var label = caller.GetMemory()!.ReadString(text, length);
            int sum = 0;
            for (int i = 1; i <= 4; i++) sum += square(i);
            Console.WriteLine($"{label} 4: {sum}");
            return sum;
        });
        using var store = new Store(engine);
        var instance = linker.Instantiate(store, module);
        Console.WriteLine($"run() = {instance.GetFunction<int>("run")()}");
    }
}
