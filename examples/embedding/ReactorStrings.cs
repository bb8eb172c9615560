using WasmSpec;
using WasmSpec.Wasi;

// A C library compiled to a WASI reactor (strings.c): the host allocates in guest memory with the exported malloc,
// writes a string, calls greet, reads the string it returns and frees both. Instantiate runs _initialize.
public static class ReactorStrings
{
    public static void Run(string folder)
    {
        var engine = new Engine(new EngineConfig { Kind = EngineKind.Jit });
        var module = Module.FromFile(engine, Path.Combine(folder, "strings.wasm"));
        var linker = new Linker(engine);
        linker.DefineWasi(new WasiConfiguration());
        using var store = new Store(engine);
        var instance = linker.Instantiate(store, module);

        var malloc = instance.GetFunction<int, int>("malloc");
        var free = instance.GetAction<int>("free");
        var greet = instance.GetFunction<int, int, int>("greet");
        var memory = instance.GetMemory()!;

        foreach (var name in new[] { "WebAssembly", "Zürich" })
        {
            int length = System.Text.Encoding.UTF8.GetByteCount(name);
            int input = malloc(length);
            memory.WriteString(input, name);
            int output = greet(input, length);
            Console.WriteLine(memory.ReadNullTerminatedString(output));
            free(output);
            free(input);
        }
    }
}
