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
            case "wasm2wat": return ConvertCommands.Wasm2Wat(args[1..]);
            case "wat2wasm": return ConvertCommands.Wat2Wasm(args[1..]);
            case "validate": return ValidateCommand.Run(args[1..]);
            case "trace": return TraceCommand.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: wasmspec COMMAND ...\n  dump FILE.wasm   print the sections and disassembled code of a binary module"
                    + "\n  wasm2wat FILE.wasm [-o OUT]   the module in the text format"
                    + "\n  wat2wasm FILE.wat [-o OUT]    the module in the binary format"
                    + "\n  validate FILE   \"valid\", or the rule, position and message that reject the module"
                    + "\n  trace FILE --invoke NAME ARG... [--limit N]   invoke an export step by step, printing each rule applied");
                return 2;
        }
    }
}
