// Every embedding example, in order: `dotnet run -- FOLDER` with the folder of strings.wasm and hello.wasm.
public static class Examples
{
    public static readonly (string Name, Action<string> Run)[] All =
    [
        ("typed exports", TypedExports.Run),
        ("host callback", HostCallback.Run),
        ("reactor strings", ReactorStrings.Run),
        ("WASI command", WasiCommand.Run),
        ("interruption", Interruption.Run),
    ];

    public static void RunAll(string folder)
    {
        foreach (var (name, run) in All)
        {
            Console.WriteLine($"== {name}");
            run(folder);
        }
    }
}
