namespace Spec.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["run", ..]) return RunCommand.Run(args[1..]);
        if (args is ["wasi-test", ..]) return WasiTestCommand.Run(args[1..]);
        switch (args.FirstOrDefault())
        {
            case "dump": return DumpCommand.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: wasmspec COMMAND ...\n  dump FILE.wasm   print the sections and disassembled code of a binary module");
                return 2;
        }
    }
}
