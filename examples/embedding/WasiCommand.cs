using System.Text;
using WasmSpec;
using WasmSpec.Wasi;

// A WASI command (hello.c) run with its output captured in memory; proc_exit would end it with an ExitException.
public static class WasiCommand
{
    public static void Run(string folder)
    {
        var engine = new Engine();
        var stdout = new MemoryStream();
        var linker = new Linker(engine);
        linker.DefineWasi(new WasiConfiguration().WithArgs("hello").WithStdout(stdout));
        using var store = new Store(engine);
        var instance = linker.Instantiate(store, Module.FromFile(engine, Path.Combine(folder, "hello.wasm")));
        try { instance.GetAction("_start")(); }
        catch (ExitException e) when (e.Code == 0) { }
        Console.WriteLine($"captured: {Encoding.UTF8.GetString(stdout.ToArray()).Trim()}");
    }
}
